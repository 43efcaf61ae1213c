// The sync engine end to end: real cores on real SQLite folders, a real (embedded)
// PostgreSQL, the devices paired through pairing codes like in the field.
import { describe, expect, it } from 'vitest';
import { withAdmin } from '../../../../test-support/sync-server';
import { addWriteHook } from '../../store/rxstorage-better-sqlite3';
import { createPairingCode, revokeDevice } from '../server/provision';
import {
  call,
  creditEntry,
  pair,
  product,
  settle,
  snapshot,
  status,
  urlThrough,
  waitFor,
  write,
} from './test-support';
import { useSyncTestWorld } from '../../../../test-support/sync-world';

const { world, device, proxy: proxyTo } = useSyncTestWorld();

async function serverCount(url: string, table: string): Promise<number> {
  return withAdmin(url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM counterbook_data.${table}`)).rows[0].n as number);
}

describe('the outbox', () => {
  it('queues every local change in the same transaction, before and after pairing, and uploads it once paired', async () => {
    const a = await device();
    await write(a, async (tx) => {
      await tx.insert('products', product('p1'));
      await tx.insert('products', product('p2'));
    });
    await write(a, (tx) => tx.update('products', 'p1', { name: 'Twice' }));
    const before = await status(a);
    expect(before).toMatchObject({ state: 'off', paired: null });
    // Two products and three audit entries, one row each.
    expect(before.queueDepth).toBe(5);

    // A write that fails inside its transaction leaves no outbox row behind.
    const unhook = addWriteHook(a.core.store.storage, (event) => {
      if (event.collectionName === 'products' && event.writes.some((w) => w.document.id === 'boom')) throw new Error('disk on fire');
    });
    await expect(write(a, (tx) => tx.insert('products', product('boom')))).rejects.toThrow(/disk on fire/);
    unhook();
    expect((await status(a)).queueDepth).toBe(5);

    const { url, tenant } = await world();
    await pair(a, url, tenant, 'Late starter');
    await settle([a]);
    expect((await status(a)).queueDepth).toBe(0);
    expect(await serverCount(url, 'products')).toBe(2);
    const names = await withAdmin(url, async (c) => (await c.query(`SELECT name FROM counterbook_data.products WHERE id = 'p1'`)).rows[0].name as string);
    expect(names).toBe('Twice');
  });

  it('sends a backlog of many batches on two connections at once, and every row arrives once', async () => {
    const a = await device({ batchRows: 40 });
    // 30 writes of 10 products, each with its audit entry: 600 rows, 15 batches or more.
    for (let w = 0; w < 30; w++) {
      await write(a, async (tx) => {
        for (let i = 0; i < 10; i++) await tx.insert('products', product(`w${w}-${i}`, { priceMinor: 100 + w * 10 + i }));
      });
    }
    expect((await status(a)).queueDepth).toBe(600);
    const { url, tenant } = await world();
    await pair(a, url, tenant, 'Back from a week offline');
    await settle([a]);
    expect((await status(a)).queueDepth).toBe(0);
    // The second push connection was opened (and stays open with the others).
    const pushConnections = await withAdmin(
      url,
      async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'counterbook-push' AND datname = current_database()`)).rows[0].n as number,
    );
    expect(pushConnections).toBe(1);
    // Every product once, with the device's last version; the audit chain whole.
    const rows = await withAdmin(url, async (c) => (await c.query<{ id: string; price_minor: string; revision: string }>('SELECT id, price_minor, revision FROM counterbook_data.products ORDER BY id')).rows);
    expect(rows).toHaveLength(300);
    const local = await a.core.store.db.collections.products.find().exec();
    expect(Object.fromEntries(rows.map((r) => [r.id, [Number(r.price_minor), r.revision]]))).toEqual(Object.fromEntries(local.map((d) => [d.id, [d.priceMinor, d.revision]])));
    expect(await serverCount(url, 'audit_log')).toBe(await a.core.store.db.collections.auditLog.count().exec());
  });
});

