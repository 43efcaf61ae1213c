/**
 * Shared fixtures for this folder's tests, and for tests of the store upgrade elsewhere
 * (not used by the storage itself).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxDocumentData, RxJsonSchema, RxStorage, RxStorageInstance } from 'rxdb';
import { fillWithDefaultSettings, getIndexableStringMonad, normalizeMangoQuery, now, prepareQuery, randomToken } from 'rxdb';
import type { MangoQuery, PreparedQuery } from 'rxdb';
import { toSqliteKey } from './key-encoding';
import { LEGACY_KEY_PREFIX, docsTableNameOf, getTableLayout, quoteIdentifier } from './table-layout';

export function makeTempDir(prefix = 'rxs-bsq3-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type TestDoc = {
  id: string;
  name: string;
  age: number;
  tag?: string;
};

export function testSchema(overrides: Partial<RxJsonSchema<TestDoc>> = {}): RxJsonSchema<RxDocumentData<TestDoc>> {
  return fillWithDefaultSettings<TestDoc>({
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 40 },
      name: { type: 'string', maxLength: 40 },
      age: { type: 'integer', minimum: -1000, maximum: 1000, multipleOf: 1 },
      tag: { type: 'string', maxLength: 20 },
    },
    required: ['id', 'name', 'age'],
    indexes: ['name', 'age', ['name', 'age']],
    ...overrides,
  });
}

export function doc(id: string, name: string, age: number, extra: Partial<RxDocumentData<TestDoc>> = {}): RxDocumentData<TestDoc> {
  return {
    id,
    name,
    age,
    _deleted: false,
    _attachments: {},
    _rev: '1-' + randomToken(10),
    _meta: { lwt: now() },
    ...extra,
  };
}

/** The next revision of a stored document with changes applied. */
export function nextRev<T>(previous: RxDocumentData<T>, changes: Partial<RxDocumentData<T>> = {}): RxDocumentData<T> {
  const height = Number(previous._rev.split('-')[0]) + 1;
  return { ...previous, ...changes, _rev: `${height}-${randomToken(10)}`, _meta: { lwt: now() } };
}

export async function createInstance<T = TestDoc>(
  storage: RxStorage<unknown, unknown>,
  databaseName: string,
  collectionName: string,
  schema: RxJsonSchema<RxDocumentData<T>>,
): Promise<RxStorageInstance<T, unknown, unknown>> {
  return storage.createStorageInstance<T>({
    databaseInstanceToken: randomToken(10),
    databaseName,
    collectionName,
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  });
}

/** A query prepared the way RxDB prepares it (normalized, with its query plan). */
export function prepared<T>(schema: RxJsonSchema<RxDocumentData<T>>, query: MangoQuery<RxDocumentData<T>>): PreparedQuery<T> {
  return prepareQuery<T>(schema, normalizeMangoQuery<T>(schema, query as MangoQuery<T>));
}

/** A stored row of a documents table as the storage writes it (id already a SQLite key). */
export type StoredRow = { id: string; lwt: number; deleted: number; data: string };

/**
 * Creates a documents table (and its key indexes) the way the storage laid tables out
 * before the compact keys: key columns "key:<fields>" holding RxDB's padded index
 * strings; `rows` go in as they are. `full`: the schema with RxDB's defaults filled in.
 * For tests of the one-time upgrade of older stores.
 */
export function writeLegacyKeysTable(db: Database.Database, collectionName: string, full: RxJsonSchema<RxDocumentData<unknown>>, rows: readonly StoredRow[]): void {
  const layout = getTableLayout(collectionName, full);
  const t = docsTableNameOf(collectionName, full.version);
  const keyCols = layout.keyColumns.map((k) => quoteIdentifier(LEGACY_KEY_PREFIX + k.indexName));
  const padded = layout.keyColumns.map((k) => getIndexableStringMonad(full as never, [...k.fields]));
  db.exec(`CREATE TABLE ${quoteIdentifier(t)} (id TEXT NOT NULL PRIMARY KEY, lwt REAL NOT NULL, deleted INTEGER NOT NULL, ${keyCols.map((c) => `${c} TEXT NOT NULL`).join(', ')}, data TEXT NOT NULL)`);
  keyCols.forEach((c, i) => db.exec(`CREATE INDEX ${quoteIdentifier(`${t}:${layout.keyColumns[i]!.indexName}`)} ON ${quoteIdentifier(t)} (${c})`));
  const insert = db.prepare(`INSERT INTO ${quoteIdentifier(t)} VALUES (${['?', '?', '?', ...keyCols.map(() => '?'), '?'].join(', ')})`);
  for (const r of rows) insert.run(r.id, r.lwt, r.deleted, ...padded.map((f) => toSqliteKey(f(JSON.parse(r.data) as never))), r.data);
}

/** Rewrites a table of a closed SQLite file in the layout from before the compact keys (see writeLegacyKeysTable). */
export function rewriteAsLegacyKeys(file: string, collectionName: string, schema: RxJsonSchema<RxDocumentData<unknown>>): number {
  const full = fillWithDefaultSettings(schema as never) as RxJsonSchema<RxDocumentData<unknown>>;
  const t = quoteIdentifier(docsTableNameOf(collectionName, full.version));
  const db = new Database(file);
  try {
    const rows = db.prepare(`SELECT id, lwt, deleted, data FROM ${t} ORDER BY rowid`).all() as StoredRow[];
    db.transaction(() => {
      db.exec(`DROP TABLE ${t}`);
      writeLegacyKeysTable(db, collectionName, full, rows);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return rows.length;
  } finally {
    db.close();
  }
}
