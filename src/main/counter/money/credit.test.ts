import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '@shared/dates';
import { startMoneyKit, type MoneyKit } from './test-kit';

let t: MoneyKit;
beforeEach(async () => {
  t = await startMoneyKit();
});
afterEach(async () => {
  await t.close();
});

describe('customer credit', () => {
  it('a repayment reduces what is owed, goes into the drawer, and can be reversed', async () => {
    const cashier = t.ctx('cashier');
    const x = await t.customer('Amina Odhiambo', '0712 345 678');
    const y = await t.customer('Brian Kip', '+254700000001');
    const tenDaysAgo = addDays(t.today(), -10);
    await t.creditSale(x, 30_000, tenDaysAgo, Date.now() - 10 * 86_400_000);
    await t.creditSale(x, 20_000, addDays(t.today(), -3), Date.now() - 3 * 86_400_000);
    await t.creditSale(y, 5_000, t.today());

    let owing = await t.call('counter.creditOwing', {}, cashier);
    expect(owing.customers.map((c) => [c.name, c.balanceMinor, c.oldestUnpaidDay, c.ageDays])).toEqual([
      ['Amina Odhiambo', 50_000, tenDaysAgo, 10],
      ['Brian Kip', 5_000, t.today(), 0],
    ]);
    expect(owing.totalOwedMinor).toBe(55_000);

    // More than owed is refused unless it is an advance.
    expect(await t.fail('counter.creditRepayment', { customerId: x, amountMinor: 60_000, method: 'cash' }, cashier)).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('owes 500.00'),
    });
    const r = await t.call('counter.creditRepayment', { customerId: x, amountMinor: 35_000, method: 'cash', reference: 'R-1' }, cashier);
    expect(r.balanceMinor).toBe(15_000);
    expect(r.entry).toMatchObject({ kind: 'repayment', amountMinor: -35_000, paymentMethod: 'cash', balanceAfterMinor: 15_000 });
    expect(r.drawerMovementId).not.toBeNull();

    // FIFO: the 300.00 of ten days ago is paid, 150.00 of the 200.00 three days ago is left.
    owing = await t.call('counter.creditOwing', {}, cashier);
    expect(owing.customers[0]).toMatchObject({ customerId: x, balanceMinor: 15_000, oldestUnpaidDay: addDays(t.today(), -3), ageDays: 3 });
    const drawer = await t.call('counter.drawerState', {}, cashier);
    expect(drawer.movements).toEqual([expect.objectContaining({ kind: 'cash_in', amountMinor: 35_000, creditEntryId: r.entry.id })]);
    expect(drawer.cash.creditRepaymentsMinor).toBe(35_000);
    expect(drawer.expectedCashMinor).toBe(35_000);

    // A card repayment does not touch the drawer.
    const card = await t.call('counter.creditRepayment', { customerId: y, amountMinor: 5_000, method: 'card' }, cashier);
    expect(card.drawerMovementId).toBeNull();
    expect((await t.call('counter.creditOwing', {}, cashier)).customers.map((c) => c.customerId)).toEqual([x]);
    expect(await t.fail('counter.creditRepayment', { customerId: y, amountMinor: 100, method: 'cash' }, cashier)).toMatchObject({ message: expect.stringContaining('owes nothing') });

    // An explicit advance is accepted and leaves a prepayment.
    const adv = await t.call('counter.creditRepayment', { customerId: y, amountMinor: 2_000, method: 'mobile_money', advance: true }, cashier);
    expect(adv.balanceMinor).toBe(-2_000);

    // Reversal: only a manager; appends an entry, puts the cash back out of today's drawer.
    expect(await t.fail('counter.creditReverse', { entryId: r.entry.id, reason: 'Wrong customer' }, cashier)).toMatchObject({ code: 'FORBIDDEN' });
    const rev = await t.call('counter.creditReverse', { entryId: r.entry.id, reason: 'Wrong customer' }, t.ctx('manager'));
    expect(rev.entry).toMatchObject({ kind: 'reversal', amountMinor: 35_000, reversesId: r.entry.id });
    expect(rev.balanceMinor).toBe(50_000);
    expect(await t.fail('counter.creditReverse', { entryId: r.entry.id, reason: 'again' }, t.ctx('manager'))).toMatchObject({ code: 'CONFLICT' });
    expect((await t.call('counter.drawerState', {}, cashier)).expectedCashMinor).toBe(0);
    const statement = await t.call('counter.creditStatement', { customerId: x }, cashier);
    expect(statement).toMatchObject({ balanceMinor: 50_000, oldestUnpaidDay: tenDaysAgo, ageDays: 10, entryCount: 4 });
    expect(statement.entries.find((e) => e.id === r.entry.id)?.reversedBy).toBe(rev.entry.id);
    expect((await t.call('counter.creditOwing', {}, cashier)).customers[0]).toMatchObject({ customerId: x, balanceMinor: 50_000 });
    // The ledger is append-only.
    await expect(t.core.writes.run({ action: 'test.edit', actor: { userId: 'x', name: 'x' } }, (tx) => tx.update('customerCreditEntries', r.entry.id, { amountMinor: 0 }))).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('prepares reminders with a WhatsApp link, logs each send, and respects opt-outs', async () => {
    const cashier = t.ctx('cashier');
    const x = await t.customer('Amina Odhiambo', '0712 345 678');
    const quiet = await t.customer('Peter Quiet', '+254700000002', true);
    await t.creditSale(x, 125_000, addDays(t.today(), -12), Date.now() - 12 * 86_400_000);
    await t.creditSale(quiet, 10_000, t.today());

    const prepared = await t.call('counter.reminderPrepare', { customerId: x }, cashier);
    if (!prepared.ok) throw new Error('expected a reminder');
    expect(prepared.text).toContain('Amina Odhiambo');
    expect(prepared.text).toContain('KES 1,250.00');
    expect(prepared.text).toContain('for 12 days');
    expect(prepared.text).toContain('Corner Shop');
    expect(prepared.whatsappUrl).toBe(`https://wa.me/254712345678?text=${encodeURIComponent(prepared.text)}`);

    const logged = await t.call('counter.reminderLog', { customerId: x, channel: 'whatsapp', message: prepared.text }, cashier);
    expect(logged.reminderCount).toBe(1);
    await t.call('counter.reminderLog', { customerId: x, status: 'failed', error: 'No WhatsApp on this phone' }, cashier);
    const again = await t.call('counter.reminderLog', { customerId: x }, cashier);
    expect(again.reminderCount).toBe(2);
    const history = await t.call('counter.reminderHistory', { customerId: x }, cashier);
    expect(history.map((h) => [h.status, h.balanceMinor])).toEqual([['sent', 125_000], ['failed', 125_000], ['sent', 125_000]]);
    const owing = await t.call('counter.creditOwing', {}, cashier);
    expect(owing.customers.find((c) => c.customerId === x)).toMatchObject({ reminderCount: 2, lastReminderAt: again.lastReminderAt });

    expect(await t.call('counter.reminderPrepare', { customerId: quiet }, cashier)).toMatchObject({ ok: false, reason: 'opted_out', message: expect.stringContaining('asked not to receive reminders') });
    expect(await t.fail('counter.reminderLog', { customerId: quiet }, cashier)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('asked not to receive reminders') });
    expect(await t.core.store.db.collections.reminderLog.count({ selector: { customerId: quiet } }).exec()).toBe(0);
    expect(owing.customers.find((c) => c.customerId === quiet)).toMatchObject({ reminderOptOut: true, reminderCount: 0 });

    const nobody = await t.customer('Paid Up', '+254700000003');
    expect(await t.call('counter.reminderPrepare', { customerId: nobody }, cashier)).toMatchObject({ ok: false, reason: 'nothing_owed' });
  });

  it('keeps the owing list equal to the ledger after a rebuild from scratch', async () => {
    const ids = [await t.customer('A'), await t.customer('B'), await t.customer('C')];
    for (let i = 0; i < 12; i++) await t.creditSale(ids[i % 3]!, 1_000 * (i + 1), addDays(t.today(), -i), Date.now() - i * 86_400_000);
    await t.call('counter.creditRepayment', { customerId: ids[0]!, amountMinor: 2_000, method: 'card' }, t.ctx('cashier'));
    const before = await t.call('counter.creditOwing', {}, t.ctx('cashier'));
    t.core.store.sqlite.exec('DELETE FROM cm_credit');
    await t.money().creditTable.derived.rebuild();
    const after = await t.call('counter.creditOwing', {}, t.ctx('cashier'));
    expect(after).toEqual(before);
    // A: 1+4+7+10 - 2 repaid, B: 2+5+8+11, C: 3+6+9+12 (thousands)
    expect(after.customers.map((c) => c.balanceMinor)).toEqual([30_000, 26_000, 20_000]);
  });
});
