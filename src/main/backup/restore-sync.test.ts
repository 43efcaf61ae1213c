// A restore on a paired device, end to end with a real (embedded) PostgreSQL: the audit
// entries written after the backup (already on the server) are carried into the restored
// store, so the device's chain goes on without reusing a sequence number, nothing it
// pushes afterwards is refused, and the server's verify_audit_chain finds the chain whole.
import { describe, expect, it } from 'vitest';
import type { AuditLogDoc } from '@shared/schema';
import { verifyChain } from '../audit/hash-chain';
import { verifyServerAuditChains } from '../sync/server/audit-verify';
import { call, pair, product, settle, status, urlThrough, write } from '../sync/client/test-support';
import { useSyncTestWorld } from '../../../test-support/sync-world';

const { world, device, proxy } = useSyncTestWorld();

async function localChain(core: Awaited<ReturnType<typeof device>>['core']): Promise<AuditLogDoc[]> {
  const docs = await core.store.db.collections.auditLog.find({ selector: { deviceId: core.deviceId }, sort: [{ seq: 'asc' }] }).exec();
  return docs.map((d) => d.toMutableJSON() as AuditLogDoc);
}

describe('restore on a paired device', () => {
  it('carries the entries written after the backup forward: the chain stays one, the server accepts and verifies it', async () => {
    const { url, tenant } = await world();
    const link = await proxy();
    const a = await device();
    await pair(a, url, tenant, 'Front till', urlThrough(link, url));
    await write(a, (tx) => tx.insert('products', product('p1')));
    await settle([a]);
    const backup = await call(a.core, 'backup.create', { note: 'before' });

    // Written and pushed after the backup: the server holds these entries.
    await write(a, (tx) => tx.insert('products', product('p2')));
    await write(a, (tx) => tx.update('products', 'p1', { name: 'Renamed' }));
    await settle([a]);
    const pushed = await localChain(a.core);

    // Offline from here: the restore and the next sale happen before the device hears from the server.
    link.block();
    link.cut();
    await call(a.core, 'backup.restore', { id: backup.id });
    expect(await a.core.store.db.collections.products.findOne('p2').exec()).toBeNull();
    await write(a, (tx) => tx.insert('products', product('p3')));
    const chain = await localChain(a.core);
    expect(verifyChain(chain)).toBeNull();
    expect(chain.slice(0, pushed.length)).toEqual(pushed);
    expect(chain.map((e) => e.action).slice(pushed.length)).toEqual(expect.arrayContaining(['backup.restore', 'test.write']));

    link.unblock();
    await settle([a]);
    const after = await status(a);
    expect(after.rejected ?? 0).toBe(0);
    expect(after.queueDepth).toBe(0);
    // The server's data is shared with other devices and is not rolled back: sync catches the
    // restored store up with what was pushed after the backup.
    expect((await a.core.store.db.collections.products.findOne('p2').exec())?.name).toBe('Product p2');
    expect((await a.core.store.db.collections.products.findOne('p1').exec())?.name).toBe('Renamed');
    const server = await verifyServerAuditChains(url, tenant);
    expect(server.ok).toBe(true);
    expect(server.devices).toEqual([expect.objectContaining({ deviceId: a.core.deviceId, entries: (await localChain(a.core)).length })]);
  }, 120_000);
});