describe('two devices', () => {
  it('edit offline, reconnect and converge: nothing lost, nothing doubled', async () => {
    const { url, tenant } = await world();
    const [proxyA, proxyB] = [await proxyTo(), await proxyTo()];
    const a = await device();
    const b = await device();
    const pairedA = await pair(a, url, tenant, 'Counter A', urlThrough(proxyA, url));
    const pairedB = await pair(b, url, tenant, 'Counter B', urlThrough(proxyB, url));
    expect(pairedA.paired).toMatchObject({ tenantName: 'Corner shop', deviceCode: 'D01' });
    expect(pairedB.paired).toMatchObject({ tenantName: 'Corner shop', deviceCode: 'D02' });
    // The server's device code became the local devices document's code.
    expect((await a.core.store.db.collections.devices.findOne(a.core.deviceId).exec())?.code).toBe('D01');

    await write(a, async (tx) => {
      for (let i = 0; i < 8; i++) await tx.insert('products', product(`p${i}`, { priceMinor: 100 + i }));
      await tx.insert('customers', { id: 'c1', name: 'Ann', phone: '555', reminderOptOut: false, reminderCount: 0 });
    });
    await settle([a, b]);
    expect(await snapshot(b)).toEqual(await snapshot(a));

    // Both offline.
    proxyA.block();
    proxyB.block();
    await write(a, async (tx) => {
      await tx.update('products', 'p1', { name: 'Renamed on A' });
      await tx.update('products', 'p2', { priceMinor: 222 });
      await tx.remove('products', 'p4');
      await tx.insert('products', product('a-new'));
      await tx.insert('customerCreditEntries', creditEntry('c1', 500, a.core.deviceId));
    });
    await write(a, (tx) => tx.update('products', 'p1', { category: 'Drinks' }));
    await write(b, async (tx) => {
      await tx.update('products', 'p1', { priceMinor: 999 });
      await tx.update('products', 'p3', { name: 'Renamed on B' });
      await tx.insert('products', product('b-new'));
      await tx.insert('customerCreditEntries', creditEntry('c1', -200, b.core.deviceId));
      await tx.insert('customerCreditEntries', creditEntry('c1', 300, b.core.deviceId));
    });
    expect((await status(a)).queueDepth).toBeGreaterThan(0);
    await waitFor('both devices offline', async () => (await status(a)).state === 'offline' && (await status(b)).state === 'offline');

    // Back online: they converge without anyone pressing a button.
    proxyA.unblock();
    proxyB.unblock();
    await waitFor('queues drained', async () => {
      const [sa, sb] = [await status(a), await status(b)];
      return sa.state === 'online' && sb.state === 'online' && sa.queueDepth === 0 && sb.queueDepth === 0;
    });
    await settle([a, b]);
    const snapA = await snapshot(a);
    expect(await snapshot(b)).toEqual(snapA);

    // Field-level merge of p1 (name and category on A, price on B); nothing lost.
    expect(snapA['products/p1']).toMatchObject({ name: 'Renamed on A', category: 'Drinks', priceMinor: 999 });
    expect(snapA['products/p2']).toMatchObject({ priceMinor: 222 });
    expect(snapA['products/p3']).toMatchObject({ name: 'Renamed on B' });
    expect(snapA['products/p4']).toBeUndefined();
    expect(snapA['products/a-new']).toBeDefined();
    expect(snapA['products/b-new']).toBeDefined();
    const credit = Object.entries(snapA).filter(([k]) => k.startsWith('customerCreditEntries/'));
    expect(credit.map(([, d]) => d.amountMinor).sort()).toEqual([-200, 300, 500]);
    expect((await status(a)).conflicts + (await status(b)).conflicts).toBe(0);

    // Nothing doubled on the server either.
    expect(await serverCount(url, 'products')).toBe(10);
    expect(await serverCount(url, 'customer_credit_entries')).toBe(3);
    const audit = Object.keys(snapA).filter((k) => k.startsWith('auditLog/')).length;
    expect(await serverCount(url, 'audit_log')).toBe(audit);
  });
});

