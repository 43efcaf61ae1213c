import type Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';
import { getRxStorageBetterSqlite3, getSqliteDatabase, type RxStorageBetterSqlite3, type TableRebuildProgress } from './rxstorage-better-sqlite3';
import { DEFAULT_DATABASE_NAME, openDatabase, type CounterbookDatabase } from './database';

export interface Store {
  readonly db: CounterbookDatabase;
  /** The store's SQLite connection (backups, the write path's transaction, local metadata). */
  readonly sqlite: Database.Database;
  readonly storage: RxStorageBetterSqlite3;
  readonly file: string;
  /**
   * A read-only descriptor of the SQLite file, for page-level copies (backups). Opened on
   * first use and closed only after the store's connections are: closing any descriptor of
   * a file drops every POSIX lock this process holds on it, SQLite's own included.
   */
  fileDescriptor(): number;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Folder of the SQLite file (`dataPaths(dataDir).store`). */
  dir: string;
  devMode?: boolean;
  /** Progress of a one-time table rebuild when the file was written by an older storage layout. */
  onTableRebuild?: (progress: TableRebuildProgress) => void;
}

/** Opens the local store: the RxDatabase with every collection on our better-sqlite3 storage. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const base = getRxStorageBetterSqlite3({ path: options.dir, ...(options.onTableRebuild ? { onTableRebuild: options.onTableRebuild } : {}) });
  // RxDB allows one open database per (storage name, database name) in a process; naming the
  // storage after its folder lets two stores be open at once (a backup being verified, tests).
  const storage: RxStorageBetterSqlite3 = { ...base, name: `${base.name}:${base.settings.path}` };
  const db = await openDatabase({ storage, devMode: options.devMode ?? false });
  const sqlite = getSqliteDatabase(storage, DEFAULT_DATABASE_NAME);
  sqlite.exec('CREATE TABLE IF NOT EXISTS counterbook_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const file = storage.databaseFile(DEFAULT_DATABASE_NAME);
  let fd: number | null = null;
  return {
    db,
    sqlite,
    storage,
    file,
    fileDescriptor: () => (fd ??= openSync(file, 'r')),
    close: async () => {
      await db.close();
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** Device-local settings in the store file (not replicated): who this device is, pairing state. */
export function readMeta(sqlite: Database.Database, key: string): string | null {
  const row = sqlite.prepare('SELECT value FROM counterbook_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function writeMeta(sqlite: Database.Database, key: string, value: string): void {
  sqlite.prepare('INSERT INTO counterbook_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
