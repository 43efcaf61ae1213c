import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CounterRuleError } from './errors';
import { computeCreditNote } from './credit-note';
import { buildZReport, dayCloseFields, type DayCloseCreditNote, type DayCloseDrawerMovement, type DayCloseInput, type DayCloseSale } from './day-close';
import { formatInvoiceNumber, nextInvoiceNumber } from './invoice-number';
import { settlePayments } from './payments';
import { computeSaleTotals } from './totals';
import { DENOMINATIONS, countCash, denominationsFor, genericDenominations } from './denominations';

function expectRuleError(fn: () => unknown, code: string, message: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CounterRuleError);
    expect({ code: (e as CounterRuleError).code, message: (e as CounterRuleError).message }).toEqual({ code, message });
    return;
  }
  throw new Error(`expected CounterRuleError ${code}`);
}

const sale = (seq: number, s: Omit<DayCloseSale, 'currency' | 'invoiceSeq' | 'invoiceNumber'>): DayCloseSale => ({
  currency: 'KES',
  invoiceSeq: seq,
  invoiceNumber: `SHOP-T01-${String(seq).padStart(6, '0')}`,
  ...s,
});

// A hand-checked day at one register (KES, 16% VAT inclusive).
const day: DayCloseInput = {
  currency: 'KES',
  sales: [
    // 100.00 paid cash; tax 10000 x 16/116 = 1379.31 -> 1379
    sale(10, { subtotalMinor: 10000, discountMinor: 0, taxMinor: 1379, totalMinor: 10000, lines: [{ taxRateBp: 1600, taxMinor: 1379, totalMinor: 10000 }], payments: [{ method: 'cash', amountMinor: 10000 }] }),
    // 60.00 - 5.00 = 55.00 paid card 30 + mobile money 25; tax 5500 x 16/116 = 758.62 -> 759
    sale(11, {
      subtotalMinor: 6000,
      discountMinor: 500,
      taxMinor: 759,
      totalMinor: 5500,
      lines: [{ taxRateBp: 1600, taxMinor: 759, totalMinor: 5500 }],
      payments: [
        { method: 'card', amountMinor: 3000 },
        { method: 'mobile_money', amountMinor: 2500 },
      ],
    }),
    // 20.00 zero-rated, on customer credit
    sale(12, { subtotalMinor: 2000, discountMinor: 0, taxMinor: 0, totalMinor: 2000, lines: [{ taxRateBp: 0, taxMinor: 0, totalMinor: 2000 }], payments: [{ method: 'customer_credit', amountMinor: 2000 }] }),
    // a parked sale is not takings
    { ...sale(0, { subtotalMinor: 999, discountMinor: 0, taxMinor: 0, totalMinor: 999, lines: [], payments: [] }), status: 'parked' },
  ],
  creditNotes: [
    // 25.00 refunded in cash; tax 2500 x 16/116 = 344.83 -> 345
    {
      currency: 'KES',
      subtotalMinor: 2500,
      discountMinor: 0,
      taxMinor: 345,
      totalMinor: 2500,
      lines: [{ taxRateBp: 1600, taxMinor: 345, totalMinor: 2500 }],
      refunds: [{ method: 'cash', amountMinor: 2500 }],
      seq: 1,
      number: 'SHOP-CN-T01-000001',
    },
  ],
  drawerMovements: [
    { kind: 'opening_float', amountMinor: 5000 },
    { kind: 'cash_in', amountMinor: 1000, creditEntryId: 'ce1' }, // a credit repayment
    { kind: 'cash_out', amountMinor: -300 },
    { kind: 'sale_cash', amountMinor: 10000, saleId: 's10' }, // mirrors sale 10: not counted twice
    { kind: 'refund_cash', amountMinor: -2500, creditNoteId: 'cn1' }, // mirrors the credit note
    { kind: 'cash_out', amountMinor: -700, expenseId: 'e1' }, // mirrors the cash expense
  ],
  expenses: [
    { amountMinor: 700, paidFrom: 'cash' },
    { amountMinor: 4000, paidFrom: 'other' },
  ],
  // KES 100 note + KES 20 coin + 4 x KES 1 = 124.00
  counted: [
    { valueMinor: 10000, count: 1 },
    { valueMinor: 2000, count: 1 },
    { valueMinor: 100, count: 4 },
    { valueMinor: 100000, count: 0 },
  ],
};

