// Opens the local store: one RxDatabase holding every collection of src/shared/schema
// (replicated and local-only), on whatever RxStorage the caller gives (the
// better-sqlite3 storage in the app, the memory storage in tests), wrapped in
// wrappedValidateAjvStorage so every write, including replication writes, is checked
// against the JSON schema.
import {
  OPEN_COLLECTIONS,
  addRxPlugin,
  createRxDatabase,
  type RxCollection,
  type RxCollectionCreator,
  type RxDatabase,
  type RxStorage,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import {
  allCollections,
  type CollectionDocTypes,
  type CollectionName,
  type LocalDocTypes,
  type ReplicatedDocTypes,
} from '@shared/schema';

export type CounterbookCollections = { [N in CollectionName]: RxCollection<CollectionDocTypes[N]> };
export type CounterbookReplicatedCollections = { [N in keyof ReplicatedDocTypes]: RxCollection<ReplicatedDocTypes[N]> };
export type CounterbookLocalCollections = { [N in keyof LocalDocTypes]: RxCollection<LocalDocTypes[N]> };
export type CounterbookDatabase = RxDatabase<CounterbookCollections>;

export const DEFAULT_DATABASE_NAME = 'counterbook';

export interface OpenDatabaseOptions {
  /** The raw storage (not wrapped): the validation wrapper is added here. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storage: RxStorage<any, any>;
  /** Database name (the SQLite file name for the better-sqlite3 storage). Default 'counterbook'. */
  name?: string;
  /** One process owns the store (the core); there is no cross-tab/process event channel. */
  multiInstance?: false;
  /** Adds RxDB's dev-mode plugin (schema and query checks, deep-frozen documents). Slower; for tests and development. */
  devMode?: boolean;
}

let devModeAdded: Promise<void> | undefined;

async function ensureDevMode(): Promise<void> {
  devModeAdded ??= (async () => {
    const devMode = await import('rxdb/plugins/dev-mode');
    devMode.disableWarnings();
    addRxPlugin(devMode.RxDBDevModePlugin);
  })();
  return devModeAdded;
}

/**
 * RxDB's open-source build refuses more than 13 open collections per process
 * (error COL23, `hasPremiumFlag()` in rxdb's utils-premium.ts); Counterbook has
 * more. The RxDB author explicitly allows overriding that check in the open-source
 * code ("Yes you are allowed to fork the repo and just overwrite this function").
 * OPEN_COLLECTIONS is used only for that count, so we add collections in batches and
 * take ours out of the count. If the project buys RxDB premium, set the premium
 * flag instead and remove this.
 */
const COLLECTION_BATCH = 10;

// A collection whose schema version went up migrates its stored documents with the
// collection's migrationStrategies when the store opens (addCollections waits for it).
addRxPlugin(RxDBMigrationSchemaPlugin);

/** Open (or create) the store with every collection. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<CounterbookDatabase> {
  if (options.devMode) await ensureDevMode();
  const storage = wrappedValidateAjvStorage({ storage: options.storage });
  const db = await createRxDatabase<CounterbookCollections>({
    name: options.name ?? DEFAULT_DATABASE_NAME,
    storage,
    multiInstance: options.multiInstance ?? false,
    eventReduce: true,
    // Tombstones must replicate (data rule 8); the sync engine decides when they may go.
    cleanupPolicy: { minimumDeletedTime: Number.MAX_SAFE_INTEGER, awaitReplicationsInSync: true, waitForLeadership: false },
  });
  try {
    const creators = Object.entries(allCollections).map(
      ([name, spec]) => [name, { schema: spec.schema, migrationStrategies: spec.migrationStrategies }] as [string, RxCollectionCreator],
    );
    for (let i = 0; i < creators.length; i += COLLECTION_BATCH) {
      const batch = Object.fromEntries(creators.slice(i, i + COLLECTION_BATCH));
      const added = await db.addCollections(batch);
      for (const c of Object.values(added)) OPEN_COLLECTIONS.delete(c as never);
    }
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}
