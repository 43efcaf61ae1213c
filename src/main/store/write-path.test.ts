import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '@shared/api/errors';
import { newId } from '@shared/ids';
import { silentLogger } from '../core/log';
import { verifyChain } from '../audit/hash-chain';
import { addWriteHook } from './rxstorage-better-sqlite3';
import { openStore, type Store } from './open-store';
import { WritePath } from './write-path';

let dir: string;
let store: Store;
let path: WritePath;
const actor = { userId: 'user-1', name: 'Ada' };

function product(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    name: 'Tea 500g',
    sku: 'TEA-500',
    barcode: '5000000000017',
    priceMinor: 450,
    currency: 'USD',
    taxRateBp: 0,
    category: 'Groceries',
    favourite: false,
    active: true,
    ...overrides,
  };
}

async function auditRows() {
  const docs = await store.db.collections.auditLog.find({ sort: [{ seq: 'asc' }] }).exec();
  return docs.map((d) => d.toMutableJSON());
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-write-'));
  store = await openStore({ dir });
  path = new WritePath({ db: store.db, sqlite: store.sqlite, deviceId: 'device-1', appVersion: '1.0.0', logger: silentLogger });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('write path', () => {
  it('writes the change and a hash-chained audit entry with the diff', async () => {
    const p = product();
    await path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', p as never));
    await path.run({ action: 'product.update', actor, reason: 'supplier price' }, (tx) => tx.update('products', p.id, { priceMinor: 500 } as never));

    const stored = await store.db.collections.products.findOne(p.id).exec();
    expect(stored?.priceMinor).toBe(500);
    const audit = await auditRows();
    expect(audit.map((a) => [a.seq, a.action, a.resourceType, a.resourceId, a.userId])).toEqual([
      [1, 'product.create', 'products', p.id, 'user-1'],
      [2, 'product.update', 'products', p.id, 'user-1'],
    ]);
    expect(audit[1]!.diff).toEqual({ before: { priceMinor: 450 }, after: { priceMinor: 500 } });
    expect(audit[1]!.reason).toBe('supplier price');
    expect(audit[1]!.prevHash).toBe(audit[0]!.hash);
    expect(verifyChain(audit)).toBeNull();
  });

  it('refuses invalid documents before writing anything', async () => {
    const bad = product({ priceMinor: 4.5 });
    await expect(path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', bad as never))).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await store.db.collections.products.count().exec()).toBe(0);
    expect(await auditRows()).toHaveLength(0);
  });

  it('refuses text the server could not store (NUL, a lone surrogate), naming the field, and writes nothing', async () => {
    for (const [name, message] of [
      ['Tea\u0000', /name contains a NUL character/],
      ['Tea \uD83D', /name contains half of an emoji/],
      ['\uDE00 Tea', /name contains half of an emoji/],
    ] as const) {
      await expect(path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', product({ name }) as never))).rejects.toMatchObject({ code: 'VALIDATION', message });
    }
    expect(await store.db.collections.products.count().exec()).toBe(0);
    expect(await auditRows()).toHaveLength(0);
    // A whole emoji (a surrogate pair) is fine.
    await path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', product({ name: 'Tea 😀' }) as never));
    expect(await store.db.collections.products.count().exec()).toBe(1);
  });

  it('refuses updates and deletes of append-only collections', async () => {
    const entry = { id: newId(), deviceId: 'device-1', registerId: 'till-1', day: '2026-11-22', kind: 'cash_in', amountMinor: 1000, currency: 'USD', reason: 'float top-up', createdBy: 'user-1' };
    await path.run({ action: 'drawer.cashIn', actor }, (tx) => tx.insert('drawerMovements', entry as never));
    await expect(path.run({ action: 'drawer.edit', actor }, (tx) => tx.update('drawerMovements', entry.id, { amountMinor: 1 } as never))).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining('append-only'),
    });
    await expect(path.run({ action: 'drawer.delete', actor }, (tx) => tx.remove('drawerMovements', entry.id))).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('lets lock rules refuse a change, and then writes nothing', async () => {
    path.addLockRule((change) => {
      if (change.collection === 'products' && (change.after as { priceMinor?: number } | null)?.priceMinor === 0) {
        throw new ApiError('LOCKED', 'Free products need a manager.');
      }
    });
    await expect(path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', product({ priceMinor: 0 }) as never))).rejects.toThrow('Free products need a manager.');
    expect(await store.db.collections.products.count().exec()).toBe(0);
  });

  it('is atomic: when the audit append fails, the change is rolled back too', async () => {
    const off = addWriteHook(store.storage, (event) => {
      if (event.collectionName === 'auditlog' || event.collectionName === 'auditLog') throw new Error('disk full (simulated)');
    });
    const p = product();
    await expect(path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', p as never))).rejects.toThrow();
    off();
    const row = store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%product%'").all() as { name: string }[];
    const count = row.reduce((n, r) => n + (store.sqlite.prepare(`SELECT COUNT(*) AS c FROM "${r.name}"`).get() as { c: number }).c, 0);
    expect(count).toBe(0);
  });

  it('runs actions one at a time in order, continuing the chain', async () => {
    const ids = Array.from({ length: 20 }, () => newId());
    await Promise.all(ids.map((id, i) => path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', product({ id, sku: `S${i}` }) as never))));
    const audit = await auditRows();
    expect(audit.map((a) => a.resourceId)).toEqual(ids);
    expect(verifyChain(audit)).toBeNull();
  });

  it('continues the chain after the store is reopened', async () => {
    await path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', product() as never));
    await store.close();
    store = await openStore({ dir });
    path = new WritePath({ db: store.db, sqlite: store.sqlite, deviceId: 'device-1', appVersion: '1.0.0', logger: silentLogger });
    await path.run({ action: 'product.create', actor }, (tx) => tx.insert('products', product({ sku: 'X' }) as never));
    const audit = await auditRows();
    expect(audit.map((a) => a.seq)).toEqual([1, 2]);
    expect(verifyChain(audit)).toBeNull();
  });
});