describe('Z report', () => {
  it('adds up a hand-checked day', () => {
    const z = buildZReport(day);
    expect(z).toMatchObject({
      salesCount: 3,
      ignoredSalesCount: 1,
      grossSalesMinor: 18000,
      discountsMinor: 500,
      salesTaxMinor: 2138, // 1379 + 759
      salesTotalMinor: 17500,
      refundsCount: 1,
      refundsTotalMinor: 2500,
      refundsTaxMinor: 345,
      netSalesMinor: 15000,
      netTaxMinor: 1793,
      payments: {
        sales: { cash: 10000, card: 3000, mobile_money: 2500, customer_credit: 2000 },
        refunds: { cash: 2500, card: 0, mobile_money: 0, customer_credit: 0 },
        net: { cash: 7500, card: 3000, mobile_money: 2500, customer_credit: 2000 },
      },
      expenses: { count: 2, cashMinor: 700, otherMinor: 4000 },
      invoices: { firstSeq: 10, lastSeq: 12, firstNumber: 'SHOP-T01-000010', lastNumber: 'SHOP-T01-000012', missingSeqs: [], duplicateSeqs: [] },
      creditNotes: { firstNumber: 'SHOP-CN-T01-000001', lastNumber: 'SHOP-CN-T01-000001' },
      ledgerCheck: { drawerMovementsSumMinor: 12500, differenceMinor: 0 },
    });
    expect(z.taxByRate).toEqual([
      { rateBp: 0, salesTaxableMinor: 2000, salesTaxMinor: 0, refundsTaxableMinor: 0, refundsTaxMinor: 0, netTaxableMinor: 2000, netTaxMinor: 0 },
      // taxable (10000 - 1379) + (5500 - 759) = 13362; refund 2500 - 345 = 2155
      { rateBp: 1600, salesTaxableMinor: 13362, salesTaxMinor: 2138, refundsTaxableMinor: 2155, refundsTaxMinor: 345, netTaxableMinor: 11207, netTaxMinor: 1793 },
    ]);
    // 50.00 float + 100.00 cash sales - 25.00 refund + 10.00 in - 3.00 out - 7.00 expense = 125.00
    expect(z.cash).toMatchObject({
      openingFloatMinor: 5000,
      cashSalesMinor: 10000,
      cashRefundsMinor: 2500,
      cashInMinor: 1000,
      creditRepaymentsMinor: 1000,
      cashOutMinor: 300,
      cashExpensesMinor: 700,
      adjustmentsMinor: 0,
      expectedCashMinor: 12500,
      countedCashMinor: 12400,
      differenceMinor: -100, // 1.00 short
    });
    expect(z.cash.count?.denominations).toEqual([
      { valueMinor: 10000, count: 1 },
      { valueMinor: 2000, count: 1 },
      { valueMinor: 100, count: 4 },
    ]);
  });

  it('maps onto the dayCloses schema fields', () => {
    expect(dayCloseFields(buildZReport(day))).toEqual({
      expected: { cashMinor: 7500, cardMinor: 3000, mobileMoneyMinor: 2500, customerCreditMinor: 2000 },
      openingFloatMinor: 5000,
      cashInMinor: 1000,
      cashOutMinor: 1000,
      expectedCashMinor: 12500,
      countedCashMinor: 12400,
      denominations: [
        { valueMinor: 10000, count: 1 },
        { valueMinor: 2000, count: 1 },
        { valueMinor: 100, count: 4 },
      ],
      differenceMinor: -100,
      salesCount: 3,
      salesTotalMinor: 17500,
      taxTotalMinor: 2138,
      refundsCount: 1,
      refundsTotalMinor: 2500,
      firstInvoiceSeq: 10,
      lastInvoiceSeq: 12,
    });
  });

  it('shows the expected cash before counting, and finds invoice gaps', () => {
    const z = buildZReport({ ...day, counted: undefined, sales: (day.sales as DayCloseSale[]).filter((s) => s.invoiceSeq !== 11) });
    expect(z.cash.countedCashMinor).toBeUndefined();
    expect(z.cash.differenceMinor).toBeUndefined();
    expect(z.invoices.missingSeqs).toEqual([11]);
  });

  it('an empty day', () => {
    const z = buildZReport({ currency: 'USD', sales: [] });
    expect(z).toMatchObject({ salesCount: 0, netSalesMinor: 0, cash: { expectedCashMinor: 0 }, invoices: { missingSeqs: [] }, ledgerCheck: { differenceMinor: 0 } });
  });

  it('a drawer ledger that disagrees with the documents shows in ledgerCheck', () => {
    const z = buildZReport({ ...day, drawerMovements: (day.drawerMovements as DayCloseDrawerMovement[]).filter((m) => m.kind !== 'sale_cash') });
    expect(z.ledgerCheck.differenceMinor).toBe(-10000);
  });

  describe('errors', () => {
    const cases: [string, () => unknown, string, string][] = [
      [
        'a sale in another currency',
        () => buildZReport({ currency: 'USD', sales: [sale(1, { subtotalMinor: 1, discountMinor: 0, taxMinor: 0, totalMinor: 1, lines: [], payments: [] })] }),
        'currency_mismatch',
        'Sale SHOP-T01-000001 is in KES but the register closes in USD; close each currency separately.',
      ],
      [
        'cash out with a positive amount',
        () => buildZReport({ currency: 'KES', sales: [], drawerMovements: [{ kind: 'cash_out', amountMinor: 500 }] }),
        'invalid_amount',
        'Drawer entry (cash out) of 5.00 has the wrong sign: money into the drawer is positive, money out is negative.',
      ],
      [
        'negative opening float',
        () => buildZReport({ currency: 'KES', sales: [], drawerMovements: [{ kind: 'opening_float', amountMinor: -500 }] }),
        'invalid_amount',
        'Drawer entry (opening float) of -5.00 has the wrong sign: money into the drawer is positive, money out is negative.',
      ],
      [
        'negative expense',
        () => buildZReport({ currency: 'KES', sales: [], expenses: [{ amountMinor: -1, paidFrom: 'cash' }] }),
        'invalid_amount',
        'Expense 1: an expense cannot be negative (-0.01).',
      ],
      [
        'a float amount',
        () => buildZReport({ currency: 'KES', sales: [], drawerMovements: [{ kind: 'cash_in', amountMinor: 0.5 }] }),
        'not_integer',
        'Drawer entry (cash in): the amount in minor units must be a whole number, got 0.5.',
      ],
      [
        'a note that does not exist',
        () => buildZReport({ currency: 'KES', sales: [], counted: [{ valueMinor: 30000, count: 1 }] }),
        'unknown_denomination',
        '300.00 is not a KES note or coin.',
      ],
      [
        'a negative count',
        () => buildZReport({ currency: 'KES', sales: [], counted: [{ valueMinor: 10000, count: -2 }] }),
        'invalid_count',
        'The count of 100.00 must be a whole number from 0 to 1000000 (got -2).',
      ],
      ['closing without a count', () => dayCloseFields(buildZReport({ currency: 'KES', sales: [] })), 'invalid_count', 'Count the cash in the drawer before closing the day.'],
    ];
    it.each(cases)('%s', (_name, fn, code, message) => expectRuleError(fn, code, message));
  });
});

