import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { newId } from '@shared/ids';
import { allCollections, collections, localCollectionNames, replicatedCollectionNames, type ProductDoc } from '@shared/schema';
import { openDatabase, type CounterbookDatabase } from './database';

const T = Date.UTC(2025, 0, 15, 9, 30);

function product(over: Partial<ProductDoc> = {}): ProductDoc {
  return {
    id: newId(), createdAt: T, updatedAt: T, name: 'Sugar 1kg', sku: 'SUG-1', barcode: '6001234567890', priceMinor: 15000,
    currency: 'KES', taxRateBp: 1600, category: 'Groceries', favourite: false, active: true, ...over,
  };
}

const uniqueName = () => 'cbtest' + Math.random().toString(36).slice(2, 10);

describe('openDatabase (memory storage)', () => {
  const opened: CounterbookDatabase[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
  });

  it('creates every collection, replicated and local', async () => {
    const db = await openDatabase({ storage: getRxStorageMemory(), name: uniqueName(), devMode: true });
    opened.push(db);
    expect(Object.keys(db.collections).sort()).toEqual(Object.keys(allCollections).sort());
    expect([...replicatedCollectionNames].sort()).toEqual(Object.keys(collections).sort());
    expect([...localCollectionNames].sort()).toEqual(['backups', 'syncConflicts']);
    expect(Object.keys(db.collections).length).toBeGreaterThan(13); // beyond RxDB's open-source default cap
  });

  it('writes and queries typed documents through the indexes', async () => {
    const db = await openDatabase({ storage: getRxStorageMemory(), name: uniqueName(), devMode: true });
    opened.push(db);
    await db.products.bulkInsert([product({ name: 'B' }), product({ name: 'A' }), product({ name: 'C', active: false })]);
    const active = await db.products.find({ selector: { active: true }, sort: [{ name: 'asc' }] }).exec();
    expect(active.map((d) => d.name)).toEqual(['A', 'B']);
    const byBarcode = await db.products.findOne({ selector: { barcode: '6001234567890' } }).exec();
    expect(byBarcode?.priceMinor).toBe(15000);
  });

  it('validates every write against the JSON schema', async () => {
    const db = await openDatabase({ storage: getRxStorageMemory(), name: uniqueName() });
    opened.push(db);
    await expect(db.products.insert({ ...product(), priceMinor: 149.99 })).rejects.toThrow();
    await expect(db.products.insert({ ...product(), name: '' })).rejects.toThrow();
    const res = await db.products.bulkInsert([product(), { ...product(), currency: 'kes' }]);
    expect(res.success).toHaveLength(1);
    expect(res.error).toHaveLength(1);
    expect(res.error[0]!.status).toBe(422);
  });

  it('several databases can be open in one process', async () => {
    const [a, b] = await Promise.all([
      openDatabase({ storage: getRxStorageMemory(), name: uniqueName() }),
      openDatabase({ storage: getRxStorageMemory(), name: uniqueName() }),
    ]);
    opened.push(a, b);
    await a.customers.insert({ id: newId(), createdAt: T, updatedAt: T, name: 'X', phone: '', reminderOptOut: false, reminderCount: 0 });
    expect(await a.customers.count().exec()).toBe(1);
    expect(await b.customers.count().exec()).toBe(0);
  });

  it('deletes are tombstones', async () => {
    const db = await openDatabase({ storage: getRxStorageMemory(), name: uniqueName() });
    opened.push(db);
    const doc = await db.products.insert(product());
    await doc.remove();
    expect(await db.products.count().exec()).toBe(0);
    const raw = await db.products.storageInstance.findDocumentsById([doc.id], true);
    expect(raw[0]?._deleted).toBe(true);
  });
});

describe('openDatabase (better-sqlite3 storage)', () => {
  it('persists across close and reopen on a temp dir', async () => {
    const { getRxStorageBetterSqlite3 } = await import('./rxstorage-better-sqlite3');
    const dir = mkdtempSync(join(tmpdir(), 'cb-db-'));
    try {
      const name = 'counterbook';
      const p = product();
      const db1 = await openDatabase({ storage: getRxStorageBetterSqlite3({ path: dir }), name });
      await db1.products.insert(p);
      await expect(db1.products.insert({ ...product(), priceMinor: 1.5 })).rejects.toThrow();
      await db1.close();
      const db2 = await openDatabase({ storage: getRxStorageBetterSqlite3({ path: dir }), name });
      const again = await db2.products.findOne(p.id).exec();
      expect(again?.toJSON()).toMatchObject({ name: p.name, priceMinor: p.priceMinor });
      expect(await db2.sales.count().exec()).toBe(0);
      await db2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
