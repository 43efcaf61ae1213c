// Backup files on disk: names, SHA-256, the JSON sidecar next to each backup, folder
// checks and durable renames.
import { createHash } from 'node:crypto';
import { constants, createReadStream, createWriteStream, promises as fsp, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ApiError } from '@shared/api/errors';
import { BACKUP_KINDS } from '@shared/api/ops/backup';

export const BACKUP_EXT = '.cbbackup.sqlite';
export const SIDECAR_EXT = '.json';
export const PARTIAL_EXT = '.partial';

/**
 * The sidecar `<backup file>.json`: what the store's `backups` record says, next to the
 * file, so a backup folder on a USB drive can be listed, checked and restored on another
 * machine (or after the store that recorded it is gone).
 */
export const sidecarSchema = z.object({
  format: z.literal('counterbook-backup/1'),
  id: z.string().min(1),
  createdAt: z.number().int(),
  kind: z.enum(BACKUP_KINDS),
  keep: z.boolean(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  deviceId: z.string(),
  shopName: z.string(),
  appVersion: z.string(),
  note: z.string(),
});
export type Sidecar = z.infer<typeof sidecarSchema>;

/** counterbook-20250615-143000-hourly-<id tail>.cbbackup.sqlite (UTC time, sorts by name). */
export function backupFileName(createdAt: number, kind: string, id: string): string {
  const stamp = new Date(createdAt).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `counterbook-${stamp}-${kind}-${id.replace(/-/g, '').slice(-8)}${BACKUP_EXT}`;
}

export function sidecarPath(backupFile: string): string {
  return backupFile + SIDECAR_EXT;
}

export async function writeSidecar(backupFile: string, sidecar: Sidecar): Promise<void> {
  await writeFileDurably(sidecarPath(backupFile), JSON.stringify(sidecar, null, 2) + '\n');
}

export async function readSidecar(backupFile: string): Promise<Sidecar | null> {
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(await fsp.readFile(sidecarPath(backupFile), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Every backup file with a readable sidecar in `folder` (not recursive). */
export async function scanFolder(folder: string): Promise<{ path: string; sidecar: Sidecar }[]> {
  let names: string[];
  try {
    names = await fsp.readdir(folder);
  } catch {
    return [];
  }
  const found: { path: string; sidecar: Sidecar }[] = [];
  for (const name of names) {
    if (!name.endsWith(BACKUP_EXT)) continue;
    const path = join(folder, name);
    const sidecar = await readSidecar(path);
    if (sidecar) found.push({ path, sidecar });
  }
  return found;
}

/** Removes `*.partial` files a crash left behind in `folder`. */
export async function removePartials(folder: string): Promise<void> {
  let names: string[] = [];
  try {
    names = await fsp.readdir(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.includes(BACKUP_EXT) && name.endsWith(PARTIAL_EXT)) await fsp.rm(join(folder, name), { force: true });
  }
}

export interface HashProgress {
  (doneBytes: number, totalBytes: number): void;
}

/**
 * Copies `from` to `to` (streamed), hashing what it writes; fsyncs `to`. Reads 1 MiB at
 * a time: the chunk stays in the CPU's L2 cache between read() and SHA-256 (less CPU
 * than bigger chunks), and each hash step blocks the event loop for under a millisecond.
 */
export async function copyAndHash(from: string, to: string, onProgress?: HashProgress): Promise<{ sha256: string; sizeBytes: number }> {
  const total = statSync(from).size;
  const hash = createHash('sha256');
  let done = 0;
  await new Promise<void>((resolvePromise, reject) => {
    const input = createReadStream(from, { highWaterMark: 1024 * 1024 });
    const output = createWriteStream(to, { flags: 'w' });
    input.on('data', (chunk) => {
      hash.update(chunk as Buffer);
      done += (chunk as Buffer).length;
      onProgress?.(done, total);
    });
    input.on('error', (error) => {
      output.destroy();
      reject(error);
    });
    output.on('error', reject);
    output.on('finish', () => resolvePromise());
    input.pipe(output);
  });
  await fsyncFile(to);
  return { sha256: hash.digest('hex'), sizeBytes: done };
}

export async function fsyncFile(path: string): Promise<void> {
  const handle = await fsp.open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename in `folder` durable (no-op where directories cannot be opened, e.g. Windows). */
export async function fsyncDir(folder: string): Promise<void> {
  let handle: fsp.FileHandle | null = null;
  try {
    handle = await fsp.open(folder, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform or file system.
  } finally {
    await handle?.close();
  }
}

/** Writes a small file atomically: temp file, fsync, rename, fsync the folder. */
export async function writeFileDurably(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await fsp.writeFile(temp, content, 'utf8');
  await fsyncFile(temp);
  await fsp.rename(temp, path);
  await fsyncDir(dirname(path));
}

/**
 * Checks a backup folder chosen by a person: an absolute path of an existing folder
 * this app can write to (a probe file is written and removed), outside the store folder.
 */
export async function checkBackupFolder(folder: string, storeDir: string): Promise<string> {
  if (!folder.trim()) throw new ApiError('VALIDATION', 'Choose a folder for the backups.', [{ path: 'folder', message: 'Choose a folder.' }]);
  if (!isAbsolute(folder)) {
    throw new ApiError('VALIDATION', `"${folder}" is not a full path. Give the whole path of the folder, e.g. /media/usb/backups or E:\\Backups.`, [
      { path: 'folder', message: 'Give the whole path of the folder.' },
    ]);
  }
  const path = resolve(folder);
  let isDir = false;
  try {
    isDir = (await fsp.stat(path)).isDirectory();
  } catch {
    throw new ApiError('VALIDATION', `The folder ${path} does not exist. Create it (or plug in the drive) and try again.`, [
      { path: 'folder', message: 'This folder does not exist.' },
    ]);
  }
  if (!isDir) throw new ApiError('VALIDATION', `${path} is a file, not a folder.`, [{ path: 'folder', message: 'This is a file, not a folder.' }]);
  const store = resolve(storeDir);
  if (path === store || path.startsWith(store + '/') || path.startsWith(store + '\\')) {
    throw new ApiError('VALIDATION', 'Backups cannot go inside the store folder itself. Choose another folder, ideally on another drive.', [
      { path: 'folder', message: 'Choose a folder outside the store folder.' },
    ]);
  }
  const probe = join(path, `.counterbook-write-test-${process.pid}`);
  try {
    await fsp.access(path, constants.W_OK);
    await fsp.writeFile(probe, 'ok');
    await fsp.rm(probe, { force: true });
  } catch {
    throw new ApiError('VALIDATION', `Counterbook cannot write to ${path}. Check that the drive is not read-only and that you have permission to write there.`, [
      { path: 'folder', message: 'Counterbook cannot write to this folder.' },
    ]);
  }
  return path;
}
