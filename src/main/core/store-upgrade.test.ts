// A store written before the compact index keys is upgraded while the core opens it:
// the progress goes to onStoreUpgrade (the desktop shell shows it in the windows, the
// browser host and the CLI print it), every document stays, and it happens once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreUpgradeProgress } from '@shared/api/events';
import { collections, type ProductDoc } from '@shared/schema';
import { docsTableNameOf } from '../store/rxstorage-better-sqlite3/table-layout';
import { rewriteAsLegacyKeys } from '../store/rxstorage-better-sqlite3/test-support';
import { startCore, type Core } from './core';
import { silentLogger } from './log';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dataDir: string, events: StoreUpgradeProgress[]): Promise<Core> {
  const core = await startCore({ dataDir, appVersion: '0.0.0-test', host: 'test', logger: silentLogger, onStoreUpgrade: (p) => events.push(p) });
  cores.push(core);
  return core;
}

function product(i: number): ProductDoc {
  const at = 1_764_000_000_000 + i;
  return { id: `p${String(i).padStart(4, '0')}`, createdAt: at, updatedAt: at, name: `Product ${(i * 7919) % 250}`, sku: `SKU-${i}`, barcode: String(4_000_000_000_000 + i), priceMinor: 100 + i, currency: 'EUR', taxRateBp: 1600, category: `Cat ${i % 5}`, favourite: i % 7 === 0, active: i % 9 !== 0 };
}

describe('opening a store written by an older version', () => {
  it('upgrades its tables with progress (rows, then indexes), keeps every document, and does it once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-upgrade-'));
    dirs.push(dir);
    const first = await start(dir, []);
    const docs = Array.from({ length: 250 }, (_, i) => product(i));
    await first.store.db.collections.products.bulkInsert(docs);
    const file = first.store.file;
    await first.close();
    cores.splice(cores.indexOf(first), 1);
    expect(rewriteAsLegacyKeys(file, 'products', collections.products.schema as never)).toBe(250);

    const events: StoreUpgradeProgress[] = [];
    const core = await start(dir, events);
    const table = docsTableNameOf('products', collections.products.schema.version);
    const mine = events.filter((e) => e.table === table);
    expect(mine[0]).toEqual({ table, phase: 'rows', done: 0, total: 250 });
    expect(mine).toContainEqual({ table, phase: 'rows', done: 250, total: 250 });
    const last = mine.at(-1)!;
    expect(last.phase).toBe('indexes');
    expect(last.done).toBe(last.total);
    // Only the rewritten table needed it.
    expect(events.every((e) => e.table === table)).toBe(true);

    // Every document, and queries through the rebuilt indexes answer as before.
    expect(await core.store.db.collections.products.count().exec()).toBe(250);
    const active = await core.store.db.collections.products.find({ selector: { active: true }, sort: [{ name: 'asc' }, { id: 'asc' }] }).exec();
    const expected = docs.filter((d) => d.active).sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
    expect(active.map((d) => d.id)).toEqual(expected.map((d) => d.id));
    const byBarcode = await core.store.db.collections.products.findOne({ selector: { barcode: '4000000000123' } }).exec();
    expect(byBarcode?.id).toBe('p0123');
    await core.close();
    cores.splice(cores.indexOf(core), 1);

    const again: StoreUpgradeProgress[] = [];
    await start(dir, again);
    expect(again).toEqual([]);
  });
});
