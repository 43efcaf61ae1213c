import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeSaleTotals } from '@shared/counter';
import { dayKey } from '@shared/dates';
import { newId } from '@shared/ids';
import type { Product } from '@shared/api/ops/counter-sales';
import { SETUP, addProducts, lineOf, startCounterKit, type CounterKit } from './test-kit';

let t: CounterKit;
let p: Record<'bread' | 'milk' | 'sugar' | 'rice', Product>;
beforeEach(async () => {
  t = await startCounterKit();
  p = await addProducts(t);
});
afterEach(async () => {
  await t.close();
});

const today = () => dayKey(Date.now(), SETUP.timezone);

async function counts() {
  const c = t.core.store.db.collections;
  const counter = await c.invoiceCounters.findOne(t.core.deviceId).exec();
  return {
    sales: await c.sales.count({ selector: { status: 'finalised' } }).exec(),
    drawer: await c.drawerMovements.count().exec(),
    credit: await c.customerCreditEntries.count().exec(),
    lastSeq: counter?.lastInvoiceSeq ?? 0,
  };
}

describe('counter.finalise', () => {
  it('finalises a split payment (card + cash) with change, numbers it and writes the drawer entry in one action', async () => {
    const saleId = newId();
    const cashier = t.ctx('cashier');
    const { sale, alreadyFinalised } = await t.call(
      'counter.finalise',
      {
        saleId,
        lines: [lineOf(p.bread, 2000), lineOf(p.milk)],
        payments: [
          { method: 'card', amountMinor: 10_000, reference: '123456' },
          { method: 'cash', amountMinor: 10_000 },
        ],
      },
      cashier,
    );
    expect(alreadyFinalised).toBe(false);
    expect(sale).toMatchObject({ id: saleId, status: 'finalised', invoiceNumber: 'CS-A1-000001', invoiceSeq: 1, currency: 'KES', taxMode: 'inclusive', day: today() });
    // 2 x 50.00 + 65.00 = 165.00, tax included (16%: 13.79 + 8.97)
    expect(sale).toMatchObject({ subtotalMinor: 16_500, discountMinor: 0, totalMinor: 16_500, taxMinor: 1379 + 897, changeDueMinor: 3_500, cashierId: 'user-cashier' });
    expect(sale.payments).toEqual([
      { method: 'card', amountMinor: 10_000, reference: '123456' },
      { method: 'cash', amountMinor: 6_500, tenderedMinor: 10_000 },
    ]);
    expect(sale.lines.map((l) => [l.lineId, l.sku, l.totalMinor, l.taxMinor])).toEqual([
      ['1', 'BRD-1', 10_000, 1379],
      ['2', 'MLK-1', 6_500, 897],
    ]);

    const drawer = (await t.core.store.db.collections.drawerMovements.find().exec()).map((d) => d.toJSON());
    expect(drawer).toEqual([expect.objectContaining({ kind: 'sale_cash', amountMinor: 6_500, saleId, day: today(), deviceId: t.core.deviceId })]);
    expect((await counts()).lastSeq).toBe(1);
    // The sale, the counter and the drawer entry are one audited action.
    const audit = await t.core.store.db.collections.auditLog.find({ selector: { action: 'sale.finalise' } }).exec();
    expect(audit.map((a) => a.resourceType).sort()).toEqual(['drawerMovements', 'invoiceCounters', 'sales']);

    // In the list and with its receipt as soon as finalise has returned.
    const list = await t.call('counter.sales', { day: today() }, cashier);
    expect(list.items[0]).toMatchObject({ id: saleId, invoiceNumber: 'CS-A1-000001', totalMinor: 16_500, methods: ['card', 'cash'] });
    const receipt = await t.call('counter.receipt', { saleId, width: 58 }, cashier);
    expect(receipt.text).toContain('CS-A1-000001');
    expect(receipt.text).toContain('165.00');
  });

  it('recomputes exclusive tax, line and sale discounts and cash rounding itself', async () => {
    await t.setShop({ taxMode: 'exclusive', cashRoundingMinor: 100 });
    const lines = [lineOf(p.bread, 3000, { discount: { kind: 'percent', bp: 500 } }), lineOf(p.sugar, 1000), lineOf(p.rice, 1250)];
    const saleDiscount = { kind: 'amount' as const, amountMinor: 1_000 };
    const expected = computeSaleTotals({
      currency: 'KES',
      taxMode: 'exclusive',
      lines: lines.map((l) => ({ quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor, taxRateBp: l.taxRateBp, ...(l.discount ? { discount: l.discount } : {}) })),
      saleDiscount,
      cashRoundingIncrementMinor: 100,
    });
    const { sale } = await t.call('counter.finalise', { saleId: newId(), lines, saleDiscount, payments: [{ method: 'cash', amountMinor: 100_000 }] });
    expect(sale.totalMinor).toBe(expected.totalMinor);
    expect(sale.totalMinor % 100).toBe(0);
    expect(sale.roundingMinor).toBe(expected.roundingMinor);
    expect(sale.taxMinor).toBe(expected.taxMinor);
    expect(sale.discountMinor).toBe(1_000 + 750);
    expect(sale.lines.map((l) => l.discountMinor)).toEqual(expected.lines.map((l) => l.discountMinor));
    expect(sale.changeDueMinor).toBe(100_000 - expected.totalMinor);
    expect(sale.taxBreakdown.map((r) => r.rateBp)).toEqual([0, 1600]);
  });

  it('writes a credit sale to the customer ledger; over the limit a cashier needs a manager', async () => {
    const customer = await t.call('counter.createCustomer', { name: 'Amina Yusuf', phone: '+254712345678', creditLimitMinor: 20_000 });
    const cashier = t.ctx('cashier');
    const { sale } = await t.call(
      'counter.finalise',
      { saleId: newId(), customerId: customer.id, lines: [lineOf(p.sugar)], payments: [{ method: 'cash', amountMinor: 2_000 }, { method: 'customer_credit', amountMinor: 10_000 }] },
      cashier,
    );
    const entries = (await t.core.store.db.collections.customerCreditEntries.find().exec()).map((e) => e.toJSON());
    expect(entries).toEqual([expect.objectContaining({ customerId: customer.id, kind: 'sale', amountMinor: 10_000, saleId: sale.id, balanceAfterMinor: 10_000, day: today() })]);
    expect(sale.payments.find((x) => x.method === 'customer_credit')?.creditEntryId).toBe(entries[0]!.id);
    expect(sale.customerName).toBe('Amina Yusuf');

    // 100.00 already owed + 120.00 > 200.00 limit
    const over = { saleId: newId(), customerId: customer.id, lines: [lineOf(p.sugar)], payments: [{ method: 'customer_credit' as const, amountMinor: 12_000 }] };
    const refused = await t.fail('counter.finalise', over, cashier);
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('available credit of 100.00');
    expect(refused.issues?.[0]?.path).toBe('override');
    expect((await counts()).lastSeq).toBe(1);

    const { sale: approved } = await t.call('counter.finalise', { ...over, override: { managerId: t.ownerId, pin: SETUP.pin, reason: 'Regular customer, pays Friday' } }, cashier);
    expect(approved.invoiceNumber).toBe('CS-A1-000002');
    const audit = await t.core.store.db.collections.auditLog.findOne({ selector: { action: 'sale.finalise', resourceId: approved.id } }).exec();
    expect(audit?.overrideBy).toBe(t.ownerId);
    expect(audit?.reason).toBe('Regular customer, pays Friday');
  });

  it('is idempotent: a retry with the same saleId returns the stored sale and uses no new number', async () => {
    const input = { saleId: newId(), lines: [lineOf(p.bread)], payments: [{ method: 'cash' as const, amountMinor: 5_000 }] };
    const [a, b] = await Promise.all([t.call('counter.finalise', input), t.call('counter.finalise', input)]);
    const c = await t.call('counter.finalise', { ...input, payments: [{ method: 'card', amountMinor: 5_000 }] });
    expect(a.sale.invoiceNumber).toBe('CS-A1-000001');
    expect(b.sale).toEqual(a.sale);
    expect(c.sale).toEqual(a.sale);
    expect([a.alreadyFinalised, b.alreadyFinalised, c.alreadyFinalised].filter(Boolean)).toHaveLength(2);
    expect(await counts()).toMatchObject({ sales: 1, drawer: 1, lastSeq: 1 });
  });

  describe('bad input gets a clear message and writes nothing', () => {
    const base = () => ({ saleId: newId(), lines: [lineOf(p.bread)], payments: [{ method: 'cash' as const, amountMinor: 5_000 }] });
    const cases: [string, () => Record<string, unknown>, string, string | RegExp, string?][] = [
      ['a negative quantity', () => ({ lines: [lineOf(p.bread, -1000)] }), 'VALIDATION', 'Line 1 (Bread): the quantity must be more than 0 (got -1).', 'lines.0.quantityMilli'],
      ['an absurd quantity', () => ({ lines: [lineOf(p.bread), lineOf(p.milk, 2_000_000_000)] }), 'VALIDATION', /Line 2 \(Milk 1L\): the quantity 2000000 is too large/, 'lines.1.quantityMilli'],
      ['a fractional milli-quantity', () => ({ lines: [lineOf(p.bread, 1.5)] }), 'VALIDATION', /quantity in thousandths must be a whole number/, 'lines.0.quantityMilli'],
      ['a negative price', () => ({ lines: [{ name: 'Open item', quantityMilli: 1000, unitPriceMinor: -500, taxRateBp: 0 }] }), 'VALIDATION', 'Line 1 (Open item): the price cannot be negative (got -5.00).', 'lines.0.unitPriceMinor'],
      ['an absurd price', () => ({ lines: [{ name: 'Open item', quantityMilli: 1000, unitPriceMinor: 5e15, taxRateBp: 0 }] }), 'VALIDATION', /the price .* is too large/, 'lines.0.unitPriceMinor'],
      ['payments that do not cover the total', () => ({ payments: [{ method: 'card', amountMinor: 3_000 }] }), 'VALIDATION', 'Payments cover 30.00 of 50.00; 20.00 still due.', 'payments'],
      ['a card payment over the total', () => ({ payments: [{ method: 'card', amountMinor: 6_000 }] }), 'VALIDATION', /only cash can be more than what is due/, 'payments.0.amountMinor'],
      ['a credit sale without a customer', () => ({ payments: [{ method: 'customer_credit', amountMinor: 5_000 }] }), 'VALIDATION', /needs a customer: choose the customer first/, 'customerId'],
      ['an unknown product', () => ({ lines: [{ ...lineOf(p.bread), productId: newId() }] }), 'VALIDATION', /Line 1 \(Bread\): this product is not in the catalogue/, 'lines.0.productId'],
      ['an unknown customer', () => ({ customerId: newId() }), 'VALIDATION', /customer is not in the customer list/, 'customerId'],
      ['a tax rate that is not the catalogue one', () => ({ lines: [lineOf(p.bread, 1000, { taxRateBp: 0 })] }), 'VALIDATION', /catalogue's tax rate for Bread is 16%/, 'lines.0.taxRateBp'],
      ['an empty cart', () => ({ lines: [] }), 'VALIDATION', /Add at least one item/],
      ['a discount over the limit (cashier)', () => ({ lines: [lineOf(p.bread, 1000, { discount: { kind: 'percent', bp: 2500 } })], payments: [{ method: 'cash', amountMinor: 5_000 }] }), 'FORBIDDEN', /a discount of 25% is over the 10% a cashier may give/, 'override'],
      ['a changed catalogue price (cashier)', () => ({ lines: [lineOf(p.bread, 1000, { unitPriceMinor: 4_000 })], payments: [{ method: 'cash', amountMinor: 5_000 }] }), 'FORBIDDEN', /price was changed from the catalogue's 50.00 to 40.00/, 'override'],
    ];
    for (const [what, patch, code, message, path] of cases) {
      it(`refuses ${what}`, async () => {
        const before = await counts();
        const error = await t.fail('counter.finalise', { ...base(), ...patch() } as never, t.ctx('cashier'));
        expect(error.code).toBe(code);
        if (typeof message === 'string') expect(error.message).toBe(message);
        else expect(error.message).toMatch(message);
        if (path) expect(error.issues?.map((i) => i.path)).toContain(path);
        expect(await counts()).toEqual(before);
        // ...and the next good sale gets the next number: the refusal used none.
        const { sale } = await t.call('counter.finalise', base(), t.ctx('cashier'));
        expect(sale.invoiceSeq).toBe(before.lastSeq + 1);
      });
    }

    it('refuses to finalise once the day is closed (LOCKED) and keeps nothing', async () => {
      const now = Date.now();
      await t.core.writes.run({ action: 'day.close', actor: { userId: t.ownerId, name: 'owner' } }, (tx) =>
        tx.insert('dayCloses', {
          id: newId(), deviceId: t.core.deviceId, registerId: '', day: today(), currency: 'KES',
          expected: { cashMinor: 0, cardMinor: 0, mobileMoneyMinor: 0, customerCreditMinor: 0 }, openingFloatMinor: 0, cashInMinor: 0, cashOutMinor: 0,
          expectedCashMinor: 0, countedCashMinor: 0, denominations: [], differenceMinor: 0, salesCount: 0, salesTotalMinor: 0, taxTotalMinor: 0,
          refundsCount: 0, refundsTotalMinor: 0, closedBy: t.ownerId, closedAt: now,
        }),
      );
      const error = await t.fail('counter.finalise', base(), t.ctx('cashier'));
      expect(error.code).toBe('LOCKED');
      expect(error.message).toContain(`The day ${today()} is already closed on this register`);
      expect(await counts()).toMatchObject({ sales: 0, drawer: 0, lastSeq: 0 });
      expect((await t.fail('counter.park', { saleId: newId(), lines: [lineOf(p.bread)] }, t.ctx('cashier'))).code).toBe('LOCKED');
    });

    it('lets a manager approve an over-limit discount with their PIN, and refuses a wrong PIN', async () => {
      const input = { ...base(), lines: [lineOf(p.bread, 1000, { discount: { kind: 'percent', bp: 2500 } })], payments: [{ method: 'cash' as const, amountMinor: 5_000 }] };
      const wrong = await t.fail('counter.finalise', { ...input, override: { managerId: t.ownerId, pin: '000000', reason: 'Damaged' } }, t.ctx('cashier'));
      expect(wrong.code).toBe('UNAUTHENTICATED');
      const { sale } = await t.call('counter.finalise', { ...input, override: { managerId: t.ownerId, pin: SETUP.pin, reason: 'Damaged packaging' } }, t.ctx('cashier'));
      expect(sale).toMatchObject({ discountMinor: 1_250, totalMinor: 3_750, invoiceNumber: 'CS-A1-000001' });
      // A manager signed in needs no separate approval.
      const { sale: own } = await t.call('counter.finalise', { ...input, saleId: newId() }, t.ctx('manager'));
      expect(own.invoiceSeq).toBe(2);
    });
  });
});

describe('park and resume', () => {
  it('parks a cart, lists it, resumes it with the same totals, and finalise with the same id replaces it', async () => {
    const customer = await t.call('counter.createCustomer', { name: 'Peter' });
    const saleId = newId();
    const lines = [lineOf(p.bread, 2000, { discount: { kind: 'amount', amountMinor: 500 } }), lineOf(p.rice, 1500)];
    const parked = await t.call('counter.park', { saleId, lines, saleDiscount: { kind: 'percent', bp: 500 }, customerId: customer.id, label: 'Lady in red' }, t.ctx('cashier'));
    expect(parked).toMatchObject({ id: saleId, label: 'Lady in red', lineCount: 2, customerName: 'Peter' });
    expect((await t.call('counter.parked', {}, t.ctx('cashier'))).map((s) => s.id)).toEqual([saleId]);
    expect((await t.call('counter.sales', { day: today() })).items).toEqual([]);

    const cart = await t.call('counter.resume', { saleId, keep: true }, t.ctx('cashier'));
    expect(cart).toMatchObject({ saleId, customerId: customer.id, label: 'Lady in red', totalMinor: parked.totalMinor });
    const again = computeSaleTotals({ currency: 'KES', taxMode: 'inclusive', lines: cart.lines.map((l) => ({ ...l, discount: l.discount as never })) });
    expect(again.totalMinor).toBe(parked.totalMinor);
    expect((await t.call('counter.parked', {})).length).toBe(1); // kept

    const { sale } = await t.call('counter.finalise', { saleId, lines: cart.lines, customerId: cart.customerId, payments: [{ method: 'mobile_money', amountMinor: again.totalMinor, reference: 'SBX123' }] }, t.ctx('cashier'));
    expect(sale).toMatchObject({ status: 'finalised', invoiceNumber: 'CS-A1-000001', totalMinor: parked.totalMinor });
    expect(await t.call('counter.parked', {})).toEqual([]);
  });

  it('resume without keep removes it; discard removes it; a finalised sale cannot be parked or discarded', async () => {
    const a = newId();
    const b = newId();
    await t.call('counter.park', { saleId: a, lines: [lineOf(p.milk)] });
    await t.call('counter.park', { saleId: b, lines: [lineOf(p.sugar)] });
    expect((await t.call('counter.resume', { saleId: a })).lines[0]).toMatchObject({ productId: p.milk.id, quantityMilli: 1000 });
    expect((await t.call('counter.parked', {})).map((s) => s.id)).toEqual([b]);
    expect((await t.fail('counter.resume', { saleId: a })).code).toBe('NOT_FOUND');
    await t.call('counter.discardParked', { saleId: b });
    expect(await t.call('counter.parked', {})).toEqual([]);

    const { sale } = await t.call('counter.finalise', { saleId: a, lines: [lineOf(p.milk)], payments: [{ method: 'cash', amountMinor: 6_500 }] });
    expect((await t.fail('counter.park', { saleId: a, lines: [lineOf(p.milk)] })).code).toBe('CONFLICT');
    expect((await t.fail('counter.discardParked', { saleId: a })).code).toBe('LOCKED');
    expect((await t.call('counter.sale', { saleId: a })).sale.invoiceNumber).toBe(sale.invoiceNumber);
  });
});

describe('counter.sales and counter.sale', () => {
  it('lists newest first with cursor pages, by day and by device, and finds a sale by number', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { sale } = await t.call('counter.finalise', { saleId: newId(), lines: [lineOf(p.bread, 1000 * (i + 1))], payments: [{ method: 'card', amountMinor: 5_000 * (i + 1) }] });
      ids.push(sale.id);
    }
    await t.call('counter.park', { saleId: newId(), lines: [lineOf(p.bread)] }); // not listed
    const newestFirst = [...ids].reverse();
    const pages: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await t.call('counter.sales', { day: today(), limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(...page.items.map((s) => s.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(pages).toEqual(newestFirst);
    expect((await t.call('counter.sales', { limit: 50 })).items.map((s) => s.id)).toEqual(newestFirst);
    expect((await t.call('counter.sales', { deviceId: 'all', limit: 2 })).items.map((s) => s.id)).toEqual(newestFirst.slice(0, 2));
    expect((await t.call('counter.sales', { day: '2020-01-01' })).items).toEqual([]);
    expect((await t.call('counter.sales', { deviceId: 'other-device' })).items).toEqual([]);
    expect((await t.fail('counter.sales', { cursor: 'nonsense' })).code).toBe('VALIDATION');
    expect((await t.call('counter.saleByNumber', { invoiceNumber: 'cs-a1-000003' })).id).toBe(ids[2]);
    expect((await t.fail('counter.saleByNumber', { invoiceNumber: 'CS-A1-999999' })).code).toBe('NOT_FOUND');

    const detail = await t.call('counter.sale', { saleId: ids[1]! });
    expect(detail).toMatchObject({ refundedMinor: 0, fullyRefunded: false, creditNotes: [] });
    expect(detail.lines).toEqual([{ lineIndex: 0, lineId: '1', soldMilli: 2000, refundedMilli: 0, remainingMilli: 2000 }]);
  });
});
