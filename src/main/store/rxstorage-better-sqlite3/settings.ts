import { join, resolve } from 'node:path';

/** `PRAGMA synchronous` levels accepted by the storage. */
export type SynchronousLevel = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export type BetterSqlite3StorageSettings = {
  /**
   * Directory holding the database files, created if missing. Each RxDatabase
   * gets its own file `<path>/<databaseName>.sqlite` (plus SQLite's `-wal` and
   * `-shm` companions).
   */
  path: string;
  /**
   * `PRAGMA synchronous` in WAL mode. Default 'FULL': every acknowledged
   * bulkWrite is fsync'ed and survives a power cut. 'NORMAL' still survives a
   * crash or SIGKILL of the process but may lose the last commits on power loss.
   */
  synchronous?: SynchronousLevel;
  /** How long a writer waits for a lock held by another connection. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Page cache per connection in KiB (`PRAGMA cache_size = -N`). Default 32768 (32 MiB). */
  cacheSizeKiB?: number;
  /**
   * `PRAGMA mmap_size` in bytes. Default 0 (off): on the 1M-document benchmark
   * memory-mapped reads were slower (page faults on every newly touched page)
   * and count toward the process RSS.
   */
  mmapSizeBytes?: number;
  /**
   * Decoded documents kept per collection (see doc-cache.ts), so repeated
   * reads skip the SQLite fetch and JSON.parse. Default 10000; 0 turns the
   * cache off.
   */
  documentCacheSize?: number;
  /**
   * Called while a table made by an older version of this storage is rebuilt on
   * opening (once per table; see CollectionTable.rebuildWithCompactKeys()).
   */
  onTableRebuild?: (progress: TableRebuildProgress) => void;
};

/** A rebuild copies the rows (done/total: rows), then builds the table's indexes (done/total: statements). */
export type TableRebuildProgress = { table: string; phase: 'rows' | 'indexes'; done: number; total: number };

export type ResolvedSettings = Required<BetterSqlite3StorageSettings>;

export const DEFAULT_SETTINGS: Omit<ResolvedSettings, 'path'> = {
  synchronous: 'FULL',
  busyTimeoutMs: 5000,
  cacheSizeKiB: 32 * 1024,
  mmapSizeBytes: 0,
  documentCacheSize: 10_000,
  onTableRebuild: () => undefined,
};

const SYNCHRONOUS_LEVELS: readonly SynchronousLevel[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

export function resolveSettings(settings: BetterSqlite3StorageSettings): ResolvedSettings {
  if (!settings || typeof settings.path !== 'string' || settings.path.length === 0) {
    throw new Error('getRxStorageBetterSqlite3(): option "path" (a directory) is required');
  }
  const resolved: ResolvedSettings = { ...DEFAULT_SETTINGS, ...settings, path: resolve(settings.path) };
  if (!SYNCHRONOUS_LEVELS.includes(resolved.synchronous)) {
    throw new Error(`getRxStorageBetterSqlite3(): unknown synchronous level "${resolved.synchronous}"`);
  }
  return resolved;
}

/**
 * The file of one RxDatabase. The name is percent-encoded so that any
 * database name maps to a single file inside `dir` (no separators, no '..').
 */
export function databaseFilePath(dir: string, databaseName: string): string {
  const safe = encodeURIComponent(databaseName).replace(/\./g, '%2E').replace(/\*/g, '%2A');
  return join(dir, `${safe}.sqlite`);
}
