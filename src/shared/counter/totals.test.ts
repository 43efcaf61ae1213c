import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineAmountMinor } from '../money';
import { CounterRuleError, tryCounter } from './errors';
import { computeSaleTotals, type Discount, type SaleLineInput, type SaleTotals, type SaleTotalsInput } from './totals';

function expectRuleError(fn: () => unknown, code: string, message: string | RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CounterRuleError);
    expect((e as CounterRuleError).code).toBe(code);
    if (typeof message === 'string') expect((e as CounterRuleError).message).toBe(message);
    else expect((e as CounterRuleError).message).toMatch(message);
    return;
  }
  throw new Error(`expected CounterRuleError ${code}`);
}

// ---------------------------------------------------------------------------
// Worked examples: every figure below is computed by hand in the comments.

describe('worked examples', () => {
  it('KES sale, 16% VAT inclusive (tax extracted per line, half away from zero)', () => {
    const t = computeSaleTotals({
      currency: 'KES',
      taxMode: 'inclusive',
      lines: [
        // 1.250 kg x 180.00 = 225.00; tax = 22500 x 1600/11600 = 3103.448 -> 3103
        { name: 'Sugar', quantityMilli: 1250, unitPriceMinor: 18000, taxRateBp: 1600 },
        // 3 x 65.00 = 195.00; tax = 19500 x 16/116 = 2689.655 -> 2690
        { name: 'Milk', quantityMilli: 3000, unitPriceMinor: 6500, taxRateBp: 1600 },
        // 55.00 - 5.00 discount = 50.00; tax = 5000 x 16/116 = 689.655 -> 690
        { name: 'Bread', quantityMilli: 1000, unitPriceMinor: 5500, taxRateBp: 1600, discount: { kind: 'amount', amountMinor: 500 } },
        // 0.337 kg x 99.99 = 33.69663 -> 33.70; tax = 3370 x 16/116 = 464.828 -> 465
        { name: 'Tomatoes', quantityMilli: 337, unitPriceMinor: 9999, taxRateBp: 1600 },
      ],
    });
    expect(t.lines.map((l) => [l.subtotalMinor, l.discountMinor, l.taxableMinor, l.taxMinor, l.totalMinor])).toEqual([
      [22500, 0, 19397, 3103, 22500],
      [19500, 0, 16810, 2690, 19500],
      [5500, 500, 4310, 690, 5000],
      [3370, 0, 2905, 465, 3370],
    ]);
    expect(t).toMatchObject({
      subtotalMinor: 50870,
      discountMinor: 500,
      taxableMinor: 43422,
      taxMinor: 6948, // 3103 + 2690 + 690 + 465
      totalMinor: 50370, // 50870 - 500: the tax is inside the prices
      roundingMinor: 0,
      taxBreakdown: [{ rateBp: 1600, taxableMinor: 43422, taxMinor: 6948, totalMinor: 50370 }],
    });
  });

  it('USD sale, 8.25% sales tax exclusive (tax added per line)', () => {
    const t = computeSaleTotals({
      currency: 'USD',
      taxMode: 'exclusive',
      lines: [
        // 2 x 12.99 = 25.98; tax 2598 x 0.0825 = 214.335 -> 214
        { quantityMilli: 2000, unitPriceMinor: 1299, taxRateBp: 825 },
        // 8.50 less 10% (85) = 7.65; tax 765 x 0.0825 = 63.1125 -> 63
        { quantityMilli: 1000, unitPriceMinor: 850, taxRateBp: 825, discount: { kind: 'percent', bp: 1000 } },
        // 3 x 3.49 = 10.47; tax 1047 x 0.0825 = 86.3775 -> 86
        { quantityMilli: 3000, unitPriceMinor: 349, taxRateBp: 825 },
        // 4 x 2.50 = 10.00; tax 1000 x 0.0825 = 82.5 -> 83 (half away from zero)
        { quantityMilli: 4000, unitPriceMinor: 250, taxRateBp: 825 },
      ],
    });
    expect(t.lines.map((l) => [l.subtotalMinor, l.discountMinor, l.taxableMinor, l.taxMinor, l.totalMinor])).toEqual([
      [2598, 0, 2598, 214, 2812],
      [850, 85, 765, 63, 828],
      [1047, 0, 1047, 86, 1133],
      [1000, 0, 1000, 83, 1083],
    ]);
    expect(t).toMatchObject({ subtotalMinor: 5495, discountMinor: 85, taxableMinor: 5410, taxMinor: 446, totalMinor: 5856 });
  });

  it('8.875% (New York City) is not expressible in whole basis points and is refused, not rounded silently', () => {
    // The schema stores taxRateBp as an integer; 8.875% = 887.5 bp. See the report: rates need a finer unit.
    expectRuleError(
      () => computeSaleTotals({ currency: 'USD', taxMode: 'exclusive', lines: [{ quantityMilli: 1000, unitPriceMinor: 1000, taxRateBp: 887.5 }] }),
      'not_integer',
      'Line 1: the tax rate in basis points must be a whole number, got 887.5.',
    );
  });

  it('10% sale discount over three lines, allocated by largest remainder', () => {
    const t = computeSaleTotals({
      currency: 'USD',
      taxMode: 'exclusive',
      saleDiscount: { kind: 'percent', bp: 1000 },
      lines: [
        { quantityMilli: 1000, unitPriceMinor: 500, taxRateBp: 1000 },
        { quantityMilli: 1000, unitPriceMinor: 300, taxRateBp: 1000 },
        { quantityMilli: 1000, unitPriceMinor: 199, taxRateBp: 1000 },
      ],
    });
    // Base 9.99; 10% = 99.9 -> 1.00 (100).
    // Shares 100 x 500/999 = 50.05, 100 x 300/999 = 30.03, 100 x 199/999 = 19.92:
    // floors 50 + 30 + 19 = 99, the 1 left over goes to the largest remainder (line 3).
    expect(t.lines.map((l) => l.saleDiscountMinor)).toEqual([50, 30, 20]);
    // Taxable 450, 270, 179; 10% tax 45, 27, 17.9 -> 18.
    expect(t.lines.map((l) => [l.taxableMinor, l.taxMinor, l.totalMinor])).toEqual([
      [450, 45, 495],
      [270, 27, 297],
      [179, 18, 197],
    ]);
    expect(t).toMatchObject({ subtotalMinor: 999, saleDiscountMinor: 100, discountMinor: 100, taxableMinor: 899, taxMinor: 90, totalMinor: 989 });
  });

  it('equal remainders go to the earlier line', () => {
    const t = computeSaleTotals({
      currency: 'USD',
      taxMode: 'inclusive',
      saleDiscount: { kind: 'amount', amountMinor: 10 },
      lines: [0, 1, 2].map(() => ({ quantityMilli: 1000, unitPriceMinor: 100, taxRateBp: 0 })),
    });
    expect(t.lines.map((l) => l.saleDiscountMinor)).toEqual([4, 3, 3]);
    expect(t.totalMinor).toBe(290);
  });

  it('tax breakdown per rate, mixed rates', () => {
    const t = computeSaleTotals({
      currency: 'EUR',
      taxMode: 'inclusive',
      lines: [
        { quantityMilli: 1000, unitPriceMinor: 1190, taxRateBp: 1900 }, // tax 190
        { quantityMilli: 1000, unitPriceMinor: 107, taxRateBp: 700 }, // tax 107 x 7/107 = 7
        { quantityMilli: 2000, unitPriceMinor: 119, taxRateBp: 1900 }, // 238, tax 38
        { quantityMilli: 1000, unitPriceMinor: 500, taxRateBp: 0 },
      ],
    });
    expect(t.taxBreakdown).toEqual([
      { rateBp: 0, taxableMinor: 500, taxMinor: 0, totalMinor: 500 },
      { rateBp: 700, taxableMinor: 100, taxMinor: 7, totalMinor: 107 },
      { rateBp: 1900, taxableMinor: 1200, taxMinor: 228, totalMinor: 1428 },
    ]);
  });

  it('cash rounding is applied last and reported separately', () => {
    const t = computeSaleTotals({
      currency: 'ZAR',
      taxMode: 'inclusive',
      cashRoundingIncrementMinor: 10,
      lines: [{ quantityMilli: 1000, unitPriceMinor: 1999, taxRateBp: 1500 }],
    });
    expect(t).toMatchObject({ linesTotalMinor: 1999, roundingMinor: 1, totalMinor: 2000 });
  });

  it('an empty sale is all zeros', () => {
    const t = computeSaleTotals({ currency: 'KES', taxMode: 'inclusive', lines: [] });
    expect(t).toMatchObject({ subtotalMinor: 0, taxMinor: 0, totalMinor: 0, taxBreakdown: [] });
  });

  it('100% discounts and free items are fine', () => {
    const t = computeSaleTotals({
      currency: 'KES',
      taxMode: 'exclusive',
      saleDiscount: { kind: 'percent', bp: 10000 },
      lines: [
        { quantityMilli: 1000, unitPriceMinor: 0, taxRateBp: 1600 },
        { quantityMilli: 2000, unitPriceMinor: 999, taxRateBp: 1600 },
      ],
    });
    expect(t.totalMinor).toBe(0);
    expect(t.saleDiscountMinor).toBe(1998);
  });
});