describe('conflicts', () => {
  it('keeps the server version locally, files the local one for a person, and resolves either way', async () => {
    const { url, tenant } = await world();
    const [proxyA, proxyB] = [await proxyTo(), await proxyTo()];
    const a = await device();
    const b = await device();
    await pair(a, url, tenant, 'A', urlThrough(proxyA, url));
    await pair(b, url, tenant, 'B', urlThrough(proxyB, url));
    await write(a, async (tx) => {
      await tx.insert('products', product('p1'));
      await tx.insert('products', product('p2'));
    });
    await settle([a, b]);

    proxyB.block();
    await write(a, async (tx) => {
      await tx.update('products', 'p1', { name: 'Tea (A)' });
      await tx.update('products', 'p2', { priceMinor: 150 });
    });
    await settle([a]);
    await write(b, async (tx) => {
      await tx.update('products', 'p1', { name: 'Tea (B)' });
      await tx.remove('products', 'p2');
    });
    proxyB.unblock();
    await settle([a, b]);

    // The server's versions stand on both devices...
    expect((await snapshot(b))['products/p1']).toMatchObject({ name: 'Tea (A)' });
    expect((await snapshot(b))['products/p2']).toMatchObject({ priceMinor: 150 });
    expect(await snapshot(b)).toEqual(await snapshot(a));
    // ...and B's versions wait for a person.
    const sb = await status(b);
    expect(sb.conflicts).toBe(2);
    const conflicts = await call(b.core, 'sync.conflicts', { includeResolved: false });
    const byDoc = Object.fromEntries(conflicts.map((c) => [c.docId, c]));
    expect(byDoc.p1).toMatchObject({ collectionName: 'products', fields: ['name'], resolved: false, localDoc: { name: 'Tea (B)' }, serverDoc: { name: 'Tea (A)' } });
    expect(byDoc.p2).toMatchObject({ fields: expect.arrayContaining(['_deleted', 'priceMinor']), localDoc: { _deleted: true } });

    // Keep B's name: it goes up on top of the server's revision and reaches A.
    const resolved = await call(b.core, 'sync.resolveConflict', { conflictId: byDoc.p1!.id, keep: 'local' });
    expect(resolved).toMatchObject({ resolved: true, resolution: 'keep_local' });
    // Keep the server's p2 (B's delete is dropped on purpose).
    await call(b.core, 'sync.resolveConflict', { conflictId: byDoc.p2!.id, keep: 'server' });
    await settle([a, b]);
    expect((await snapshot(a))['products/p1']).toMatchObject({ name: 'Tea (B)' });
    expect((await snapshot(a))['products/p2']).toMatchObject({ priceMinor: 150 });
    expect(await snapshot(b)).toEqual(await snapshot(a));
    expect((await status(b)).conflicts).toBe(0);
    expect(await call(b.core, 'sync.conflicts', { includeResolved: false })).toEqual([]);
    expect(await call(b.core, 'sync.conflicts', { includeResolved: true })).toHaveLength(2);
    await expect(call(b.core, 'sync.resolveConflict', { conflictId: byDoc.p1!.id, keep: 'server' })).rejects.toThrow(/already resolved/);
  });
});

