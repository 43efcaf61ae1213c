/**
 * Shared fixtures for this folder's tests (not used by the storage itself).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxDocumentData, RxJsonSchema, RxStorage, RxStorageInstance } from 'rxdb';
import { fillWithDefaultSettings, normalizeMangoQuery, now, prepareQuery, randomToken } from 'rxdb';
import type { MangoQuery, PreparedQuery } from 'rxdb';

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
