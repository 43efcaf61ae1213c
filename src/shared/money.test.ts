import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MoneyError,
  add,
  allocate,
  allocateMinor,
  basisPointsOf,
  compare,
  currencyExponent,
  formatMoney,
  lineAmountMinor,
  money,
  moneySchema,
  mulDiv,
  multiply,
  multiplyRatio,
  negate,
  parseMoney,
  roundToIncrement,
  split,
  sub,
  sum,
  taxExclusive,
  taxInclusive,
  toDecimalString,
  tryParseMoney,
} from './money';

// Amounts a shop realistically handles, plus room so sums cannot overflow.
const amount = fc.integer({ min: -1e12, max: 1e12 });
const currency = fc.constantFrom('USD', 'EUR', 'KES', 'JPY', 'KWD', 'GBP', 'UGX', 'BHD');

describe('currencies', () => {
  it('knows minor-unit exponents', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('KES')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('CLF')).toBe(4);
  });
  it('rejects malformed codes', () => {
    expect(() => currencyExponent('usd')).toThrow(MoneyError);
    expect(() => money(1, 'US')).toThrow(/ISO 4217/);
  });
  it('refuses floats and unsafe integers', () => {
    expect(() => money(12.5, 'USD')).toThrow(expect.objectContaining({ code: 'not_integer' }));
    expect(() => money(2 ** 60, 'USD')).toThrow(expect.objectContaining({ code: 'overflow' }));
    expect(money(-0, 'USD').amountMinor).toBe(0);
    expect(Object.is(money(-0, 'USD').amountMinor, -0)).toBe(false);
  });
  it('has a zod schema', () => {
    expect(moneySchema.safeParse({ amountMinor: 1250, currency: 'USD' }).success).toBe(true);
    expect(moneySchema.safeParse({ amountMinor: 12.5, currency: 'USD' }).success).toBe(false);
    expect(moneySchema.safeParse({ amountMinor: 1, currency: 'usd' }).success).toBe(false);
  });
});

describe('exact arithmetic', () => {
  it('add/sub are inverse, commutative and associative', () => {
    fc.assert(
      fc.property(amount, amount, amount, currency, (a, b, c, cur) => {
        const A = money(a, cur);
        const B = money(b, cur);
        const C = money(c, cur);
        expect(sub(add(A, B), B)).toEqual(A);
        expect(add(A, B)).toEqual(add(B, A));
        expect(add(add(A, B), C)).toEqual(add(A, add(B, C)));
        expect(add(A, negate(A)).amountMinor).toBe(0);
      }),
    );
  });
  it('multiply by an integer equals repeated addition', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 50 }), currency, (a, n, cur) => {
        const A = money(a, cur);
        expect(multiply(A, n)).toEqual(sum(new Array<typeof A>(n).fill(A), cur));
      }),
    );
  });
  it('refuses mixed currencies and overflow', () => {
    expect(() => add(money(1, 'USD'), money(1, 'EUR'))).toThrow(expect.objectContaining({ code: 'currency_mismatch' }));
    expect(() => add(money(Number.MAX_SAFE_INTEGER, 'USD'), money(1, 'USD'))).toThrow(expect.objectContaining({ code: 'overflow' }));
    expect(() => multiply(money(2 ** 40, 'USD'), 2 ** 20)).toThrow(expect.objectContaining({ code: 'overflow' }));
    expect(() => multiply(money(1, 'USD'), 1.5)).toThrow(expect.objectContaining({ code: 'not_integer' }));
  });
  it('compares', () => {
    expect(compare(money(1, 'USD'), money(2, 'USD'))).toBe(-1);
    expect(compare(money(2, 'USD'), money(2, 'USD'))).toBe(0);
  });
});

