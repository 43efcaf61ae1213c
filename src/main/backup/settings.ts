// Backup settings of this device, in `backup-settings.json` in the data folder (not in
// the store: a restore must not bring back an older backup folder or schedule).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { retentionPolicySchema, type BackupSettings, type RetentionPolicy } from '@shared/api/ops/backup';
import { writeFileDurably } from './files';
import { DEFAULT_RETENTION } from './retention';

export const SETTINGS_FILE = 'backup-settings.json';
export const DEFAULT_INTERVAL_MINUTES = 60;

const storedSchema = z.object({
  folder: z.string().optional(),
  automatic: z.boolean().optional(),
  intervalMinutes: z.number().int().min(5).max(10_080).optional(),
  retention: retentionPolicySchema.partial().optional(),
});
export type StoredSettings = z.infer<typeof storedSchema>;

export function settingsPath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE);
}

export function readStoredSettings(dataDir: string): StoredSettings {
  try {
    const parsed = storedSchema.safeParse(JSON.parse(readFileSync(settingsPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function writeStoredSettings(dataDir: string, settings: StoredSettings): Promise<void> {
  await writeFileDurably(settingsPath(dataDir), JSON.stringify(settings, null, 2) + '\n');
}

export function resolveSettings(stored: StoredSettings, defaultFolder: string): BackupSettings {
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...stored.retention };
  return {
    folder: stored.folder || defaultFolder,
    isDefaultFolder: !stored.folder,
    automatic: stored.automatic ?? true,
    intervalMinutes: stored.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES,
    retention,
  };
}
