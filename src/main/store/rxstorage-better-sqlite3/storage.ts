/**
 * The RxStorage object: creates storage instances on the shared connection of
 * `<path>/<databaseName>.sqlite`, and gives the rest of the app access to that
 * connection (backups) and to the write transaction (write hooks).
 */
import type Database from 'better-sqlite3';
import type { RxStorage, RxStorageInstanceCreationParams } from 'rxdb';
import { ensureRxStorageInstanceParamsAreCorrect, RXDB_VERSION } from 'rxdb';
import type { WriteHook } from './bulk-write';
import { CollectionTable } from './collection-table';
import { acquireConnection, acquireTableState, getOpenConnection, releaseConnection, releaseTableState } from './connection-pool';
import type { BetterSqlite3StorageSettings, ResolvedSettings } from './settings';
import { databaseFilePath, resolveSettings } from './settings';
import type { BetterSqlite3InstanceCreationOptions, BetterSqlite3Internals } from './storage-instance';
import { RxStorageInstanceBetterSqlite3 } from './storage-instance';
import { getTableLayout } from './table-layout';

export const RX_STORAGE_NAME_BETTER_SQLITE3 = 'better-sqlite3';

export interface RxStorageBetterSqlite3
  extends RxStorage<BetterSqlite3Internals, BetterSqlite3InstanceCreationOptions> {
  readonly settings: Readonly<ResolvedSettings>;
  /** The file that holds the RxDatabase called `databaseName`. */
  databaseFile(databaseName: string): string;
  /** See `getSqliteDatabase()` in index.ts. */
  getSqliteDatabase(databaseName: string): Database.Database;
  /** See `addWriteHook()` in index.ts. */
  addWriteHook(hook: WriteHook): () => void;
  createStorageInstance<RxDocType>(
    params: RxStorageInstanceCreationParams<RxDocType, BetterSqlite3InstanceCreationOptions>,
  ): Promise<RxStorageInstanceBetterSqlite3<RxDocType>>;
}

export function getRxStorageBetterSqlite3(settings: BetterSqlite3StorageSettings): RxStorageBetterSqlite3 {
  const resolved = resolveSettings(settings);
  const writeHooks = new Set<WriteHook>();
  const storage: RxStorageBetterSqlite3 = {
    name: RX_STORAGE_NAME_BETTER_SQLITE3,
    rxdbVersion: RXDB_VERSION,
    settings: resolved,
    databaseFile: (databaseName) => databaseFilePath(resolved.path, databaseName),
    getSqliteDatabase(databaseName) {
      const conn = getOpenConnection(storage.databaseFile(databaseName));
      if (!conn) {
        throw new Error(`rxstorage-better-sqlite3: database "${databaseName}" is not open in this process`);
      }
      return conn.db;
    },
    addWriteHook(hook) {
      writeHooks.add(hook);
      return () => void writeHooks.delete(hook);
    },
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, BetterSqlite3InstanceCreationOptions>,
    ): Promise<RxStorageInstanceBetterSqlite3<RxDocType>> {
      ensureRxStorageInstanceParamsAreCorrect(params);
      const file = storage.databaseFile(params.databaseName);
      const layout = getTableLayout(params.collectionName, params.schema);
      const conn = acquireConnection(file, resolved);
      let tableStateTaken = false;
      try {
        const tableState = acquireTableState(conn, layout.docsTableName, resolved.documentCacheSize);
        tableStateTaken = true;
        // Dev-mode: cached documents are deep-frozen, so a caller mutating one fails loudly.
        if (params.devMode) tableState.docs.freeze = true;
        const table = new CollectionTable(conn, layout, tableState.docs, resolved.onTableRebuild);
        table.ensureCreated();
        return new RxStorageInstanceBetterSqlite3<RxDocType>(
          params.databaseName,
          params.collectionName,
          params.schema,
          { databaseFile: file, tableName: layout.docsTableName, connection: conn },
          params.options ?? {},
          table,
          tableState,
          writeHooks,
        );
      } catch (err) {
        if (tableStateTaken) releaseTableState(conn, layout.docsTableName);
        releaseConnection(conn);
        throw err;
      }
    },
  };
  return storage;
}
