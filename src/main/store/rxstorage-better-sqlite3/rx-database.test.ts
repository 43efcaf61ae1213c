/**
 * The storage under a real RxDatabase, in dev-mode and wrapped with the ajv
 * validator, as the app will use it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RxCollection, RxDatabase, RxJsonSchema } from 'rxdb';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RxStorageBetterSqlite3 } from './index';
import { getRxStorageBetterSqlite3, getSqliteDatabase } from './index';
import { makeTempDir } from './test-support';

type Sale = { id: string; register: string; createdAt: number; totalMinor: number; status: 'open' | 'paid' | 'void'; note?: string };

const saleSchema: RxJsonSchema<Sale> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    register: { type: 'string', maxLength: 20 },
    createdAt: { type: 'integer', minimum: 0, maximum: 1e13, multipleOf: 1 },
    totalMinor: { type: 'integer', minimum: -1e9, maximum: 1e9, multipleOf: 1 },
    status: { type: 'string', enum: ['open', 'paid', 'void'], maxLength: 4 },
    note: { type: 'string' },
  },
  required: ['id', 'register', 'createdAt', 'totalMinor', 'status'],
  indexes: [['register', 'createdAt'], 'status'],
  attachments: {},
};

type Collections = { sales: RxCollection<Sale> };

let tmp: ReturnType<typeof makeTempDir>;
let storage: RxStorageBetterSqlite3;
const databases: RxDatabase<Collections>[] = [];

beforeAll(() => {
  disableWarnings();
  addRxPlugin(RxDBDevModePlugin);
  addRxPlugin(RxDBAttachmentsPlugin);
});

beforeEach(() => {
  tmp = makeTempDir();
  storage = getRxStorageBetterSqlite3({ path: tmp.dir });
});

afterEach(async () => {
  for (const db of databases.splice(0)) if (!db.closed) await db.close();
  tmp.cleanup();
});

async function openDb(name = 'counter', options: { allowSlowCount?: boolean } = {}) {
  const db = await createRxDatabase<Collections>({
    name,
    storage: wrappedValidateAjvStorage({ storage }),
    multiInstance: false,
    ...options,
  });
  databases.push(db);
  await db.addCollections({ sales: { schema: saleSchema } });
  return db;
}

const sale = (i: number, register = 'r1', status: Sale['status'] = 'paid'): Sale => ({
  id: 's' + String(i).padStart(4, '0'),
  register,
  createdAt: 1_700_000_000_000 + i * 60_000,
  totalMinor: i * 100 - 250,
  status,
});

describe('RxDatabase on better-sqlite3 (dev-mode, ajv)', () => {
  it('inserts, finds, counts, updates and removes documents', async () => {
    const db = await openDb();
    await db.sales.bulkInsert([sale(1), sale(2, 'r2'), sale(3), sale(4, 'r1', 'void'), sale(5, 'r2', 'open')]);
    await db.sales.insert(sale(6));

    const r1 = await db.sales
      .find({ selector: { register: 'r1', createdAt: { $gte: sale(2).createdAt } }, sort: [{ createdAt: 'desc' }] })
      .exec();
    expect(r1.map((d) => d.id)).toEqual(['s0006', 's0004', 's0003']);
    expect(await db.sales.count({ selector: { register: 'r1' } }).exec()).toBe(4);
    expect(await db.sales.count({ selector: { status: 'paid' } }).exec()).toBe(4);

    const doc = await db.sales.findOne('s0003').exec();
    await doc!.incrementalPatch({ totalMinor: 999, note: 'fixed' });
    expect((await db.sales.findOne('s0003').exec())!.toJSON()).toMatchObject({ totalMinor: 999, note: 'fixed' });

    await (await db.sales.findOne('s0001').exec())!.remove();
    expect(await db.sales.count().exec()).toBe(5);
    expect(await db.sales.findOne('s0001').exec()).toBeNull();
    // s0001 (-150) is deleted, s0002 (-50) is the only negative total left
    expect((await db.sales.find({ selector: { totalMinor: { $lt: 0 } } }).exec()).map((d) => d.id)).toEqual(['s0002']);
  });

  it('rejects documents the schema does not allow (validation wrapper sees the storage)', async () => {
    const db = await openDb();
    await expect(db.sales.insert({ ...sale(1), totalMinor: 1.5 })).rejects.toThrow();
    expect(await db.sales.count().exec()).toBe(0);
  });

  it('needs allowSlowCount for counts the index cannot answer, like RxDB storages with a slow count', async () => {
    const db = await openDb();
    await db.sales.bulkInsert([sale(1), sale(2), sale(3)]);
    await expect(db.sales.count({ selector: { totalMinor: { $gt: 0 } } }).exec()).rejects.toThrow(/QU14/);
    await db.close();
    const slowOk = await openDb('counter', { allowSlowCount: true });
    expect(await slowOk.sales.count({ selector: { totalMinor: { $gt: 0 } } }).exec()).toBe(1); // only s0003 (+50)
  });

  it('emits reactive query results on writes', async () => {
    const db = await openDb();
    const emissions: string[][] = [];
    const sub = db.sales
      .find({ selector: { register: 'r1' }, sort: [{ createdAt: 'asc' }] })
      .$.subscribe((docs) => emissions.push(docs.map((d) => d.id)));
    const counts: number[] = [];
    const countSub = db.sales.count({ selector: { register: 'r1' } }).$.subscribe((n) => counts.push(n));
    const waitFor = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(check()).toBe(true);
    };
    await waitFor(() => emissions.length === 1);
    await db.sales.insert(sale(2));
    await waitFor(() => emissions.some((e) => e.join() === 's0002'));
    await db.sales.insert(sale(1));
    await db.sales.insert(sale(3, 'r2'));
    await waitFor(() => emissions.some((e) => e.join() === 's0001,s0002'));
    await (await db.sales.findOne('s0002').exec())!.remove();
    await waitFor(() => emissions[emissions.length - 1]!.join() === 's0001');
    await waitFor(() => counts[counts.length - 1] === 1);
    expect(emissions[0]).toEqual([]);
    expect(emissions.flat()).not.toContain('s0003');
    sub.unsubscribe();
    countSub.unsubscribe();
  });

  it('stores attachments through the RxDB attachments plugin', async () => {
    const db = await openDb();
    const doc = await db.sales.insert(sale(1));
    await doc.putAttachment({ id: 'receipt.txt', type: 'text/plain', data: new Blob(['Receipt ✓ 😀']) });
    const reopened = await db.sales.findOne('s0001').exec();
    const attachment = reopened!.getAttachment('receipt.txt');
    expect(await attachment!.getStringData()).toBe('Receipt ✓ 😀');
    await attachment!.remove();
    expect((await db.sales.findOne('s0001').exec())!.allAttachments()).toEqual([]);
  });

  it('finds the data again after closing and reopening the database', async () => {
    const db = await openDb();
    await db.sales.bulkInsert(Array.from({ length: 50 }, (_, i) => sale(i, i % 2 ? 'r1' : 'r2')));
    await db.close();
    const again = await openDb();
    expect(await again.sales.count({ selector: { register: 'r2' } }).exec()).toBe(25);
    expect(getSqliteDatabase(storage, 'counter').pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('database.remove() deletes the database file', async () => {
    const db = await openDb('doomed');
    await db.sales.insert(sale(1));
    const file = join(tmp.dir, 'doomed.sqlite');
    expect(existsSync(file)).toBe(true);
    await db.remove();
    expect(existsSync(file)).toBe(false);
  });
});
