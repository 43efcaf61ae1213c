// Bills and coins for counting the cash drawer, per currency, largest first.
// Values are minor units. Where a value exists both as a note and as a coin (the US
// dollar, India's 10 and 20 rupees) it is listed once, as the note: the count is per
// value, so the cashier adds both. Unknown currencies get a generic 1-2-5 series.
import { currencyExponent } from '../money';
import { CounterRuleError } from './errors';
import { amountText, assertCurrency } from './format';

export interface Denomination {
  valueMinor: number;
  kind: 'note' | 'coin';
}

const table = (notes: number[], coins: number[]): readonly Denomination[] =>
  Object.freeze([...notes.map((valueMinor) => ({ valueMinor, kind: 'note' as const })), ...coins.map((valueMinor) => ({ valueMinor, kind: 'coin' as const }))]);

export const DENOMINATIONS: Readonly<Record<string, readonly Denomination[]>> = Object.freeze({
  USD: table([10000, 5000, 2000, 1000, 500, 200, 100], [50, 25, 10, 5, 1]),
  EUR: table([50000, 20000, 10000, 5000, 2000, 1000, 500], [200, 100, 50, 20, 10, 5, 2, 1]),
  GBP: table([5000, 2000, 1000, 500], [200, 100, 50, 20, 10, 5, 2, 1]),
  KES: table([100000, 50000, 20000, 10000, 5000], [2000, 1000, 500, 100]),
  NGN: table([100000, 50000, 20000, 10000, 5000, 2000, 1000, 500], [200, 100, 50]),
  ZAR: table([20000, 10000, 5000, 2000, 1000], [500, 200, 100, 50, 20, 10]),
  INR: table([50000, 20000, 10000, 5000, 2000, 1000], [500, 200, 100]),
});

/**
 * Generic fallback: 1, 2, 5, 10, 20, 50... minor units up to 10,000 major units.
 * Values up to one major unit are called coins, larger ones notes.
 */
export function genericDenominations(currency: string): readonly Denomination[] {
  const exp = currencyExponent(currency);
  const major = 10 ** exp;
  const out: Denomination[] = [];
  for (let p = 10 ** (exp + 4); p >= 1; p /= 10) {
    for (const m of p === 10 ** (exp + 4) ? [1] : [5, 2, 1]) {
      const valueMinor = m * p;
      out.push({ valueMinor, kind: valueMinor <= major ? 'coin' : 'note' });
    }
  }
  return out;
}

export function denominationsFor(currency: string): readonly Denomination[] {
  assertCurrency(currency);
  return DENOMINATIONS[currency] ?? genericDenominations(currency);
}

export interface DenominationCount {
  valueMinor: number;
  count: number;
}

export interface CashCount {
  currency: string;
  countedMinor: number;
  /** Non-zero counts, merged per value, largest first (the dayCloses schema's `denominations`). */
  denominations: DenominationCount[];
}

/** Most of one note or coin a drawer count accepts. */
export const MAX_DENOMINATION_COUNT = 1_000_000;

/**
 * Adds up a bill and coin count. Values must be in the currency's table (or `table`
 * when given); counts are whole numbers from 0.
 */
export function countCash(currency: string, counts: readonly DenominationCount[], options: { table?: readonly Denomination[] } = {}): CashCount {
  assertCurrency(currency);
  const tbl = options.table ?? denominationsFor(currency);
  const allowed = new Set(tbl.map((d) => d.valueMinor));
  const merged = new Map<number, number>();
  counts.forEach((c, i) => {
    const where = { lineIndex: i, field: 'denominations' };
    if (!Number.isSafeInteger(c.valueMinor) || !allowed.has(c.valueMinor)) {
      throw new CounterRuleError('unknown_denomination', `${amountText(c.valueMinor, currency)} is not a ${currency} note or coin.`, where);
    }
    if (!Number.isSafeInteger(c.count) || c.count < 0 || c.count > MAX_DENOMINATION_COUNT) {
      throw new CounterRuleError(
        'invalid_count',
        `The count of ${amountText(c.valueMinor, currency)} must be a whole number from 0 to ${MAX_DENOMINATION_COUNT} (got ${String(c.count)}).`,
        where,
      );
    }
    merged.set(c.valueMinor, (merged.get(c.valueMinor) ?? 0) + c.count);
  });
  const denominations = [...merged.entries()]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[0] - a[0])
    .map(([valueMinor, count]) => ({ valueMinor, count }));
  const countedMinor = denominations.reduce((s, d) => s + d.valueMinor * d.count, 0);
  return { currency, countedMinor, denominations };
}