describe('rounding: half away from zero', () => {
  it('rounds ties away from zero, symmetric for negatives', () => {
    expect(mulDiv(5, 1, 10)).toBe(1); // 0.5 -> 1
    expect(mulDiv(15, 1, 10)).toBe(2); // 1.5 -> 2
    expect(mulDiv(25, 1, 10)).toBe(3); // 2.5 -> 3 (half-even would give 2)
    expect(mulDiv(-25, 1, 10)).toBe(-3);
    expect(mulDiv(24, 1, 10)).toBe(2);
    expect(mulDiv(26, 1, 10)).toBe(3);
    expect(mulDiv(7, 1, -2)).toBe(-4);
    expect(() => mulDiv(1, 1, 0)).toThrow(expect.objectContaining({ code: 'invalid_ratio' }));
  });
  it('is within half a unit of the exact value and odd-symmetric', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (a, n0, d) => {
        const n = n0 % (d + 1); // |n/d| <= 1 keeps the result in range
        const r = mulDiv(a, n, d);
        // |r*d - a*n| <= d/2, checked exactly in BigInt
        const err = BigInt(r) * BigInt(d) - BigInt(a) * BigInt(n);
        expect(2n * (err < 0n ? -err : err) <= BigInt(d)).toBe(true);
        expect(mulDiv(-a, n, d)).toBe(-r === 0 ? 0 : -r);
      }),
    );
  });
  it('line amounts from milli-quantities', () => {
    expect(lineAmountMinor(199, 3000)).toBe(597); // 3 x 1.99
    expect(lineAmountMinor(1000, 1250)).toBe(1250); // 1.250 kg x 10.00
    expect(lineAmountMinor(333, 1500)).toBe(500); // 499.5 -> 500
    expect(lineAmountMinor(333, -1500)).toBe(-500);
  });
  it('tax exclusive and inclusive', () => {
    expect(taxExclusive(1000, 1600)).toBe(160);
    expect(taxExclusive(999, 1600)).toBe(160); // 159.84 -> 160
    expect(taxInclusive(1160, 1600)).toBe(160);
    expect(taxInclusive(1000, 1600)).toBe(138); // 137.93 -> 138
    expect(taxInclusive(1000, 0)).toBe(0);
    expect(() => taxExclusive(100, -1)).toThrow(MoneyError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), fc.integer({ min: 0, max: 5000 }), (net, bp) => {
        const gross = net + taxExclusive(net, bp);
        const tax = taxInclusive(gross, bp);
        // inclusive tax of a grossed-up amount is within one unit of the exclusive tax
        expect(Math.abs(tax - (gross - net))).toBeLessThanOrEqual(1);
      }),
    );
  });
  it('basis points and multiplyRatio', () => {
    expect(basisPointsOf(12345, 250)).toBe(309); // 308.625 -> 309
    expect(multiplyRatio(money(1001, 'USD'), 1, 2)).toEqual(money(501, 'USD'));
  });
  it('cash rounding to an increment', () => {
    expect(roundToIncrement(1232, 5)).toBe(1230);
    expect(roundToIncrement(1233, 5)).toBe(1235);
    expect(roundToIncrement(1225, 50)).toBe(1250);
    expect(roundToIncrement(-1225, 50)).toBe(-1250);
    expect(roundToIncrement(1233, 0)).toBe(1233);
    fc.assert(
      fc.property(amount, fc.integer({ min: 2, max: 1000 }), (a, inc) => {
        const r = roundToIncrement(a, inc);
        expect(r % inc === 0).toBe(true);
        expect(2 * Math.abs(r - a)).toBeLessThanOrEqual(inc);
      }),
    );
  });
});

describe('allocation', () => {
  const weights = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 }).filter((w) => w.some((x) => x > 0));
  it('parts always sum to the total and stay within one unit of the exact share', () => {
    fc.assert(
      fc.property(amount, weights, (a, w) => {
        const parts = allocateMinor(a, w);
        expect(parts).toHaveLength(w.length);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(a);
        const W = w.reduce((s, x) => s + x, 0);
        parts.forEach((p, i) => {
          const exact = (a * w[i]!) / W;
          expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-6 * Math.abs(exact));
          if (w[i] === 0) expect(p).toBe(0);
        });
      }),
    );
  });
  it('is sign-symmetric', () => {
    fc.assert(
      fc.property(amount, weights, (a, w) => {
        expect(allocateMinor(-a, w)).toEqual(allocateMinor(a, w).map((p) => (p === 0 ? 0 : -p)));
      }),
    );
  });
  it('splits evenly, extra units to the first parts', () => {
    expect(split(money(100, 'USD'), 3).map((m) => m.amountMinor)).toEqual([34, 33, 33]);
    expect(allocate(money(5, 'USD'), [1, 1]).map((m) => m.amountMinor)).toEqual([3, 2]);
    expect(allocateMinor(1000, [70, 30])).toEqual([700, 300]);
    expect(() => allocateMinor(10, [0, 0])).toThrow(MoneyError);
    expect(() => allocateMinor(10, [])).toThrow(MoneyError);
    expect(() => split(money(1, 'USD'), 0)).toThrow(MoneyError);
  });
});

