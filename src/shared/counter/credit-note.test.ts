import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CounterRuleError } from './errors';
import { computeCreditNote, refundState, type CreditNoteTotals, type OriginalSale, type PreviousCreditNote } from './credit-note';
import { computeSaleTotals, type SaleTotals, type SaleTotalsInput } from './totals';

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

/** A finalised sale as stored, from computed totals. */
function stored(t: SaleTotals, names: string[] = []): OriginalSale {
  return {
    currency: t.currency,
    taxMode: t.taxMode,
    roundingMinor: t.roundingMinor,
    lines: t.lines.map((l, i) => ({
      lineId: `L${i + 1}`,
      ...(names[i] ? { name: names[i] } : {}),
      quantityMilli: l.quantityMilli,
      unitPriceMinor: l.unitPriceMinor,
      discountMinor: l.discountMinor,
      taxRateBp: l.taxRateBp,
      taxMinor: l.taxMinor,
      totalMinor: l.totalMinor,
    })),
  };
}

/** A credit note as stored, to feed as `previous`. */
function asPrevious(n: CreditNoteTotals): PreviousCreditNote {
  return {
    currency: n.currency,
    roundingMinor: n.roundingMinor,
    lines: n.lines.map((l) => ({ saleLineId: l.saleLineId, quantityMilli: l.quantityMilli, discountMinor: l.discountMinor, taxMinor: l.taxMinor, totalMinor: l.totalMinor })),
  };
}

const kesSale = stored(
  computeSaleTotals({
    currency: 'KES',
    taxMode: 'inclusive',
    lines: [
      // 3 x 10.00 - 1.00 = 29.00; tax 2900 x 16/116 = 400 exactly; taxable 2500
      { quantityMilli: 3000, unitPriceMinor: 1000, taxRateBp: 1600, discount: { kind: 'amount', amountMinor: 100 } },
      // 1 x 50.00; tax 5000 x 16/116 = 689.66 -> 690
      { quantityMilli: 1000, unitPriceMinor: 5000, taxRateBp: 1600 },
    ],
  }),
  ['Soap', 'Rice'],
);

describe('credit notes: worked example', () => {
  it('refunds a line unit by unit; the last unit gets the remainder', () => {
    // Cumulative shares of the line (taxable 2500, tax 400, discount 100) after 1, 2, 3 of 3:
    //   taxable 833.3 -> 833, 1666.7 -> 1667, 2500  => per note 833, 834, 833
    //   tax     133.3 -> 133,  266.7 ->  267,  400  => per note 133, 134, 133
    //   discount 33.3 ->  33,   66.7 ->   67,  100  => per note  33,  34,  33
    const notes: CreditNoteTotals[] = [];
    for (let k = 0; k < 3; k++) {
      notes.push(computeCreditNote({ sale: kesSale, previous: notes.map(asPrevious), lines: [{ lineIndex: 0, quantityMilli: 1000 }] }));
    }
    expect(notes.map((n) => [n.taxableMinor, n.taxMinor, n.discountMinor, n.totalMinor, n.subtotalMinor])).toEqual([
      [833, 133, 33, 966, 999],
      [834, 134, 34, 968, 1002],
      [833, 133, 33, 966, 999],
    ]);
    expect(notes.reduce((s, n) => s + n.totalMinor, 0)).toBe(2900);
    expect(notes.map((n) => n.completesSale)).toEqual([false, false, false]);
    // Then a void takes what is left (the rice) and completes the sale.
    const rest = computeCreditNote({ sale: kesSale, previous: notes.map(asPrevious), lines: 'all' });
    expect(rest.lines).toMatchObject([{ lineIndex: 1, saleLineId: 'L2', quantityMilli: 1000, taxMinor: 690, totalMinor: 5000 }]);
    expect(rest.completesSale).toBe(true);
  });

  it('a full void equals the original sale exactly', () => {
    const n = computeCreditNote({ sale: kesSale, lines: 'all' });
    expect(n).toMatchObject({ subtotalMinor: 8000, discountMinor: 100, taxMinor: 1090, totalMinor: 7900, completesSale: true });
    expect(n.taxBreakdown).toEqual([{ rateBp: 1600, taxableMinor: 6810, taxMinor: 1090, totalMinor: 7900 }]);
  });

  it("gives back the sale's cash rounding on the note that completes the refund", () => {
    const t = computeSaleTotals({ currency: 'ZAR', taxMode: 'inclusive', cashRoundingIncrementMinor: 10, lines: [{ quantityMilli: 2000, unitPriceMinor: 1999, taxRateBp: 1500 }] });
    expect(t).toMatchObject({ linesTotalMinor: 3998, roundingMinor: 2, totalMinor: 4000 });
    const sale = stored(t);
    const a = computeCreditNote({ sale, lines: [{ lineIndex: 0, quantityMilli: 1000 }] });
    const b = computeCreditNote({ sale, previous: [asPrevious(a)], lines: [{ lineIndex: 0, quantityMilli: 1000 }] });
    expect([a.roundingMinor, b.roundingMinor]).toEqual([0, 2]);
    expect(a.totalMinor + b.totalMinor).toBe(4000);
  });

  it('refundState tells the refund screen what is left', () => {
    const first = computeCreditNote({ sale: kesSale, lines: [{ lineIndex: 0, quantityMilli: 2000 }] });
    expect(refundState(kesSale, [asPrevious(first)]).map((s) => [s.soldMilli, s.refundedMilli, s.remainingMilli])).toEqual([
      [3000, 2000, 1000],
      [1000, 0, 1000],
    ]);
  });
});

