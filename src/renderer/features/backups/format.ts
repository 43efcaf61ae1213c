// Labels and number formats of the Backups screen.
import type { BackupInfo, BackupProgress } from '@shared/api/ops/backup';

/** "812 B", "1.2 MB", "4.1 GB" (powers of 1024, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const KIND_LABELS: Record<BackupInfo['kind'], string> = {
  hourly: 'Hourly',
  daily: 'Daily',
  weekly: 'Weekly',
  manual: 'Manual',
  'pre-restore': 'Before a restore',
};

export const RETENTION_LABELS: Record<BackupInfo['retention'], { label: string; color: string; hint: string }> = {
  pinned: { label: 'Kept until deleted', color: 'blue', hint: 'Manual and pre-restore backups, and pinned ones, are never removed automatically.' },
  hourly: { label: 'Kept (hourly)', color: 'gray', hint: 'One of the newest hourly backups retention keeps.' },
  daily: { label: 'Kept (daily)', color: 'teal', hint: 'One of the newest daily backups retention keeps.' },
  weekly: { label: 'Kept (weekly)', color: 'grape', hint: 'One of the newest weekly backups retention keeps.' },
  expired: { label: 'Will be removed', color: 'orange', hint: 'Retention removes it after the next backup.' },
};

export const OPERATION_LABELS: Record<BackupProgress['operation'], string> = {
  create: 'Backing up',
  verify: 'Verifying',
  restore: 'Restoring',
};

/** "1a2b3c4d5e6f…" for tables; the whole checksum goes in the tooltip. */
export function shortChecksum(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}
