// Issue 5's test end to end: "A write into a closed day is refused locally, and refused
// by the server when it arrives through sync from a device that did not know of the
// close". Two real cores on real SQLite folders, the real embedded PostgreSQL, the
// devices paired like in the field; device B is kept offline by a TCP proxy.
import { describe, expect, it } from 'vitest';
import { withAdmin } from '../../../../test-support/sync-server';
import { dayClose, sale } from '../../locks/test-fixtures';
import { ManagerOverrides } from '../../locks';
import { FAST_SYNC, TEST_CONTEXT, call, pair, product, settle, snapshot, status, urlThrough, write } from '../client/test-support';
import { useSyncTestWorld } from '../../../../test-support/sync-world';

const { world, device, proxy } = useSyncTestWorld();

const DAY = '2026-11-20';

describe('closed days through sync', () => {
  it('refuses locally, and on the server for a device that did not know of the close: B gets the server version, its change waits for a person, the rest of its batch lands', async () => {
    const { url, tenant } = await world();
    const [proxyA, proxyB] = [await proxy(), await proxy()];
    const a = await device();
    const b = await device();
    await pair(a, url, tenant, 'Front till', urlThrough(proxyA, url));
    await pair(b, url, tenant, 'Back office', urlThrough(proxyB, url));

    // A sells on DAY; both devices have the sale.
    const sold = sale({ deviceId: a.core.deviceId, registerId: 'till-a', day: DAY, note: '' });
    await write(a, (tx) => tx.insert('sales', sold as never));
    await settle([a, b]);
    expect((await snapshot(b))[`sales/${sold.id}`]).toMatchObject({ id: sold.id, day: DAY });

    // B goes offline; A closes the day and syncs.
    proxyB.block();
    await write(a, (tx) => tx.insert('dayCloses', dayClose({ deviceId: a.core.deviceId, registerId: 'till-a', day: DAY }) as never));
    await settle([a]);
    // Locally, A refuses any change of its closed day.
    await expect(write(a, (tx) => tx.update('sales', sold.id, { note: 'after the close' } as never))).rejects.toMatchObject({ code: 'LOCKED' });

    // B did not hear of the close: its lock lets the edit through, with another change.
    await write(b, async (tx) => {
      await tx.update('sales', sold.id, { note: 'changed offline' } as never);
      await tx.insert('products', product('p-b'));
    });
    proxyB.unblock();
    await settle([a, b]);

    // The server kept its version, the rest of B's batch (the product, the audit entries) landed.
    await withAdmin(url, async (admin) => {
      const s = await admin.query('SELECT note FROM counterbook_data.sales WHERE id = $1', [sold.id]);
      expect(s.rows[0].note).toBe('');
      expect((await admin.query("SELECT count(*)::int AS n FROM counterbook_data.products WHERE id = 'p-b'")).rows[0].n).toBe(1);
      const audit = await admin.query("SELECT count(*)::int AS n FROM counterbook_data.audit_log WHERE resource_id = $1 AND action = 'test.write'", [sold.id]);
      // A's insert and B's refused edit: the attempt stays on record in B's chain.
      expect(audit.rows[0].n).toBe(2);
    });

    // B has the server's version and the close; its refused change waits in the Sync screen's conflicts.
    const snapB = await snapshot(b);
    expect(snapB[`sales/${sold.id}`]).toMatchObject({ note: '' });
    expect(snapB).toEqual(await snapshot(a));
    const sb = await status(b);
    expect(sb).toMatchObject({ conflicts: 1, queueDepth: 0 });
    const conflicts = await call(b.core, 'sync.conflicts', { includeResolved: false });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ collectionName: 'sales', docId: sold.id, fields: ['note'], localDoc: { note: 'changed offline' }, serverDoc: { note: '' }, resolved: false });
    expect(conflicts[0]!.reason).toMatch(/is closed for register/);

    // Now B knows of the close: keeping its version goes through the lock and is refused.
    await expect(call(b.core, 'sync.resolveConflict', { conflictId: conflicts[0]!.id, keep: 'local' })).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(write(b, (tx) => tx.update('sales', sold.id, { note: 'again' } as never))).rejects.toMatchObject({ code: 'LOCKED' });
    await call(b.core, 'sync.resolveConflict', { conflictId: conflicts[0]!.id, keep: 'server' });
    expect((await status(b)).conflicts).toBe(0);
  });

  it('lets a manager’s correction of the closing device through even when a batch would end between the change and its override entry', async () => {
    const { url, tenant } = await world();
    const proxyA = await proxy();
    // Three rows a batch: two writes of two rows each (document + audit entry) do not fit.
    const a = await device({ ...FAST_SYNC, batchRows: 3 });
    await pair(a, url, tenant, 'Front till', urlThrough(proxyA, url));
    const sold = sale({ deviceId: a.core.deviceId, registerId: 'till-a', day: DAY, note: '' });
    await write(a, (tx) => tx.insert('sales', sold as never));
    await write(a, (tx) => tx.insert('dayCloses', dayClose({ deviceId: a.core.deviceId, registerId: 'till-a', day: DAY }) as never));
    await settle([a]);

    proxyA.block();
    await write(a, (tx) => tx.insert('products', product('p-a')));
    // The signed-in admin approves by doing it (no PIN needed).
    const overrides = new ManagerOverrides({ verifyOverride: () => Promise.reject(new Error('no PIN sign-off in this test')) });
    const request = await overrides.apply({ action: 'sale.correct', actor: { userId: 'tester', name: 'Tester' } }, TEST_CONTEXT, { reason: 'Note typed on the wrong sale' });
    await a.core.writes.run(request, (tx) => tx.update('sales', sold.id, { note: 'corrected' } as never));
    proxyA.unblock();
    await settle([a]);

    await withAdmin(url, async (admin) => {
      expect((await admin.query('SELECT note FROM counterbook_data.sales WHERE id = $1', [sold.id])).rows[0].note).toBe('corrected');
    });
    expect(await status(a)).toMatchObject({ conflicts: 0, queueDepth: 0 });
  });
});