describe('Z report properties', () => {
  it('the Z report of sales rung up with computeSaleTotals/settlePayments and refunded with computeCreditNote matches them', () => {
    const lineArb = fc.record({
      quantityMilli: fc.integer({ min: 1, max: 5 }).map((n) => n * 1000),
      unitPriceMinor: fc.integer({ min: 0, max: 100_000 }),
      taxRateBp: fc.constantFrom(0, 800, 1600),
    });
    const saleArb = fc.record({
      lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
      taxMode: fc.constantFrom('inclusive' as const, 'exclusive' as const),
      cardPart: fc.double({ min: 0, max: 1, noNaN: true }),
      overpay: fc.nat({ max: 5000 }),
      refund: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(saleArb, { maxLength: 15 }), fc.nat({ max: 100_000 }), (specs, float) => {
        let counter = { lastInvoiceSeq: 0, lastCreditNoteSeq: 0 };
        const sales: DayCloseSale[] = [];
        const notes: DayCloseCreditNote[] = [];
        for (const sp of specs) {
          const t = computeSaleTotals({ currency: 'KES', taxMode: sp.taxMode, lines: sp.lines });
          const card = Math.floor(t.totalMinor * sp.cardPart);
          const pays = settlePayments({
            currency: 'KES',
            totalMinor: t.totalMinor,
            payments: [
              ...(card > 0 ? [{ method: 'card' as const, amountMinor: card }] : []),
              ...(t.totalMinor - card > 0 ? [{ method: 'cash' as const, amountMinor: t.totalMinor - card + sp.overpay }] : []),
            ],
          });
          const n = nextInvoiceNumber({ prefix: 'SHOP', deviceCode: 'T1' }, counter);
          counter = n.counter;
          sales.push({ ...t, payments: pays.payments, invoiceSeq: n.seq, invoiceNumber: n.number });
          if (sp.refund) {
            const cn = computeCreditNote({
              sale: { ...t, lines: t.lines.map((l, i) => ({ ...l, lineId: `L${i}` })) },
              lines: [{ lineIndex: 0, quantityMilli: 1000 }],
            });
            notes.push({ ...cn, refunds: cn.totalMinor > 0 ? [{ method: 'cash', amountMinor: cn.totalMinor }] : [] });
          }
        }
        const z = buildZReport({ currency: 'KES', sales, creditNotes: notes, drawerMovements: [{ kind: 'opening_float', amountMinor: float }] });
        const salesTotal = sales.reduce((s, x) => s + x.totalMinor, 0);
        const refunds = notes.reduce((s, x) => s + x.totalMinor, 0);
        expect(z.salesTotalMinor).toBe(salesTotal);
        expect(z.netSalesMinor).toBe(salesTotal - refunds);
        expect(Object.values(z.payments.net).reduce((a, b) => a + b, 0)).toBe(z.netSalesMinor);
        expect(z.cash.expectedCashMinor).toBe(float + z.payments.net.cash);
        expect(z.taxByRate.reduce((s, r) => s + r.netTaxMinor, 0)).toBe(z.netTaxMinor);
        expect(z.taxByRate.reduce((s, r) => s + r.netTaxableMinor + r.netTaxMinor, 0)).toBe(z.netSalesMinor);
        expect(z.invoices.missingSeqs).toEqual([]);
        if (sales.length > 0) expect(z.invoices.lastNumber).toBe(formatInvoiceNumber({ prefix: 'SHOP', deviceCode: 'T1' }, sales.length));
      }),
      { numRuns: 200 },
    );
  });
});