// ---------------------------------------------------------------------------
// Bad input: every rule has a code and a message a cashier understands.

describe('bad input', () => {
  const base = (line: Partial<SaleLineInput>, extra: Partial<SaleTotalsInput> = {}): SaleTotalsInput => ({
    currency: 'USD',
    taxMode: 'exclusive',
    lines: [{ name: 'Bread', quantityMilli: 1000, unitPriceMinor: 250, taxRateBp: 0, ...line }],
    ...extra,
  });
  const cases: [string, SaleTotalsInput, string, string][] = [
    ['zero quantity', base({ quantityMilli: 0 }), 'quantity_not_positive', 'Line 1 (Bread): the quantity must be more than 0 (got 0).'],
    ['negative quantity', base({ quantityMilli: -2000 }), 'quantity_not_positive', 'Line 1 (Bread): the quantity must be more than 0 (got -2).'],
    ['absurd quantity', base({ quantityMilli: 1_000_000_001 }), 'quantity_too_large', 'Line 1 (Bread): the quantity 1000000.001 is too large; at most 1000000 per line.'],
    ['fractional milli quantity', base({ quantityMilli: 1.5 }), 'not_integer', 'Line 1 (Bread): the quantity in thousandths must be a whole number, got 1.5.'],
    ['NaN quantity', base({ quantityMilli: Number.NaN }), 'not_integer', 'Line 1 (Bread): the quantity in thousandths must be a whole number, got NaN.'],
    ['negative price', base({ unitPriceMinor: -1 }), 'price_negative', 'Line 1 (Bread): the price cannot be negative (got -0.01).'],
    ['absurd price', base({ unitPriceMinor: 1e12 + 1 }), 'price_too_large', 'Line 1 (Bread): the price 10000000000.01 is too large; at most 10000000000.00.'],
    ['float price', base({ unitPriceMinor: 2.5 }), 'not_integer', 'Line 1 (Bread): the price in minor units must be a whole number, got 2.5.'],
    [
      'absurd line amount',
      base({ quantityMilli: 1_000_000_000, unitPriceMinor: 1_000_001 }),
      'line_amount_too_large',
      'Line 1 (Bread): 1000000 x 10000.01 is too large for one line; at most 10000000000.00.',
    ],
    ['negative tax rate', base({ taxRateBp: -1 }), 'invalid_tax_rate', 'Line 1 (Bread): the tax rate -0.01% must be between 0% and 100%.'],
    ['tax rate over 100%', base({ taxRateBp: 10001 }), 'invalid_tax_rate', 'Line 1 (Bread): the tax rate 100.01% must be between 0% and 100%.'],
    [
      'line discount above the line amount',
      base({ discount: { kind: 'amount', amountMinor: 300 } }),
      'discount_exceeds_amount',
      'Line 1 (Bread): the discount 3.00 is more than the line amount 2.50.',
    ],
    ['negative line discount', base({ discount: { kind: 'amount', amountMinor: -5 } }), 'discount_negative', 'Line 1 (Bread): the discount cannot be negative (got -0.05).'],
    ['line percent over 100%', base({ discount: { kind: 'percent', bp: 10001 } }), 'percent_too_large', 'Line 1 (Bread): the discount of 100.01% is more than 100%.'],
    ['negative line percent', base({ discount: { kind: 'percent', bp: -100 } }), 'discount_negative', 'Line 1 (Bread): the discount cannot be negative (got -1%).'],
    [
      'unknown discount kind',
      base({ discount: { kind: 'coupon' } as unknown as Discount }),
      'invalid_discount',
      'Line 1 (Bread): the discount must be an amount or a percentage.',
    ],
    [
      'sale discount above the sale',
      base({}, { saleDiscount: { kind: 'amount', amountMinor: 251 } }),
      'discount_exceeds_amount',
      'The sale discount 2.51 is more than the amount of the sale 2.50.',
    ],
    ['sale percent over 100%', base({}, { saleDiscount: { kind: 'percent', bp: 12000 } }), 'percent_too_large', 'The sale discount of 120% is more than 100%.'],
    ['bad currency', base({}, { currency: 'usd' }), 'invalid_currency', '"usd" is not a currency code; the shop currency must be three capital letters such as KES or USD.'],
    ['bad tax mode', base({}, { taxMode: 'both' as never }), 'invalid_tax_mode', 'Tax mode must be "inclusive" or "exclusive", got "both".'],
    ['negative cash rounding', base({}, { cashRoundingIncrementMinor: -5 }), 'invalid_amount', 'The cash rounding increment cannot be negative (got -0.05).'],
  ];
  it.each(cases)('%s', (_name, input, code, message) => {
    expectRuleError(() => computeSaleTotals(input), code, message);
  });

  it('unnamed lines are numbered, and the error says which line', () => {
    const r = tryCounter(() =>
      computeSaleTotals({
        currency: 'USD',
        taxMode: 'inclusive',
        lines: [
          { quantityMilli: 1000, unitPriceMinor: 100, taxRateBp: 0 },
          { quantityMilli: 0, unitPriceMinor: 100, taxRateBp: 0 },
        ],
      }),
    );
    expect(r).toEqual({
      ok: false,
      error: { code: 'quantity_not_positive', message: 'Line 2: the quantity must be more than 0 (got 0).', lineIndex: 1, field: 'quantityMilli' },
    });
  });

  it('too many lines', () => {
    const lines = Array.from({ length: 1001 }, () => ({ quantityMilli: 1000, unitPriceMinor: 1, taxRateBp: 0 }));
    expectRuleError(
      () => computeSaleTotals({ currency: 'USD', taxMode: 'inclusive', lines }),
      'too_many_lines',
      'A sale can have at most 1000 lines; this one has 1001. Split it into two sales.',
    );
  });
});

