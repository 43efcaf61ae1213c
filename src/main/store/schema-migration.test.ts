// A collection whose schema version went up migrates the documents already stored in
// the SQLite file when the store opens. syncConflicts went from v0 to v1 (it gained
// `reason`); a store written by v0 must open with every conflict kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { newId } from '@shared/ids';
import { syncConflictsSchema } from '@shared/schema';
import { getRxStorageBetterSqlite3 } from './rxstorage-better-sqlite3';
import { DEFAULT_DATABASE_NAME } from './database';
import { openStore } from './open-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** syncConflicts as version 0 stored it: no `reason`. */
function version0(): RxJsonSchema<unknown> {
  const { reason: _dropped, ...properties } = syncConflictsSchema.properties as Record<string, unknown>;
  return { ...(syncConflictsSchema as RxJsonSchema<unknown>), version: 0, properties } as RxJsonSchema<unknown>;
}

it('opens a store whose syncConflicts were written by schema v0, keeping every conflict', async () => {
  expect(syncConflictsSchema.version).toBe(1);
  const T = Date.UTC(2026, 10, 20, 9);
  const docs = Array.from({ length: 3 }, (_, i) => ({
    id: newId(), createdAt: T + i, updatedAt: T + i, collectionName: 'products', docId: `p-${i}`,
    localDoc: { priceMinor: 100 + i }, serverDoc: { priceMinor: 200 + i }, fields: ['priceMinor'], detectedAt: T + i, resolved: i === 2,
  }));

  // The old app: the same file, the collection at version 0.
  const old = await createRxDatabase({ name: DEFAULT_DATABASE_NAME, storage: getRxStorageBetterSqlite3({ path: dir }), multiInstance: false });
  await old.addCollections({ syncConflicts: { schema: version0() } });
  await old.syncConflicts!.bulkInsert(docs);
  await old.close();

  const store = await openStore({ dir });
  try {
    const found = await store.db.collections.syncConflicts.find({ sort: [{ detectedAt: 'asc' }] }).exec();
    expect(found.map((d) => d.toJSON())).toEqual(docs.map((d) => expect.objectContaining({ id: d.id, docId: d.docId, localDoc: d.localDoc, resolved: d.resolved })));
    expect(found.every((d) => d.reason === undefined)).toBe(true);
    // The new field is usable at once.
    await store.db.collections.syncConflicts.insert({ ...docs[0]!, id: newId(), reason: 'The day 2026-11-20 is closed for register D01.' });
    expect(await store.db.collections.syncConflicts.count({ selector: { resolved: false } }).exec()).toBe(3);
  } finally {
    await store.close();
  }
});
