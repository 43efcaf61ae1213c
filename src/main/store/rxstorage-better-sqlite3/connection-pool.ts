/**
 * One better-sqlite3 connection per database file and process, shared by all
 * storage instances (collections) of that file and reference-counted: the
 * first instance opens it, the last `close()` closes it. Prepared statements
 * are cached per connection by their SQL text.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Subject } from 'rxjs';
import { DocumentCache } from './doc-cache';
import type { ResolvedSettings } from './settings';

/** Per-table state shared by the instances of one collection on one connection. */
export type TableState = {
  /** Change stream of the table; every instance of the collection in this process sees every write. */
  readonly changes$: Subject<unknown>;
  /** Decoded documents of the table (see doc-cache.ts). */
  readonly docs: DocumentCache;
  refCount: number;
};

export type StatementMode = 'all' | 'pluck' | 'raw';

export type SharedConnection = {
  readonly file: string;
  readonly db: Database.Database;
  refCount: number;
  readonly tables: Map<string, TableState>;
  /**
   * Returns the cached prepared statement for `sql`, preparing it on first
   * use; 'pluck' returns the first column, 'raw' rows as arrays.
   */
  prepare(sql: string, mode?: StatementMode): Database.Statement;
  /** Forgets cached statements (after DDL that dropped tables). */
  clearStatements(): void;
  /**
   * Runs `fn` in a write transaction (BEGIN IMMEDIATE), or in a savepoint
   * when a transaction is already open. Throwing rolls it back.
   */
  writeTransaction<T>(fn: () => T): T;
  /** Runs `fn` in a read transaction (BEGIN DEFERRED: one snapshot for several statements), or as it is inside one. */
  readTransaction<T>(fn: () => T): T;
  /**
   * Clears the document caches of every table if another connection (another
   * process) committed since the last call (`PRAGMA data_version`). Called
   * before every read and inside every write transaction.
   */
  syncExternalWrites(): void;
};

const OPEN_CONNECTIONS = new Map<string, SharedConnection>();

function openConnection(file: string, settings: ResolvedSettings): SharedConnection {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: settings.busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${settings.synchronous}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(settings.busyTimeoutMs))}`);
    db.pragma(`cache_size = -${Math.max(0, Math.floor(settings.cacheSizeKiB))}`);
    db.pragma(`mmap_size = ${Math.max(0, Math.floor(settings.mmapSizeBytes))}`);
    db.pragma('temp_store = MEMORY');
    // Large bulk writes grow the WAL; truncate it back after checkpoints.
    db.pragma('journal_size_limit = 67108864');
  } catch (err) {
    db.close();
    throw err;
  }
  const statements = new Map<string, Database.Statement>();
  const runner = db.transaction((fn: () => unknown) => fn());
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let lastDataVersion = dataVersion.get() as number;
  const tables = new Map<string, TableState>();
  return {
    file,
    db,
    refCount: 0,
    tables,
    prepare(sql, mode = 'all') {
      const cacheKey = mode + sql;
      let stmt = statements.get(cacheKey);
      if (!stmt) {
        stmt = db.prepare(sql);
        if (mode === 'pluck') stmt.pluck();
        else if (mode === 'raw') stmt.raw();
        statements.set(cacheKey, stmt);
      }
      return stmt;
    },
    syncExternalWrites() {
      const version = dataVersion.get() as number;
      if (version === lastDataVersion) return;
      lastDataVersion = version;
      for (const state of tables.values()) state.docs.clear();
    },
    clearStatements() {
      statements.clear();
    },
    writeTransaction<T>(fn: () => T): T {
      return runner.immediate(fn) as T;
    },
    readTransaction<T>(fn: () => T): T {
      return db.inTransaction ? fn() : (runner.deferred(fn) as T);
    },
  };
}

/**
 * Opens (or reuses) the connection of `file` and takes a reference on it.
 * Settings apply when the file is first opened in this process.
 */
export function acquireConnection(file: string, settings: ResolvedSettings): SharedConnection {
  let conn = OPEN_CONNECTIONS.get(file);
  if (!conn) {
    conn = openConnection(file, settings);
    OPEN_CONNECTIONS.set(file, conn);
  }
  conn.refCount++;
  return conn;
}

/**
 * Drops a reference; the last one closes the connection. A file left without
 * any table (every collection of the database was removed) is deleted.
 */
export function releaseConnection(conn: SharedConnection): void {
  conn.refCount--;
  if (conn.refCount > 0) return;
  if (OPEN_CONNECTIONS.get(conn.file) === conn) OPEN_CONNECTIONS.delete(conn.file);
  conn.clearStatements();
  let isEmpty = false;
  try {
    isEmpty = conn.db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() === 0;
  } finally {
    conn.db.close();
  }
  if (isEmpty) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      const path = conn.file + suffix;
      if (existsSync(path)) rmSync(path, { force: true });
    }
  }
}

/** The open connection of `file` in this process, if any storage instance holds it. */
export function getOpenConnection(file: string): SharedConnection | undefined {
  return OPEN_CONNECTIONS.get(file);
}

/** Takes a reference on the table state of `tableName`, creating it on first use. */
export function acquireTableState(conn: SharedConnection, tableName: string, cacheSize: number): TableState {
  let state = conn.tables.get(tableName);
  if (!state) {
    state = { changes$: new Subject(), docs: new DocumentCache(cacheSize), refCount: 0 };
    conn.tables.set(tableName, state);
  }
  state.refCount++;
  return state;
}

export function releaseTableState(conn: SharedConnection, tableName: string): void {
  const state = conn.tables.get(tableName);
  if (!state) return;
  state.refCount--;
  if (state.refCount <= 0) {
    conn.tables.delete(tableName);
    state.docs.clear();
    state.changes$.complete();
  }
}