describe('credit note errors', () => {
  const once = computeCreditNote({ sale: kesSale, lines: [{ lineIndex: 0, quantityMilli: 2000 }] });
  const cases: [string, () => unknown, string, string][] = [
    ['nothing chosen', () => computeCreditNote({ sale: kesSale, lines: [] }), 'nothing_to_refund', 'Choose at least one line and a quantity to refund.'],
    [
      'more than sold minus refunded',
      () => computeCreditNote({ sale: kesSale, previous: [asPrevious(once)], lines: [{ lineIndex: 0, quantityMilli: 2000 }] }),
      'refund_exceeds_remaining',
      'Line 1 (Soap): only 1 of 3 sold can still be refunded (2 already refunded); you asked for 2.',
    ],
    [
      'more than sold',
      () => computeCreditNote({ sale: kesSale, lines: [{ lineIndex: 1, quantityMilli: 1500 }] }),
      'refund_exceeds_remaining',
      'Line 2 (Rice): only 1 of 1 sold can still be refunded (0 already refunded); you asked for 1.5.',
    ],
    [
      'line already fully refunded',
      () =>
        computeCreditNote({
          sale: kesSale,
          previous: [asPrevious(computeCreditNote({ sale: kesSale, lines: [{ lineIndex: 1, quantityMilli: 1000 }] }))],
          lines: [{ lineIndex: 1, quantityMilli: 1000 }],
        }),
      'refund_exceeds_remaining',
      'Line 2 (Rice): all 1 sold have already been refunded.',
    ],
    [
      'void of a fully refunded sale',
      () => computeCreditNote({ sale: kesSale, previous: [asPrevious(computeCreditNote({ sale: kesSale, lines: 'all' }))], lines: 'all' }),
      'refund_exceeds_remaining',
      'This sale has already been fully refunded; there is nothing left to credit.',
    ],
    ['unknown line', () => computeCreditNote({ sale: kesSale, lines: [{ lineIndex: 5, quantityMilli: 1000 }] }), 'unknown_line', 'Line 6 is not on this sale (it has 2 lines).'],
    ['negative line index', () => computeCreditNote({ sale: kesSale, lines: [{ lineIndex: -1, quantityMilli: 1000 }] }), 'unknown_line', 'Line 0 is not on this sale (it has 2 lines).'],
    [
      'same line twice',
      () =>
        computeCreditNote({
          sale: kesSale,
          lines: [
            { lineIndex: 0, quantityMilli: 1000 },
            { lineIndex: 0, quantityMilli: 1000 },
          ],
        }),
      'duplicate_line',
      'Line 1 (Soap) is listed twice; enter its refund quantity once.',
    ],
    [
      'zero quantity',
      () => computeCreditNote({ sale: kesSale, lines: [{ lineIndex: 0, quantityMilli: 0 }] }),
      'quantity_not_positive',
      'Line 1 (Soap): the quantity must be more than 0 (got 0).',
    ],
    [
      'negative quantity',
      () => computeCreditNote({ sale: kesSale, lines: [{ lineIndex: 0, quantityMilli: -1000 }] }),
      'quantity_not_positive',
      'Line 1 (Soap): the quantity must be more than 0 (got -1).',
    ],
    [
      'earlier note in another currency',
      () => computeCreditNote({ sale: kesSale, previous: [{ ...asPrevious(once), currency: 'USD' }], lines: 'all' }),
      'currency_mismatch',
      'An earlier credit note is in USD but the sale is in KES.',
    ],
    [
      'earlier note for another sale',
      () => computeCreditNote({ sale: kesSale, previous: [{ lines: [{ saleLineId: 'X9', quantityMilli: 1000, discountMinor: 0, taxMinor: 0, totalMinor: 0 }] }], lines: 'all' }),
      'unknown_line',
      'An earlier credit note refers to a line that is not on this sale (X9).',
    ],
  ];
  it.each(cases)('%s', (_name, fn, code, message) => expectRuleError(fn, code, message));
});