// ---------------------------------------------------------------------------
// Properties

type DiscountSpec = { kind: 'none' } | { kind: 'percent'; bp: number } | { kind: 'amount'; fraction: number };

const discountSpec: fc.Arbitrary<DiscountSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('percent' as const), bp: fc.oneof(fc.constantFrom(0, 500, 1000, 3333, 10000), fc.integer({ min: 0, max: 10000 })) }),
  fc.record({ kind: fc.constant('amount' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

function toDiscount(spec: DiscountSpec, baseMinor: number): Discount | undefined {
  if (spec.kind === 'none') return undefined;
  if (spec.kind === 'percent') return { kind: 'percent', bp: spec.bp };
  return { kind: 'amount', amountMinor: Math.floor(baseMinor * spec.fraction) };
}

interface LineSpec {
  quantityMilli: number;
  unitPriceMinor: number;
  taxRateBp: number;
  discount: DiscountSpec;
}
interface SaleSpec {
  taxMode: 'inclusive' | 'exclusive';
  lines: LineSpec[];
  saleDiscount: DiscountSpec;
}

const lineArb: fc.Arbitrary<LineSpec> = fc.record({
  quantityMilli: fc.oneof(fc.constantFrom(1000, 2000, 500, 1), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 1_000_000 })),
  unitPriceMinor: fc.oneof(fc.constantFrom(0, 1, 99, 100, 1999), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 1_000_000_000 })),
  taxRateBp: fc.oneof(fc.constantFrom(0, 500, 800, 1500, 1600, 1900, 2000), fc.integer({ min: 0, max: 10000 })),
  discount: discountSpec,
});

