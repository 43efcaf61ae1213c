import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETUP, startMoneyKit, type MoneyKit } from './test-kit';

let t: MoneyKit;
beforeEach(async () => {
  t = await startMoneyKit();
});
afterEach(async () => {
  await t.close();
});

const approval = () => ({ managerId: t.ownerId, pin: SETUP.pin, reason: 'Change for the till' });

describe('cash drawer and day close', () => {
  it('reconciles a day with float, sales, refunds, expenses, cash in/out and a repayment against the count, then locks the day', async () => {
    const cashier = t.ctx('cashier');
    const manager = t.ctx('manager');
    const x = await t.customer('Amina Odhiambo', '+254712345678');

    await t.call('counter.drawerFloat', { amountMinor: 500_000 }, cashier);
    const a = await t.sale({ lines: [{ name: 'Rice 5kg', unitPriceMinor: 60_000 }, { name: 'Oil 1L', unitPriceMinor: 40_000 }], payments: [{ method: 'cash', amountMinor: 100_000 }] });
    await t.sale({ lines: [{ name: 'Radio', unitPriceMinor: 250_000 }], payments: [{ method: 'card', amountMinor: 250_000 }] });
    await t.sale({ lines: [{ name: 'Soap', unitPriceMinor: 100_000 }], payments: [{ method: 'cash', amountMinor: 30_000 }, { method: 'mobile_money', amountMinor: 70_000 }] });
    await t.sale({ lines: [{ name: 'Flour', unitPriceMinor: 120_000 }], payments: [{ method: 'customer_credit', amountMinor: 120_000 }], customerId: x });
    await t.refund(a, [1], [{ method: 'cash', amountMinor: 40_000 }]);
    await t.call('counter.expenseCreate', { amountMinor: 15_000, description: 'Fuel for generator', paidFrom: 'cash' }, cashier);
    await t.call('counter.expenseCreate', { amountMinor: 80_000, description: 'Shelf repair', paidFrom: 'other' }, cashier);

    // Cash in/out open the drawer without a sale: a cashier needs a manager's PIN, a manager does not.
    expect(await t.fail('counter.drawerCash', { direction: 'in', amountMinor: 20_000, reason: 'Change from the bank' }, cashier)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('manager') });
    expect(await t.fail('counter.drawerCash', { direction: 'in', amountMinor: 20_000, reason: 'Change', override: { ...approval(), pin: '000000' } }, cashier)).toMatchObject({ code: 'UNAUTHENTICATED' });
    await t.call('counter.drawerCash', { direction: 'in', amountMinor: 20_000, reason: 'Change from the bank', override: approval() }, cashier);
    await t.call('counter.drawerCash', { direction: 'out', amountMinor: 10_000, reason: 'Banked' }, manager);
    const repaid = await t.call('counter.creditRepayment', { customerId: x, amountMinor: 50_000, method: 'cash' }, cashier);
    expect(repaid.balanceMinor).toBe(70_000);

    // float + cash sales - cash refund + cash in (incl. repayment) - cash out - cash expense
    const expectedCash = 500_000 + (100_000 + 30_000) - 40_000 + (20_000 + 50_000) - 10_000 - 15_000;
    const state = await t.call('counter.drawerState', {}, cashier);
    expect(state).toMatchObject({ closed: false, openingFloatMinor: 500_000, expectedCashMinor: expectedCash });
    expect(state.cash).toMatchObject({ creditRepaymentsMinor: 50_000, cashExpensesMinor: 15_000, cashRefundsMinor: 40_000 });

    const draft = await t.call('counter.dayCloseDraft', {}, cashier);
    expect(draft.close).toBeNull();
    expect(draft.report.payments.net).toEqual({ cash: 90_000, card: 250_000, mobile_money: 70_000, customer_credit: 120_000 });
    expect(draft.report).toMatchObject({ salesCount: 4, salesTotalMinor: 570_000, refundsCount: 1, refundsTotalMinor: 40_000 });
    expect(draft.report.cash.expectedCashMinor).toBe(expectedCash);
    expect(draft.report.ledgerCheck.differenceMinor).toBe(0);
    expect(draft.warnings).toEqual([]);
    expect(draft.denominations[0]).toEqual({ valueMinor: 100_000, kind: 'note' });

    // Counted 10.00 short.
    const counts = [{ valueMinor: 100_000, count: 6 }, { valueMinor: 20_000, count: 1 }, { valueMinor: 10_000, count: 1 }, { valueMinor: 2_000, count: 2 }];
    expect(await t.fail('counter.closeDay', { day: t.today(), counts: [{ valueMinor: 3_300, count: 1 }] }, cashier)).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('not a KES note or coin') });
    const close = await t.call('counter.closeDay', { day: t.today(), counts, note: 'Short by a coin roll' }, cashier);
    expect(close).toMatchObject({
      expectedCashMinor: expectedCash,
      countedCashMinor: 634_000,
      differenceMinor: 634_000 - expectedCash,
      expected: { cashMinor: 90_000, cardMinor: 250_000, mobileMoneyMinor: 70_000, customerCreditMinor: 120_000 },
      openingFloatMinor: 500_000,
      cashInMinor: 70_000,
      cashOutMinor: 10_000 + 15_000,
      salesCount: 4,
      refundsCount: 1,
      firstInvoiceSeq: 1,
      lastInvoiceSeq: 4,
      closedBy: 'user-cashier',
      note: 'Short by a coin roll',
    });
    expect(close.differenceMinor).toBe(-1_000);

    // Closing twice is refused clearly.
    expect(await t.fail('counter.closeDay', { day: t.today(), counts }, cashier)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already closed') });
    // The lock rule now refuses changes to this register's day.
    expect(await t.fail('counter.expenseCreate', { amountMinor: 1_000, description: 'Late receipt', paidFrom: 'other' }, cashier)).toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining('closed'),
    });
    expect(await t.fail('counter.drawerCash', { direction: 'out', amountMinor: 1_000, reason: 'Late' }, manager)).toMatchObject({ code: 'LOCKED' });
    expect((await t.call('counter.dayCloseDraft', {}, cashier)).close?.id).toBe(close.id);
    expect((await t.call('counter.drawerState', {}, cashier)).closed).toBe(true);

    const shop = await t.call('counter.shopDayReport', { day: t.today() }, manager);
    expect(shop.complete).toBe(true);
    expect(shop.missing).toEqual([]);
    expect(shop.registers).toEqual([expect.objectContaining({ deviceId: t.core.deviceId, salesCount: 4, close: expect.objectContaining({ id: close.id }) })]);
    expect(shop.totals).toMatchObject({ differenceMinor: -1_000, salesTotalMinor: 570_000, expectedCashMinor: expectedCash });

    const pdf = await t.call('counter.zReportPdf', { dayCloseId: close.id }, manager);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.fileName).toBe(`z-report-${t.today()}-${SETUP.deviceCode}.pdf`);
  });

  it('lists a register that sold but did not close as missing', async () => {
    await t.sale({ lines: [{ name: 'Tea', unitPriceMinor: 5_000 }], payments: [{ method: 'cash', amountMinor: 5_000 }] });
    const report = await t.call('counter.shopDayReport', { day: t.today() }, t.ctx('manager'));
    expect(report.complete).toBe(false);
    expect(report.missing).toEqual([expect.objectContaining({ deviceId: t.core.deviceId, salesCount: 1 })]);
  });

  it('keeps one opening float a day and corrects drawer entries only by reversal', async () => {
    const cashier = t.ctx('cashier');
    const float = await t.call('counter.drawerFloat', { amountMinor: 300_000 }, cashier);
    expect(await t.fail('counter.drawerFloat', { amountMinor: 500_000 }, cashier)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already recorded') });
    const reversal = await t.call('counter.drawerReverse', { movementId: float.id, reason: 'Typed the wrong float' }, cashier);
    expect(reversal).toMatchObject({ kind: 'reversal', amountMinor: -300_000, reversesId: float.id });
    expect(await t.fail('counter.drawerReverse', { movementId: float.id, reason: 'again' }, cashier)).toMatchObject({ code: 'CONFLICT' });
    await t.call('counter.drawerFloat', { amountMinor: 500_000 }, cashier);
    const state = await t.call('counter.drawerState', {}, cashier);
    expect(state.expectedCashMinor).toBe(500_000);
    expect(state.movements.find((m) => m.id === float.id)?.reversedBy).toBe(reversal.id);
    // More cash out than the drawer holds is refused.
    expect(await t.fail('counter.drawerCash', { direction: 'out', amountMinor: 600_000, reason: 'Bank' }, t.ctx('manager'))).toMatchObject({ code: 'VALIDATION' });
    // Append-only: the write path refuses edits to drawer entries.
    await expect(t.core.writes.run({ action: 'test.edit', actor: { userId: 'x', name: 'x' } }, (tx) => tx.update('drawerMovements', float.id, { amountMinor: 1 }))).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('keeps the drawer right when a cash expense is corrected or voided', async () => {
    const cashier = t.ctx('cashier');
    await t.call('counter.expenseCategorySave', { name: 'Fuel', color: '#e53935', keywordRules: ['fuel', 'diesel'] }, t.ctx('manager'));
    expect((await t.call('counter.suggestCategory', { description: 'Diesel for the generator' }, cashier)).suggestion).toMatchObject({ categoryName: 'Fuel', keyword: 'diesel' });
    const e = await t.call('counter.expenseCreate', { amountMinor: 10_000, description: 'Fuel top-up', paidFrom: 'cash' }, cashier);
    expect(e).toMatchObject({ categoryName: 'Fuel', day: t.today(), paidFrom: 'cash' });
    expect(e.drawerMovementId).not.toBe('');
    expect((await t.call('counter.drawerState', {}, cashier)).expectedCashMinor).toBe(-10_000);
    const e2 = await t.call('counter.expenseUpdate', { id: e.id, amountMinor: 12_500 }, cashier);
    expect(e2.drawerMovementId).not.toBe(e.drawerMovementId);
    let state = await t.call('counter.drawerState', {}, cashier);
    expect(state.expectedCashMinor).toBe(-12_500);
    expect(state.movements.map((m) => [m.kind, m.amountMinor])).toEqual([['cash_out', -10_000], ['reversal', 10_000], ['cash_out', -12_500]]);
    await t.call('counter.expenseUpdate', { id: e.id, paidFrom: 'other' }, cashier);
    expect((await t.call('counter.drawerState', {}, cashier)).expectedCashMinor).toBe(0);
    await t.call('counter.expenseUpdate', { id: e.id, paidFrom: 'cash' }, cashier);
    await t.call('counter.expenseVoid', { id: e.id, reason: 'Entered twice' }, cashier);
    state = await t.call('counter.drawerState', {}, cashier);
    expect(state.expectedCashMinor).toBe(0);
    expect(state.cash.cashExpensesMinor).toBe(0);
    expect((await t.call('counter.dayCloseDraft', {}, cashier)).report.ledgerCheck.differenceMinor).toBe(0);
    const list = await t.call('counter.expenseList', { from: t.today(), to: t.today() }, cashier);
    expect(list).toMatchObject({ count: 0, totalMinor: 0 });
    expect(await t.fail('counter.expenseCreate', { amountMinor: 100, description: 'x', paidFrom: 'cash', day: '2999-01-01' }, cashier)).toMatchObject({ code: 'VALIDATION' });
  });
});