describe('credit note properties', () => {
  const saleArb = fc.record({
    taxMode: fc.constantFrom('inclusive' as const, 'exclusive' as const),
    cash: fc.constantFrom(0, 5, 10, 50),
    saleDiscountBp: fc.integer({ min: 0, max: 10000 }),
    lines: fc.array(
      fc.record({
        quantityMilli: fc.oneof(fc.integer({ min: 1, max: 12 }).map((n) => n * 1000), fc.integer({ min: 1, max: 5000 })),
        unitPriceMinor: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 10_000_000 })),
        taxRateBp: fc.oneof(fc.constantFrom(0, 800, 1600, 2000), fc.integer({ min: 0, max: 10000 })),
        lineDiscountBp: fc.integer({ min: 0, max: 10000 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  });

  it('refunding every line in random pieces over several notes equals the original sale exactly', () => {
    fc.assert(
      fc.property(saleArb, fc.gen(), (s, g) => {
        const input: SaleTotalsInput = {
          currency: 'USD',
          taxMode: s.taxMode,
          cashRoundingIncrementMinor: s.cash,
          saleDiscount: { kind: 'percent', bp: s.saleDiscountBp },
          lines: s.lines.map((l) => ({ quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor, taxRateBp: l.taxRateBp, discount: { kind: 'percent', bp: l.lineDiscountBp } })),
        };
        const totals = computeSaleTotals(input);
        const sale = stored(totals);
        const remaining = sale.lines.map((l) => l.quantityMilli);
        const notes: CreditNoteTotals[] = [];
        while (remaining.some((q) => q > 0)) {
          const open = remaining.flatMap((q, i) => (q > 0 ? [i] : []));
          const chosen = open.filter(() => g(fc.boolean));
          if (chosen.length === 0) chosen.push(open[0]!);
          const req = chosen.map((i) => ({ lineIndex: i, quantityMilli: g(fc.integer, { min: 1, max: remaining[i]! }) }));
          const n = computeCreditNote({ sale, previous: notes.map(asPrevious), lines: req });
          for (const r of req) remaining[r.lineIndex]! -= r.quantityMilli;
          // every note is consistent and non-negative
          for (const l of n.lines) {
            for (const v of [l.subtotalMinor, l.discountMinor, l.taxableMinor, l.taxMinor, l.totalMinor]) expect(v).toBeGreaterThanOrEqual(0);
            expect(l.totalMinor).toBe(l.taxableMinor + l.taxMinor);
            expect(l.subtotalMinor - l.discountMinor).toBe(s.taxMode === 'inclusive' ? l.totalMinor : l.taxableMinor);
          }
          expect(n.completesSale).toBe(remaining.every((q) => q === 0));
          notes.push(n);
        }
        const sum = (f: (n: CreditNoteTotals) => number) => notes.reduce((a, n) => a + f(n), 0);
        expect(sum((n) => n.totalMinor)).toBe(totals.totalMinor);
        expect(sum((n) => n.taxMinor)).toBe(totals.taxMinor);
        expect(sum((n) => n.discountMinor)).toBe(totals.discountMinor);
        expect(sum((n) => n.subtotalMinor)).toBe(totals.subtotalMinor);
        expect(sum((n) => n.taxableMinor)).toBe(totals.taxableMinor);
        expect(sum((n) => n.roundingMinor)).toBe(totals.roundingMinor);
        // per line too
        totals.lines.forEach((l, i) => {
          const lines = notes.flatMap((n) => n.lines.filter((x) => x.lineIndex === i));
          expect(lines.reduce((a, x) => a + x.totalMinor, 0)).toBe(l.totalMinor);
          expect(lines.reduce((a, x) => a + x.taxMinor, 0)).toBe(l.taxMinor);
          expect(lines.reduce((a, x) => a + x.quantityMilli, 0)).toBe(l.quantityMilli);
        });
      }),
      { numRuns: 200 },
    );
  });
});