const saleArb: fc.Arbitrary<SaleSpec> = fc.record({
  taxMode: fc.constantFrom('inclusive' as const, 'exclusive' as const),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 12 }),
  saleDiscount: discountSpec,
});

/** Turns a generated spec into valid input: amount discounts are a fraction of what they apply to. */
function buildSale(s: SaleSpec): SaleTotalsInput {
  const lines: SaleLineInput[] = s.lines.map((l) => {
    const d = toDiscount(l.discount, lineAmountMinor(l.unitPriceMinor, l.quantityMilli));
    return { quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor, taxRateBp: l.taxRateBp, ...(d ? { discount: d } : {}) };
  });
  const withoutSaleDiscount = computeSaleTotals({ currency: 'USD', taxMode: s.taxMode, lines });
  const saleDiscount = toDiscount(s.saleDiscount, withoutSaleDiscount.subtotalMinor - withoutSaleDiscount.lineDiscountMinor);
  return { currency: 'USD', taxMode: s.taxMode, lines, ...(saleDiscount ? { saleDiscount } : {}) };
}

const sumOf = (t: SaleTotals, f: (l: SaleTotals['lines'][number]) => number) => t.lines.reduce((s, l) => s + f(l), 0);

describe('properties of totals, tax and rounding', () => {
  it('line sums equal the sale totals exactly, and the tax breakdown adds up too', () => {
    fc.assert(
      fc.property(saleArb, (s) => {
        const t = computeSaleTotals(buildSale(s));
        expect(t.subtotalMinor).toBe(sumOf(t, (l) => l.subtotalMinor));
        expect(t.discountMinor).toBe(sumOf(t, (l) => l.discountMinor));
        expect(t.lineDiscountMinor).toBe(sumOf(t, (l) => l.lineDiscountMinor));
        expect(t.taxableMinor).toBe(sumOf(t, (l) => l.taxableMinor));
        expect(t.taxMinor).toBe(sumOf(t, (l) => l.taxMinor));
        expect(t.totalMinor).toBe(sumOf(t, (l) => l.totalMinor));
        expect(t.roundingMinor).toBe(0);
        for (const f of ['taxableMinor', 'taxMinor', 'totalMinor'] as const) {
          expect(t.taxBreakdown.reduce((sum, r) => sum + r[f], 0)).toBe(t[f]);
        }
        expect(t.taxBreakdown.map((r) => r.rateBp)).toEqual([...new Set(t.lines.map((l) => l.taxRateBp))].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });

  it('allocated sale discounts sum to the sale discount exactly and never exceed a line', () => {
    fc.assert(
      fc.property(saleArb, (s) => {
        const t = computeSaleTotals(buildSale(s));
        expect(sumOf(t, (l) => l.saleDiscountMinor)).toBe(t.saleDiscountMinor);
        expect(t.discountMinor).toBe(t.lineDiscountMinor + t.saleDiscountMinor);
        for (const l of t.lines) {
          expect(l.saleDiscountMinor).toBeLessThanOrEqual(l.subtotalMinor - l.lineDiscountMinor);
          expect(l.discountMinor).toBeLessThanOrEqual(l.subtotalMinor);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('inclusive: the total is the gross after discounts (tax extracted, never added); exclusive: total = taxable + tax', () => {
    fc.assert(
      fc.property(saleArb, (s) => {
        const t = computeSaleTotals(buildSale(s));
        for (const l of t.lines) {
          expect(l.totalMinor).toBe(l.taxableMinor + l.taxMinor);
          if (t.taxMode === 'inclusive') {
            expect(l.totalMinor).toBe(l.subtotalMinor - l.discountMinor);
            // tax = round(total x r / (10000 + r)): within half a minor unit of the exact value
            const err = BigInt(l.taxMinor) * BigInt(10000 + l.taxRateBp) - BigInt(l.totalMinor) * BigInt(l.taxRateBp);
            expect(2n * (err < 0n ? -err : err) <= BigInt(10000 + l.taxRateBp)).toBe(true);
          } else {
            expect(l.taxableMinor).toBe(l.subtotalMinor - l.discountMinor);
            const err = BigInt(l.taxMinor) * 10000n - BigInt(l.taxableMinor) * BigInt(l.taxRateBp);
            expect(2n * (err < 0n ? -err : err) <= 10000n).toBe(true);
          }
        }
        if (t.taxMode === 'inclusive') expect(t.totalMinor).toBe(t.subtotalMinor - t.discountMinor);
        expect(t.totalMinor).toBe(t.taxableMinor + t.taxMinor);
      }),
      { numRuns: 500 },
    );
  });

  it('no negative figures for valid input, and everything is a safe integer', () => {
    fc.assert(
      fc.property(saleArb, (s) => {
        const t = computeSaleTotals(buildSale(s));
        const figures = [t.subtotalMinor, t.discountMinor, t.taxableMinor, t.taxMinor, t.totalMinor];
        for (const l of t.lines) figures.push(l.subtotalMinor, l.lineDiscountMinor, l.saleDiscountMinor, l.discountMinor, l.taxableMinor, l.taxMinor, l.totalMinor);
        for (const f of figures) {
          expect(Number.isSafeInteger(f)).toBe(true);
          expect(f).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the largest legal sale stays exact', () => {
    const lines = Array.from({ length: 1000 }, () => ({ quantityMilli: 1_000_000_000, unitPriceMinor: 1_000_000, taxRateBp: 10000 }));
    const t = computeSaleTotals({ currency: 'USD', taxMode: 'exclusive', lines });
    expect(t.totalMinor).toBe(2_000_000_000_000_000);
    expect(Number.isSafeInteger(t.totalMinor)).toBe(true);
  });

  it('line order does not change any line figure without a sale discount', () => {
    fc.assert(
      fc.property(saleArb, (s) => {
        const input = buildSale({ ...s, saleDiscount: { kind: 'none' } });
        const a = computeSaleTotals(input);
        const b = computeSaleTotals({ ...input, lines: [...input.lines].reverse() });
        expect(b.totalMinor).toBe(a.totalMinor);
        expect(b.taxMinor).toBe(a.taxMinor);
      }),
    );
  });
});
