/**
 * rxstorage-better-sqlite3: an RxDB RxStorage on better-sqlite3 (see README.md).
 *
 *   const storage = getRxStorageBetterSqlite3({ path: '/app-data/db' });
 *   const db = await createRxDatabase({ name: 'counterbook', storage });
 *   // file: /app-data/db/counterbook.sqlite
 */
import type Database from 'better-sqlite3';
import type { WriteHook } from './bulk-write';
import type { RxStorageBetterSqlite3 } from './storage';

export { getRxStorageBetterSqlite3, RX_STORAGE_NAME_BETTER_SQLITE3 } from './storage';
export type { RxStorageBetterSqlite3 } from './storage';
export type { BetterSqlite3StorageSettings, SynchronousLevel, TableRebuildProgress } from './settings';
export type { StoredDocument, WriteHook, WriteHookEvent, WrittenRow } from './bulk-write';
export type { BetterSqlite3Internals, BetterSqlite3InstanceCreationOptions } from './storage-instance';
export { RxStorageInstanceBetterSqlite3 } from './storage-instance';
export { toSqliteKey } from './key-encoding';

/**
 * The better-sqlite3 connection of an open RxDatabase (one per file and
 * process, shared by all its collections). Use it for `db.backup(file)`, for
 * your own tables in the same file, or for reads. Do not close it: it closes
 * when the RxDatabase closes. Throws if no collection of that database is
 * open in this process. Pass the storage you created, not a wrapper around it
 * (e.g. not the result of wrappedValidateAjvStorage()).
 */
export function getSqliteDatabase(storage: RxStorageBetterSqlite3, databaseName: string): Database.Database {
  return storage.getSqliteDatabase(databaseName);
}

/**
 * Registers a hook that runs synchronously inside the SQLite transaction of
 * every bulkWrite of this storage (all databases and collections, RxDB's
 * internal ones included: filter on `event.collectionName`), after the
 * documents were written and before COMMIT. Whatever the hook writes through
 * `event.db` commits or rolls back together with the documents. A hook that
 * throws rolls the whole bulkWrite back and makes it reject. Returns the
 * function that unregisters the hook.
 */
export function addWriteHook(storage: RxStorageBetterSqlite3, hook: WriteHook): () => void {
  return storage.addWriteHook(hook);
}
