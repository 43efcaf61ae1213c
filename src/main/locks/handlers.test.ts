// The lock and audit operations through the core's router: permissions, wiring, events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../people/test-core';
import { dayClose, expense, orderGroup } from './test-fixtures';

let t: TestCore;

beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.close();
});

describe('locks and audit operations', () => {
  it('review leases: managers take, see, hand over and release them; every change is announced', async () => {
    const group = orderGroup();
    await t.core.writes.run({ action: 'group.create', actor: { userId: '', name: 'test' } }, (tx) => tx.insert('orderGroups', group as never));
    const events: string[][] = [];
    const off = t.core.bus.subscribe((name, payload) => {
      if (name === 'data.changed') events.push((payload as { collections: string[] }).collections);
    });
    const amina = t.ctx('manager', 'amina');
    const bo = t.ctx('manager', 'bo');

    expect(await t.call('locks.acquireReview', { groupId: group.id }, amina)).toMatchObject({ held: true, heldByYou: true, lease: { holder: { id: 'amina' } } });
    expect(await t.call('locks.reviewStatus', { groupId: group.id }, t.ctx('writer'))).toMatchObject({ held: true, heldByYou: false });
    await expect(t.call('locks.acquireReview', { groupId: group.id }, bo)).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(t.call('locks.acquireReview', { groupId: group.id }, t.ctx('cashier'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.call('locks.takeOverReview', { groupId: group.id, reason: '' }, bo)).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await t.call('locks.takeOverReview', { groupId: group.id, reason: 'Amina is off today' }, bo)).toMatchObject({ heldByYou: true });
    await expect(t.call('locks.renewReview', { groupId: group.id }, amina)).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining('Amina is off today') });
    expect(await t.call('locks.releaseReview', { groupId: group.id }, bo)).toMatchObject({ held: false });
    off();
    expect(events.length).toBe(3);
    expect(events.every((c) => c.includes('locks') && c.includes('auditLog'))).toBe(true);

    const takeOver = await t.call('audit.list', { action: 'review.takeOver' }, t.ctx('manager'));
    expect(takeOver.entries).toEqual([
      expect.objectContaining({ action: 'review.takeOver', user: { id: 'bo', name: 'Unknown user bo' }, reason: 'Amina is off today', resourceType: 'locks' }),
      expect.objectContaining({ action: 'review.takeOver', user: expect.objectContaining({ id: 'bo' }) }),
    ]);
  });

  it('audit operations need audit.read, and verify the chain', async () => {
    await t.core.writes.run({ action: 'day.close', actor: { userId: 'm', name: 'M' } }, (tx) => tx.insert('dayCloses', dayClose({ deviceId: t.core.deviceId }) as never));
    await expect(
      t.core.writes.run({ action: 'expense.create', actor: { userId: 'c', name: 'C' } }, (tx) => tx.insert('expenses', expense({ deviceId: t.core.deviceId }) as never)),
    ).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining('The day 2026-11-20 is closed') });

    await expect(t.call('audit.list', {}, t.ctx('cashier'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.call('audit.list', { limit: 201 }, t.ctx('manager'))).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('audit.list', { from: 10, to: 5 }, t.ctx('manager'))).rejects.toMatchObject({ code: 'VALIDATION' });
    const list = await t.call('audit.list', {}, t.ctx('manager', 'm'));
    expect(list.entries.map((e) => e.action)).toEqual(['day.close']);
    const entry = await t.call('audit.entry', { id: list.entries[0]!.id }, t.ctx('admin'));
    expect(entry.diff.find((d) => d.field === 'day')).toEqual({ field: 'day', after: '2026-11-20' });
    const verified = await t.call('audit.verify', {}, t.ctx('manager'));
    expect(verified).toMatchObject({ ok: true, entries: 1, devices: [{ deviceId: t.core.deviceId, thisDevice: true, ok: true, verified: 1 }] });
    const options = await t.call('audit.filterOptions', {}, t.ctx('manager', 'm'));
    expect(options.resourceTypes).toContain('dayCloses');
    expect(options.users[0]).toEqual({ id: '', name: 'System' });
  });
});
