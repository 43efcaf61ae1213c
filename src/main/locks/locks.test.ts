import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '@shared/auth/permissions';
import { silentLogger } from '../core/log';
import type { CallContext } from '../core/router';
import { openStore, type Store } from '../store/open-store';
import { WritePath, type WriteRequest } from '../store/write-path';
import { installLockRules, ManagerOverrides, ORDER_REOPEN_ACTION, ReviewLeases, currentHolder, requireManager, verifiedOverride, type ClosedDays } from '.';
import { dayClose, drawerMovement, expense, order, orderGroup, sale, user } from './test-fixtures';

let dir: string;
let store: Store;
let writes: WritePath;
let closedDays: ClosedDays;
let now: number;
const clock = () => now;
const cashier = { userId: 'cashier-1', name: 'Cashier Chao' };
const manager = { userId: 'manager-1', name: 'Manager Mo' };

/** PIN checks stand in for People's AuthService: manager-1's PIN is 482913. */
const overrides = new ManagerOverrides({
  verifyOverride: async ({ managerId, pin }) => {
    if (managerId !== manager.userId || pin !== '482913') throw Object.assign(new Error('Wrong PIN.'), { code: 'UNAUTHENTICATED' });
    return { managerId: manager.userId, managerName: manager.name };
  },
});
const withOverride = (request: WriteRequest, context: CallContext, input: Parameters<ManagerOverrides['apply']>[2]) => overrides.apply(request, context, input);

function ctx(role: Role, who = role === 'cashier' ? cashier : manager): CallContext {
  return { connectionId: 'test', host: 'test', session: { userId: who.userId, name: who.name, role } };
}