describe('display', () => {
  it('decimal strings', () => {
    expect(toDecimalString(1250, 'USD')).toBe('12.50');
    expect(toDecimalString(-5, 'USD')).toBe('-0.05');
    expect(toDecimalString(0, 'USD')).toBe('0.00');
    expect(toDecimalString(1200, 'JPY')).toBe('1200');
    expect(toDecimalString(1234, 'KWD')).toBe('1.234');
  });
  it('formats per locale with exact digits', () => {
    expect(formatMoney(money(123450, 'USD'), 'en-US')).toBe('$1,234.50');
    expect(formatMoney(money(1200, 'JPY'), 'en-US')).toBe('¥1,200');
    expect(formatMoney(money(1234, 'KWD'), 'en-US', { currencyDisplay: 'code' })).toMatch(/^KWD\s1\.234$/);
    expect(formatMoney(money(123450, 'EUR'), 'de-DE')).toMatch(/^1\.234,50\s€$/);
    expect(formatMoney(money(-5, 'USD'), 'en-US')).toBe('-$0.05');
    // beyond float precision: still exact
    expect(formatMoney(money(9007199254740991, 'USD'), 'en-US')).toBe('$90,071,992,547,409.91');
  });
});

describe('parsing', () => {
  it('parses typical input', () => {
    expect(parseMoney('12.50', 'USD')).toEqual(money(1250, 'USD'));
    expect(parseMoney(' 12.5 ', 'USD').amountMinor).toBe(1250);
    expect(parseMoney('12', 'USD').amountMinor).toBe(1200);
    expect(parseMoney('.25', 'USD').amountMinor).toBe(25);
    expect(parseMoney('12.', 'USD').amountMinor).toBe(1200);
    expect(parseMoney('1,234.56', 'USD').amountMinor).toBe(123456);
    expect(parseMoney('1 234,56', 'EUR', { decimalSeparator: ',' }).amountMinor).toBe(123456);
    expect(parseMoney('1.234,56', 'EUR', { decimalSeparator: ',' }).amountMinor).toBe(123456);
    expect(parseMoney('12.500', 'USD').amountMinor).toBe(1250);
    expect(parseMoney('1200', 'JPY').amountMinor).toBe(1200);
    expect(parseMoney('1.5', 'KWD').amountMinor).toBe(1500);
    expect(parseMoney('-3.10', 'USD', { allowNegative: true }).amountMinor).toBe(-310);
    expect(parseMoney('+3', 'USD').amountMinor).toBe(300);
  });
  it('gives clear errors', () => {
    const code = (s: string, cur = 'USD', o = {}) => {
      const r = tryParseMoney(s, cur, o);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code('')).toBe('parse_empty');
    expect(code('   ')).toBe('parse_empty');
    expect(code('abc')).toBe('parse_invalid');
    expect(code('$12')).toBe('parse_invalid');
    expect(code('1e5')).toBe('parse_invalid');
    expect(code('1.2.3')).toBe('parse_invalid');
    expect(code('12,34')).toBe('parse_invalid');
    expect(code('.')).toBe('parse_invalid');
    expect(code('12.345')).toBe('parse_too_many_decimals');
    expect(code('12.5', 'JPY')).toBe('parse_too_many_decimals');
    expect(code('-1')).toBe('parse_negative');
    expect(code('99999999999999999999')).toBe('parse_out_of_range');
    const r = tryParseMoney('12.345', 'USD');
    expect(!r.ok && r.error.message).toBe('USD amounts have at most 2 decimal places.');
  });
  it('round-trips through toDecimalString', () => {
    fc.assert(
      fc.property(amount, currency, (a, cur) => {
        expect(parseMoney(toDecimalString(a, cur), cur, { allowNegative: true })).toEqual(money(a, cur));
      }),
    );
  });
});