describe('failures', () => {
  it('resumes by itself after the connection is cut again and again during an initial pull', async () => {
    const { url, tenant } = await world();
    const a = await device();
    await pair(a, url, tenant, 'A');
    for (let batch = 0; batch < 4; batch++) {
      await write(a, async (tx) => {
        for (let i = 0; i < 250; i++) await tx.insert('products', product(`p${batch}-${i}`));
      });
    }
    await settle([a]);

    const proxy = await proxyTo();
    const b = await device({ pollMs: 1000, backoffMinMs: 50, backoffMaxMs: 400, pageSize: 100, statusThrottleMs: 20, queryTimeoutMs: 8000 });
    const seen: number[] = [];
    b.core.bus.subscribe((name, payload) => {
      const p = (payload as { progress?: { done: number; total: number } | null }).progress;
      if (name === 'sync.status' && p) seen.push(p.total);
    });
    await pair(b, url, tenant, 'B', urlThrough(proxy, url));
    // Cut the connection several times while B pulls.
    for (let i = 0; i < 4; i++) {
      await waitFor('some progress', async () => (await status(b)).lastPullAt !== null || proxy.connections > 0, 10_000, 10);
      await new Promise((r) => setTimeout(r, 40));
      proxy.cut();
    }
    await waitFor('B caught up by itself', async () => {
      const s = await status(b);
      const docs = await b.core.store.db.collections.products.count().exec();
      return s.state === 'online' && docs === 1000;
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(1000);

    // Offline for a while, then back: online again and caught up.
    proxy.block();
    await write(a, (tx) => tx.update('products', 'p0-0', { name: 'Changed while B was offline' }));
    await waitFor('B offline', async () => (await status(b)).state === 'offline');
    const offline = await status(b);
    expect(offline.lastError).toMatch(/Cannot reach 127\.0\.0\.1/);
    expect(offline.lagMs).not.toBeNull();
    proxy.unblock();
    await waitFor('B caught up again', async () => (await b.core.store.db.collections.products.findOne('p0-0').exec())?.name === 'Changed while B was offline');
    await settle([a, b]);
    expect(await snapshot(b)).toEqual(await snapshot(a));
  });

  it('a revoked device stops with a clear message', async () => {
    const { url, tenant } = await world();
    const a = await device();
    await pair(a, url, tenant, 'Stolen laptop');
    await settle([a]);
    const serverId = await withAdmin(url, async (c) => (await c.query('SELECT id FROM counterbook.devices')).rows[0].id as string);
    await revokeDevice(url, serverId);
    await write(a, (tx) => tx.insert('products', product('after-revoke')));
    const s = await waitFor('revoked', async () => {
      const st = await status(a);
      return st.state === 'revoked' ? st : null;
    });
    expect(s.lastError).toMatch(/revoked on the server.*pair it again/i);
    expect(s.queueDepth).toBeGreaterThan(0);
    expect(await serverCount(url, 'products')).toBe(0);
    // sync.now does not hammer the server.
    expect((await call(a.core, 'sync.now', {})).state).toBe('revoked');
  });

  it('refuses used, expired and broken pairing codes with clear messages', async () => {
    const { url, tenant } = await world();
    const a = await device();
    const b = await device();
    const { code } = await createPairingCode(url, tenant, 'One');
    await call(a.core, 'sync.pair', { pairingCode: code });
    await expect(call(b.core, 'sync.pair', { pairingCode: code })).rejects.toThrow(/already used/);
    const late = await createPairingCode(url, tenant, 'Late');
    await withAdmin(url, (c) => c.query(`UPDATE counterbook.pairing_codes SET created_at = now() - interval '1 hour', expires_at = now() - interval '1 minute' WHERE used_at IS NULL`));
    await expect(call(b.core, 'sync.pair', { pairingCode: late.code })).rejects.toThrow(/expired at/);
    await expect(call(b.core, 'sync.pair', { pairingCode: 'cbpair1.not-really' })).rejects.toThrow(/damaged or incomplete/);
    await expect(call(b.core, 'sync.pair', { pairingCode: 'ABCD-EFGH' })).rejects.toThrow(/old short pairing code/);
    expect((await status(b)).state).toBe('off');
    // A paired device is not paired twice by accident.
    await expect(call(a.core, 'sync.pair', { pairingCode: (await createPairingCode(url, tenant, 'Again')).code })).rejects.toThrow(/already paired/);
  });

  it('keeps changes the server refuses, with the reason, and never drops them', async () => {
    const { url, tenant } = await world();
    const a = await device();
    await pair(a, url, tenant, 'A');
    // A server that does not (yet) know a collection this app has.
    await withAdmin(url, (c) => c.query(`DELETE FROM counterbook.collections WHERE name = 'expenseCategories'`));
    await write(a, async (tx) => {
      await tx.insert('expenseCategories', { id: 'cat1', name: 'Rent', color: '#112233', keywordRules: [], active: true });
      await tx.insert('products', product('ok'));
    });
    await settle([a]);
    const s = await status(a);
    expect(s).toMatchObject({ state: 'online', queueDepth: 1, rejected: 1 });
    expect(s.lastError).toMatch(/refused 1 change.*expenseCategories cat1.*does not know the collection/);
    expect(await serverCount(url, 'products')).toBe(1);
    // Unpairing keeps the local data and the refused change.
    const off = await call(a.core, 'sync.unpair', {});
    expect(off).toMatchObject({ state: 'off', queueDepth: 1, paired: null });
    expect(await a.core.store.db.collections.expenseCategories.findOne('cat1').exec()).not.toBeNull();
  });

  it('keeps a change whose text PostgreSQL cannot store (NUL, a lone surrogate) as refused, and sends the rest of its batch', async () => {
    const { url, tenant } = await world();
    const a = await device();
    await write(a, async (tx) => {
      await tx.insert('products', product('ok1'));
      await tx.insert('products', product('cake', { name: 'Cake \ud83c\udf70' }));
    });
    // Stored as an older version of the app could (its write path now refuses such text,
    // write-path.test.ts); the outbox hook queues them like any other change.
    const at = Date.now();
    await a.core.store.db.collections.products.bulkInsert([
      { ...product('nul', { name: 'Tea\u0000bag' }), createdAt: at, updatedAt: at },
      { ...product('half', { name: 'Cut \ud83d' }), createdAt: at, updatedAt: at },
    ]);
    await pair(a, url, tenant, 'A');
    await settle([a]);
    const s = await status(a);
    expect(s.state).toBe('online');
    expect(s).toMatchObject({ queueDepth: 2, rejected: 2 });
    expect(s.lastError).toMatch(/refused \d+ changes.*: products nul: name contains a NUL character/);
    const names = await withAdmin(url, async (c) => (await c.query(`SELECT id, name FROM counterbook_data.products ORDER BY id`)).rows);
    expect(names).toEqual([
      { id: 'cake', name: 'Cake \ud83c\udf70' },
      { id: 'ok1', name: 'Product ok1' },
    ]);
    // Both refused products are still here and still queued; fixing the text sends it.
    expect((await a.core.store.db.collections.products.findOne('half').exec())?.name).toBe('Cut \ud83d');
    await write(a, (tx) => tx.update('products', 'nul', { name: 'Teabag' }));
    await settle([a]);
    expect(await serverCount(url, 'products')).toBe(3);
    expect((await status(a)).lastError).toMatch(/products half: name contains a lone UTF-16 surrogate/);
  });
});