describe('denominations', () => {
  it('has tables for USD, EUR, GBP, KES, NGN, ZAR, INR: unique values, largest first, notes before coins', () => {
    for (const c of ['USD', 'EUR', 'GBP', 'KES', 'NGN', 'ZAR', 'INR']) {
      const t = DENOMINATIONS[c]!;
      expect(t.length).toBeGreaterThan(5);
      const values = t.map((d) => d.valueMinor);
      expect(values).toEqual([...values].sort((a, b) => b - a));
      expect(new Set(values).size).toBe(values.length);
      expect(t.findIndex((d) => d.kind === 'coin')).toBeGreaterThan(t.findLastIndex((d) => d.kind === 'note'));
    }
    expect(denominationsFor('EUR').map((d) => d.valueMinor)).toEqual([50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1]);
  });

  it('falls back to a 1-2-5 series for other currencies (by their decimals)', () => {
    expect(genericDenominations('JPY').map((d) => d.valueMinor)).toEqual([10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1]);
    expect(denominationsFor('UGX')[0]).toEqual({ valueMinor: 10000, kind: 'note' });
    expect(denominationsFor('CHF')[0]).toEqual({ valueMinor: 1_000_000, kind: 'note' });
    expect(denominationsFor('CHF').find((d) => d.valueMinor === 100)?.kind).toBe('coin');
  });

  it('counted = sum of value x count, counts merged per value', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ d: fc.constantFrom(...DENOMINATIONS.USD!), count: fc.nat({ max: 500 }) }), { maxLength: 30 }), (entries) => {
        const c = countCash('USD', entries.map((e) => ({ valueMinor: e.d.valueMinor, count: e.count })));
        expect(c.countedMinor).toBe(entries.reduce((s, e) => s + e.d.valueMinor * e.count, 0));
        expect(new Set(c.denominations.map((d) => d.valueMinor)).size).toBe(c.denominations.length);
      }),
    );
  });
});