async function auditOf(resourceId: string) {
  const docs = await store.db.collections.auditLog.find({ selector: { resourceId }, sort: [{ seq: 'asc' }] }).exec();
  return docs.map((d) => d.toMutableJSON());
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-locks-'));
  store = await openStore({ dir });
  now = Date.UTC(2026, 10, 21, 9);
  writes = new WritePath({ db: store.db, sqlite: store.sqlite, deviceId: 'device-1', appVersion: '1.0.0', logger: silentLogger, clock });
  ({ closedDays } = installLockRules(writes, store.db));
});
afterEach(async () => {
  closedDays.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (request: WriteRequest, collection: 'sales' | 'expenses' | 'drawerMovements' | 'dayCloses' | 'orders' | 'orderGroups' | 'users', doc: object) =>
  writes.run(request, (tx) => tx.insert(collection, doc as never));

describe('closed days', () => {
  it('refuses writes into a closed day with a clear message, and allows them in open days and other registers', async () => {
    const draft = sale();
    await insert({ action: 'sale.create', actor: cashier }, 'sales', draft);
    await insert({ action: 'day.close', actor: manager }, 'dayCloses', dayClose());

    const closedMessage = "The day 2026-11-20 is closed for register till-1. Record a correction in today's open day instead.";
    await expect(insert({ action: 'expense.create', actor: cashier }, 'expenses', expense())).rejects.toMatchObject({ code: 'LOCKED', message: closedMessage });
    await expect(insert({ action: 'drawer.cashIn', actor: cashier }, 'drawerMovements', drawerMovement())).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(insert({ action: 'sale.create', actor: cashier }, 'sales', sale())).rejects.toMatchObject({ code: 'LOCKED' });
    // Editing or deleting a document of the closed day, or moving it out of that day.
    await expect(writes.run({ action: 'sale.edit', actor: cashier }, (tx) => tx.update('sales', draft.id, { note: 'late' } as never))).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(writes.run({ action: 'sale.move', actor: cashier }, (tx) => tx.update('sales', draft.id, { day: '2026-11-21' } as never))).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(writes.run({ action: 'sale.delete', actor: cashier }, (tx) => tx.remove('sales', draft.id))).rejects.toMatchObject({ code: 'LOCKED' });

    // Today is open; another register's day 2026-11-20 is open too.
    await insert({ action: 'expense.create', actor: cashier }, 'expenses', expense({ day: '2026-11-21' }));
    await insert({ action: 'sale.create', actor: cashier }, 'sales', sale({ deviceId: 'device-2', registerId: 'till-2' }));
    expect(await store.db.collections.expenses.count().exec()).toBe(1);
  });

  it('matches a close by register id too, and names the device when it is known', async () => {
    await insert({ action: 'device.add', actor: manager }, 'users', user({ id: 'u-x' }));
    await writes.run({ action: 'device.pair', actor: manager }, (tx) =>
      tx.insert('devices', { id: 'device-9', code: 'B2', name: 'Back till', kind: 'desktop' } as never),
    );
    await insert({ action: 'day.close', actor: manager }, 'dayCloses', dayClose({ deviceId: 'device-9', registerId: 'till-9' }));
    await expect(insert({ action: 'sale.create', actor: cashier }, 'sales', sale({ deviceId: 'device-3', registerId: 'till-9' }))).rejects.toThrow(
      'The day 2026-11-20 is closed for register Back till (B2).',
    );
  });

  it('lets a verified manager override through and records both people and the reason', async () => {
    await insert({ action: 'day.close', actor: manager }, 'dayCloses', dayClose());
    const fix = expense({ description: 'Missed receipt' });
    const request = await withOverride({ action: 'expense.correct', actor: cashier }, ctx('manager'), { reason: 'Receipt found under the till' });
    expect(verifiedOverride(request)).not.toBeNull();
    await insert(request, 'expenses', fix);
    const [entry] = await auditOf(fix.id);
    expect(entry).toMatchObject({ action: 'expense.correct', userId: 'cashier-1', overrideBy: 'manager-1', reason: 'Receipt found under the till' });
  });

  it('refuses an override that was not verified, and overrides from cashiers', async () => {
    await insert({ action: 'day.close', actor: manager }, 'dayCloses', dayClose());
    // overrideBy set by hand (e.g. copied from API input) is not a verified override.
    await expect(insert({ action: 'expense.correct', actor: cashier, overrideBy: 'manager-1', reason: 'trust me' }, 'expenses', expense())).rejects.toMatchObject({
      code: 'LOCKED',
    });
    // A proven request whose reason was changed afterwards no longer counts.
    const proven = await withOverride({ action: 'expense.correct', actor: manager }, ctx('admin'), { reason: 'Receipt found' });
    await expect(insert({ ...proven, reason: 'something else' }, 'expenses', expense())).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(withOverride({ action: 'x', actor: cashier }, ctx('cashier'), { reason: 'please' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('accepts a PIN sign-off checked by People, and keeps the request’s own reason', async () => {
    await insert({ action: 'day.close', actor: manager }, 'dayCloses', dayClose());
    await expect(withOverride({ action: 'x', actor: cashier }, ctx('cashier'), { reason: 'fix', managerId: 'manager-1', pin: '000000' })).rejects.toThrow('Wrong PIN.');
    await expect(withOverride({ action: 'x', actor: cashier }, ctx('cashier'), { reason: 'fix', managerId: 'manager-1' })).rejects.toMatchObject({ code: 'VALIDATION' });
    const request = await withOverride({ action: 'expense.void', actor: cashier, reason: 'Entered twice' }, ctx('cashier'), { reason: 'fix it', managerId: 'manager-1', pin: '482913' });
    const fix = expense();
    await insert(request, 'expenses', fix);
    expect((await auditOf(fix.id))[0]).toMatchObject({ userId: 'cashier-1', overrideBy: 'manager-1', reason: 'Entered twice (approved: fix it)' });
  });

  it('requireManager: passes for a manager or a verified approval, asks for a PIN otherwise', async () => {
    const plain = { action: 'sale.finalise', actor: cashier };
    expect(() => requireManager(ctx('manager'), plain, 'Discount over the limit.')).not.toThrow();
    expect(() => requireManager(ctx('cashier'), plain, 'Discount over the limit.')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: 'Discount over the limit. Ask a manager to approve it with their PIN.', issues: [expect.objectContaining({ path: 'override' })] }),
    );
    // overrideBy set by hand is not an approval.
    expect(() => requireManager(ctx('cashier'), { ...plain, overrideBy: 'manager-1', reason: 'ok' }, 'Discount over the limit.')).toThrow();
    const approved = await withOverride(plain, ctx('cashier'), { reason: 'regular customer', managerId: 'manager-1', pin: '482913' });
    expect(() => requireManager(ctx('cashier'), approved, 'Discount over the limit.')).not.toThrow();
  });

  it('sees a close that arrives without the write path (e.g. by sync)', async () => {
    await insert({ action: 'expense.create', actor: cashier }, 'expenses', expense());
    // The cache now knows 2026-11-20 as open; a replicated close must invalidate it.
    await store.db.collections.dayCloses.insert({ ...dayClose(), createdAt: now, updatedAt: now } as never);
    await expect(insert({ action: 'expense.create', actor: cashier }, 'expenses', expense())).rejects.toMatchObject({ code: 'LOCKED' });
  });
});

describe('finalised documents', () => {
  it('a finalised sale cannot be edited or deleted; a draft can be finalised', async () => {
    const s = sale({ day: '2026-11-21' });
    await insert({ action: 'sale.create', actor: cashier }, 'sales', s);
    await writes.run({ action: 'sale.finalise', actor: cashier }, (tx) =>
      tx.update('sales', s.id, { status: 'finalised', invoiceNumber: 'CS-A1-000001', invoiceSeq: 1, finalisedAt: now } as never),
    );
    await expect(writes.run({ action: 'sale.edit', actor: manager }, (tx) => tx.update('sales', s.id, { note: 'changed' } as never))).rejects.toMatchObject({
      code: 'LOCKED',
      message: 'Sale CS-A1-000001 is finalised and cannot be changed. Refund or void it with a credit note instead.',
    });
    await expect(writes.run({ action: 'sale.delete', actor: manager }, (tx) => tx.remove('sales', s.id))).rejects.toThrow('cannot be deleted');
    // Not even with a manager override.
    const request = await withOverride({ action: 'sale.edit', actor: manager }, ctx('admin'), { reason: 'typo' });
    await expect(writes.run(request, (tx) => tx.update('sales', s.id, { note: 'x' } as never))).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('a completed order changes only through an audited reopen with a reason', async () => {
    const o = order({ state: 'completed' });
    await insert({ action: 'order.create', actor: manager }, 'orders', o);
    await expect(writes.run({ action: 'order.update', actor: manager }, (tx) => tx.update('orders', o.id, { notes: 'x' } as never))).rejects.toMatchObject({
      code: 'LOCKED',
    });
    await expect(writes.run({ action: ORDER_REOPEN_ACTION, actor: manager }, (tx) => tx.update('orders', o.id, { state: 'in_progress' } as never))).rejects.toThrow(
      'needs a reason',
    );
    await expect(writes.run({ action: ORDER_REOPEN_ACTION, actor: manager, reason: 'x' }, (tx) => tx.remove('orders', o.id))).rejects.toThrow('cannot be deleted');
    await writes.run({ action: ORDER_REOPEN_ACTION, actor: manager, reason: 'Client asked for one more link' }, (tx) =>
      tx.update('orders', o.id, { state: 'in_progress', stateChangedAt: now } as never),
    );
    const entries = await auditOf(o.id);
    expect(entries.at(-1)).toMatchObject({ action: 'order.reopen', reason: 'Client asked for one more link', diff: { before: { state: 'completed' }, after: { state: 'in_progress' } } });
    // Reopened: ordinary changes work again.
    await writes.run({ action: 'order.update', actor: manager }, (tx) => tx.update('orders', o.id, { notes: 'one more' } as never));
  });
});

describe('review leases', () => {
  let leases: ReviewLeases;
  let group: ReturnType<typeof orderGroup>;
  const ada = { userId: 'ada', name: 'Ada' };
  const bo = { userId: 'bo', name: 'Bo' };

  beforeEach(async () => {
    leases = new ReviewLeases({ db: store.db, writes, deviceId: 'device-1', clock });
    group = orderGroup();
    await insert({ action: 'group.create', actor: manager }, 'orderGroups', group);
    await insert({ action: 'user.create', actor: manager }, 'users', user({ id: 'ada', name: 'Ada Lovelace' }));
  });

  it('acquire, renew, expire and release', async () => {
    const status = await leases.acquire(group.id, ada);
    expect(status).toMatchObject({ held: true, heldByYou: true, lease: { holder: { id: 'ada', name: 'Ada Lovelace' }, since: now, expiresAt: now + 600_000, onThisDevice: true } });
    const since = now;

    // Someone else is refused while the lease is live.
    now += 3 * 60_000;
    await expect(leases.acquire(group.id, bo)).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining('Ada Lovelace has been reviewing this group for 3 minutes') });
    expect(await leases.status(group.id, bo)).toMatchObject({ held: true, heldByYou: false });

    // Renewing early writes nothing; past half the timeout it extends the lease.
    const auditBefore = await store.db.collections.auditLog.count().exec();
    await leases.renew(group.id, ada);
    expect(await store.db.collections.auditLog.count().exec()).toBe(auditBefore);
    now += 3 * 60_000;
    const renewed = await leases.renew(group.id, ada);
    expect(renewed.lease).toMatchObject({ since, expiresAt: now + 600_000 });

    // Inactivity: the lease expires and counts as free.
    now += 10 * 60_000 + 1;
    expect(await leases.status(group.id, bo)).toMatchObject({ held: false, heldByYou: false, lease: { holder: { id: 'ada' } } });
    const taken = await leases.acquire(group.id, bo);
    expect(taken).toMatchObject({ held: true, heldByYou: true, lease: { holder: { id: 'bo', name: 'Bo' }, since: now } });
    // One lease document per device, reused.
    expect(await store.db.collections.locks.count().exec()).toBe(1);

    await leases.release(group.id, bo);
    expect(await leases.status(group.id, ada)).toMatchObject({ held: false });
    const actions = (await auditOf(taken.lease!.id)).map((e) => e.action);
    expect(actions).toEqual(['review.acquire', 'review.renew', 'review.acquire', 'review.release']);
  });

  it('take over needs a reason, ends the other lease and is audited', async () => {
    // Ada holds the lease from another device (it arrived by sync).
    await writes.run({ action: 'sync.pull', actor: { userId: '', name: 'system' } }, (tx) =>
      tx.insert('locks', { id: 'lease-ada', kind: 'review', resource: group.id, holder: 'ada', holderDeviceId: 'device-2', since: now, expiresAt: now + 600_000, reason: '' } as never),
    );
    await expect(leases.acquire(group.id, bo)).rejects.toThrow('(on another device)');
    expect(() => leases.takeOver(group.id, bo, ' ')).toThrow('Say why');

    now += 60_000;
    const status = await leases.takeOver(group.id, bo, 'Ada went home');
    expect(status).toMatchObject({ held: true, heldByYou: true, lease: { holder: { id: 'bo' }, since: now } });
    const ended = await store.db.collections.locks.findOne('lease-ada').exec();
    expect(ended).toMatchObject({ expiresAt: now, reason: 'Taken over by Bo: Ada went home' });
    const [entry] = (await auditOf('lease-ada')).slice(-1);
    expect(entry).toMatchObject({ action: 'review.takeOver', userId: 'bo', reason: 'Ada went home', diff: { before: { expiresAt: now + 540_000 } } });
  });

  it('tells a holder whose lease was taken over when they renew', async () => {
    await leases.acquire(group.id, ada);
    // Bo takes over from another device; here that arrives as an update of Ada's lease and Bo's new lease.
    const mine = (await store.db.collections.locks.find().exec())[0]!;
    await writes.run({ action: 'sync.pull', actor: { userId: '', name: 'system' } }, async (tx) => {
      await tx.update('locks', mine.id, { expiresAt: now, reason: 'Taken over by Bo: Ada went home' } as never);
      await tx.insert('locks', { id: 'lease-bo', kind: 'review', resource: group.id, holder: 'bo', holderDeviceId: 'device-2', since: now, expiresAt: now + 600_000, reason: '' } as never);
    });
    await expect(leases.renew(group.id, ada)).rejects.toThrow('Taken over by Bo: Ada went home. Your review lease has ended.');
  });

  it('breaks ties between leases taken offline: earliest since, then device id', () => {
    const base = { kind: 'review', resource: 'g', holder: 'x', createdAt: 0, updatedAt: 0, reason: '', expiresAt: 10_000 } as const;
    const a = { ...base, id: 'a', holderDeviceId: 'dev-b', since: 100 };
    const b = { ...base, id: 'b', holderDeviceId: 'dev-a', since: 200 };
    const c = { ...base, id: 'c', holderDeviceId: 'dev-a', since: 100 };
    expect(currentHolder([a, b, c], 500)?.id).toBe('c');
    expect(currentHolder([b, a], 500)?.id).toBe('a');
    expect(currentHolder([{ ...c, expiresAt: 400 }, b, a], 500)?.id).toBe('a');
    expect(currentHolder([a, b, c], 10_000)).toBeNull();
  });

  it('refuses leases on groups that do not exist', async () => {
    await expect(leases.acquire('no-such-group', ada)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
