// Money: an integer count of minor units plus an ISO 4217 currency code (DESIGN.md,
// data rule 1). Never a float: every operation here works on safe integers, uses
// BigInt for intermediate products, and throws MoneyError instead of losing precision.
//
// Rounding rule (the only one used in the app): HALF AWAY FROM ZERO ("commercial
// half-up"). 0.5 -> 1, 1.5 -> 2, 2.5 -> 3, -2.5 -> -3. It is what a cashier checks
// by hand and what most tax authorities expect on receipts, and it is symmetric, so a
// refund (negative amount) rounds to exactly the negation of the sale it reverses.
//
// Quantities are integer milli-units (1 item = 1000, 1.250 kg = 1250); rates are
// integer basis points (16% VAT = 1600 bp).
import { z } from 'zod';

export interface Money {
  /** Integer count of minor units (cents, fils, yen...). A JS safe integer. */
  readonly amountMinor: number;
  /** ISO 4217 alphabetic code, upper case (e.g. 'USD', 'KES', 'JPY'). */
  readonly currency: string;
}

export type MoneyErrorCode =
  | 'invalid_currency'
  | 'not_integer'
  | 'overflow'
  | 'currency_mismatch'
  | 'invalid_ratio'
  | 'parse_empty'
  | 'parse_invalid'
  | 'parse_too_many_decimals'
  | 'parse_negative'
  | 'parse_out_of_range';

export class MoneyError extends Error {
  readonly code: MoneyErrorCode;
  constructor(code: MoneyErrorCode, message: string) {
    super(message);
    this.name = 'MoneyError';
    this.code = code;
  }
}

export const MAX_MINOR = Number.MAX_SAFE_INTEGER;
export const MIN_MINOR = -Number.MAX_SAFE_INTEGER;
/** Basis points in one whole (100%). */
export const BP_PER_UNIT = 10_000;
/** Milli-units in one whole quantity unit. */
export const MILLI_PER_UNIT = 1_000;

// ---------------------------------------------------------------------------
// Currencies

const CURRENCY_RE = /^[A-Z]{3}$/;

/** ISO 4217 minor-unit exponents that differ from the default of 2. */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0,
  RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && CURRENCY_RE.test(code);
}

function assertCurrency(code: string): void {
  if (!isCurrencyCode(code)) {
    throw new MoneyError('invalid_currency', `"${String(code)}" is not an ISO 4217 currency code (three capital letters).`);
  }
}

/** Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  assertCurrency(currency);
  return EXPONENTS[currency] ?? 2;
}

/** Minor units per major unit (USD 100, JPY 1, KWD 1000). */
export function minorPerMajor(currency: string): number {
  return 10 ** currencyExponent(currency);
}

// ---------------------------------------------------------------------------
// Construction and checks

export function isMinorAmount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

function assertMinor(n: number, what = 'amount'): number {
  if (!Number.isInteger(n)) {
    throw new MoneyError('not_integer', `${what} must be an integer count of minor units, got ${n}.`);
  }
  if (!Number.isSafeInteger(n)) {
    throw new MoneyError('overflow', `${what} ${n} is outside the safe integer range.`);
  }
  // Normalise -0 so that equality and serialisation are predictable.
  return n === 0 ? 0 : n;
}

function fromBig(n: bigint, what = 'result'): number {
  if (n > BigInt(MAX_MINOR) || n < BigInt(MIN_MINOR)) {
    throw new MoneyError('overflow', `${what} ${n} is outside the safe integer range.`);
  }
  const v = Number(n);
  return v === 0 ? 0 : v;
}

export function money(amountMinor: number, currency: string): Money {
  assertCurrency(currency);
  return { amountMinor: assertMinor(amountMinor), currency };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

export function isMoney(x: unknown): x is Money {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return isMinorAmount(m.amountMinor) && isCurrencyCode(m.currency);
}

/** Zod schema for Money crossing the API. */
export const moneySchema = z.object({
  amountMinor: z.int(),
  currency: z.string().regex(CURRENCY_RE, 'ISO 4217 currency code'),
});

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError('currency_mismatch', `Cannot combine ${a.currency} and ${b.currency}.`);
  }
}

// ---------------------------------------------------------------------------
// Exact arithmetic

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amountMinor: assertMinor(a.amountMinor + b.amountMinor, 'sum'), currency: a.currency };
}

export function sub(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amountMinor: assertMinor(a.amountMinor - b.amountMinor, 'difference'), currency: a.currency };
}

export function negate(a: Money): Money {
  return { amountMinor: assertMinor(-a.amountMinor), currency: a.currency };
}

export function abs(a: Money): Money {
  return { amountMinor: Math.abs(a.amountMinor), currency: a.currency };
}

export function sum(items: readonly Money[], currency: string): Money {
  let total = zero(currency);
  for (const m of items) total = add(total, m);
  return total;
}

/** Sum of raw minor amounts, with the overflow check. */
export function sumMinor(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) total = assertMinor(total + assertMinor(a), 'sum');
  return total;
}

/** Multiply by an integer (e.g. a whole quantity). Exact. */
export function multiply(a: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) {
    throw new MoneyError('not_integer', `multiply() takes an integer factor, got ${factor}; use multiplyRatio() for fractions.`);
  }
  return { amountMinor: fromBig(BigInt(a.amountMinor) * BigInt(factor), 'product'), currency: a.currency };
}

// ---------------------------------------------------------------------------
// Rounded arithmetic (half away from zero)

/** round(n / d), half away from zero. d must not be 0. */
function divRoundHalfAwayFromZero(n: bigint, d: bigint): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  if ((a % d) * 2n >= d) q += 1n;
  return negative ? -q : q;
}

function toBigInt(n: number | bigint, what: string): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isSafeInteger(n)) {
    throw new MoneyError('invalid_ratio', `${what} must be a safe integer, got ${n}.`);
  }
  return BigInt(n);
}

/**
 * amountMinor * numerator / denominator, rounded half away from zero.
 * The building block for quantities, rates and proportional splits.
 */
export function mulDiv(amountMinor: number, numerator: number | bigint, denominator: number | bigint): number {
  assertMinor(amountMinor);
  const num = toBigInt(numerator, 'numerator');
  const den = toBigInt(denominator, 'denominator');
  if (den === 0n) throw new MoneyError('invalid_ratio', 'Denominator must not be zero.');
  return fromBig(divRoundHalfAwayFromZero(BigInt(amountMinor) * num, den));
}

/** Money times a rational number, rounded half away from zero. */
export function multiplyRatio(a: Money, numerator: number | bigint, denominator: number | bigint): Money {
  return { amountMinor: mulDiv(a.amountMinor, numerator, denominator), currency: a.currency };
}

/** Line amount for a quantity in milli-units: unitPrice * quantityMilli / 1000, rounded. */
export function lineAmountMinor(unitPriceMinor: number, quantityMilli: number): number {
  return mulDiv(unitPriceMinor, quantityMilli, MILLI_PER_UNIT);
}

/** amount * bp / 10000, rounded (a percentage expressed in basis points). */
export function basisPointsOf(amountMinor: number, bp: number): number {
  return mulDiv(amountMinor, bp, BP_PER_UNIT);
}

/** Tax to add on top of a net amount (tax-exclusive pricing). */
export function taxExclusive(netMinor: number, rateBp: number): number {
  assertRate(rateBp);
  return basisPointsOf(netMinor, rateBp);
}

/**
 * Tax contained in a gross amount (tax-inclusive pricing):
 * gross * rate / (1 + rate), rounded. The net is gross - tax, so net + tax == gross exactly.
 */
export function taxInclusive(grossMinor: number, rateBp: number): number {
  assertRate(rateBp);
  return mulDiv(grossMinor, rateBp, BP_PER_UNIT + rateBp);
}

function assertRate(rateBp: number): void {
  if (!Number.isSafeInteger(rateBp) || rateBp < 0) {
    throw new MoneyError('invalid_ratio', `A rate must be a non-negative integer of basis points, got ${rateBp}.`);
  }
}

/**
 * Round to a cash increment (e.g. 5 for 0.05 rounding), half away from zero.
 * Increment 0 or 1 means no rounding.
 */
export function roundToIncrement(amountMinor: number, increment: number): number {
  assertMinor(amountMinor);
  if (!Number.isSafeInteger(increment) || increment < 0) {
    throw new MoneyError('invalid_ratio', `Rounding increment must be a non-negative integer, got ${increment}.`);
  }
  if (increment <= 1) return amountMinor;
  return fromBig(divRoundHalfAwayFromZero(BigInt(amountMinor), BigInt(increment)) * BigInt(increment));
}

// ---------------------------------------------------------------------------
// Allocation

/**
 * Split amountMinor into parts proportional to `weights` (non-negative integers, not
 * all zero) so that the parts sum to exactly amountMinor. Largest-remainder method:
 * every part gets floor(share); the leftover minor units go one each to the parts with
 * the largest remainders, ties to the earlier index. A negative amount is split as its
 * absolute value and negated, so allocate(-x) == allocate(x).map(negate).
 */
export function allocateMinor(amountMinor: number, weights: readonly number[]): number[] {
  assertMinor(amountMinor);
  if (weights.length === 0) throw new MoneyError('invalid_ratio', 'allocate() needs at least one weight.');
  let total = 0n;
  const w = weights.map((x) => {
    if (!Number.isSafeInteger(x) || x < 0) {
      throw new MoneyError('invalid_ratio', `Weights must be non-negative integers, got ${x}.`);
    }
    total += BigInt(x);
    return BigInt(x);
  });
  if (total === 0n) throw new MoneyError('invalid_ratio', 'Weights must not all be zero.');
  const negative = amountMinor < 0;
  const a = BigInt(Math.abs(amountMinor));
  const parts = w.map((x) => (a * x) / total);
  const remainders = w.map((x, i) => ({ i, r: (a * x) % total }));
  let leftover = a - parts.reduce((s, p) => s + p, 0n);
  remainders.sort((p, q) => (p.r === q.r ? p.i - q.i : p.r > q.r ? -1 : 1));
  for (let k = 0; leftover > 0n; k++, leftover--) {
    const idx = remainders[k % remainders.length]!.i;
    parts[idx] = parts[idx]! + 1n;
  }
  return parts.map((p) => {
    const v = Number(p);
    return negative && v !== 0 ? -v : v;
  });
}

export function allocate(a: Money, weights: readonly number[]): Money[] {
  return allocateMinor(a.amountMinor, weights).map((amountMinor) => ({ amountMinor, currency: a.currency }));
}

/** Split into n parts that differ by at most one minor unit; earlier parts get the extra. */
export function split(a: Money, n: number): Money[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new MoneyError('invalid_ratio', `Cannot split into ${n} parts.`);
  return allocate(a, new Array<number>(n).fill(1));
}

// ---------------------------------------------------------------------------
// Comparison

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amountMinor === b.amountMinor;
}

export const isZero = (a: Money): boolean => a.amountMinor === 0;
export const isPositive = (a: Money): boolean => a.amountMinor > 0;
export const isNegative = (a: Money): boolean => a.amountMinor < 0;

// ---------------------------------------------------------------------------
// Display

/** Plain decimal string with exactly the currency's decimals: 1250 USD -> "12.50", -5 USD -> "-0.05". */
export function toDecimalString(amountMinor: number, currency: string): string {
  assertMinor(amountMinor);
  const exp = currencyExponent(currency);
  const negative = amountMinor < 0;
  const digits = String(Math.abs(amountMinor)).padStart(exp + 1, '0');
  const int = digits.slice(0, digits.length - exp);
  const frac = digits.slice(digits.length - exp);
  return (negative ? '-' : '') + int + (exp > 0 ? '.' + frac : '');
}

export interface FormatMoneyOptions {
  /** 'symbol' ($12.50, default), 'narrowSymbol', 'code' (USD 12.50) or 'name'. */
  currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name';
  /** 'auto' (default), 'always' (+12.50), 'exceptZero', 'never'. */
  signDisplay?: 'auto' | 'always' | 'exceptZero' | 'never';
  /** Group thousands (default true). */
  useGrouping?: boolean;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Locale-aware display ("$1,234.50", "1.234,50 €", "¥1,200"). Always shows exactly the
 * currency's ISO decimals. The value is passed to Intl as a decimal string, so large
 * amounts format exactly (no float conversion).
 */
export function formatMoney(m: Money, locale?: string, options: FormatMoneyOptions = {}): string {
  const exp = currencyExponent(m.currency);
  const key = [locale ?? '', m.currency, options.currencyDisplay ?? '', options.signDisplay ?? '', options.useGrouping ?? ''].join('|');
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: m.currency,
      currencyDisplay: options.currencyDisplay ?? 'symbol',
      signDisplay: options.signDisplay ?? 'auto',
      useGrouping: options.useGrouping ?? true,
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    });
    if (formatters.size > 200) formatters.clear();
    formatters.set(key, f);
  }
  return f.format(toDecimalString(m.amountMinor, m.currency) as Intl.StringNumericLiteral);
}

// ---------------------------------------------------------------------------
// Parsing user input

export interface ParseMoneyOptions {
  /** The decimal separator the user types: '.' (default) or ','. The other one is accepted as a thousands separator. */
  decimalSeparator?: '.' | ',';
  /** Accept a leading minus sign (default false: amounts typed at the counter are positive). */
  allowNegative?: boolean;
}

export type ParseMoneyResult =
  | { ok: true; value: Money }
  | { ok: false; error: { code: MoneyErrorCode; message: string } };

/**
 * Parse what a person typed ("12.50", "1,234.5", "  7 ", ".25") into money. Never goes
 * through a float. Rejects symbols, letters, exponents, more decimals than the currency
 * has (trailing zeros are tolerated: "12.500" USD is 1250), and amounts outside the
 * safe integer range. Thousands separators must group by three ("1,234", not "12,34").
 */
export function tryParseMoney(input: string, currency: string, options: ParseMoneyOptions = {}): ParseMoneyResult {
  try {
    return { ok: true, value: parseMoney(input, currency, options) };
  } catch (e) {
    if (e instanceof MoneyError) return { ok: false, error: { code: e.code, message: e.message } };
    throw e;
  }
}

/** As tryParseMoney, but throws MoneyError. */
export function parseMoney(input: string, currency: string, options: ParseMoneyOptions = {}): Money {
  const exp = currencyExponent(currency);
  const dec = options.decimalSeparator ?? '.';
  const group = dec === '.' ? ',' : '.';
  // Spaces (incl. no-break and thin spaces) are allowed anywhere as grouping.
  let s = String(input ?? '').replace(/[\s\u00a0\u202f\u2009]+/g, '');
  if (s === '') throw new MoneyError('parse_empty', 'Enter an amount.');
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (negative && !options.allowNegative) {
    throw new MoneyError('parse_negative', 'The amount cannot be negative.');
  }
  const example = exp > 0 ? `12${dec}${'5'.padEnd(exp, '0')}` : '1200';
  const [intRaw = '', fracRaw, ...extra] = s.split(dec);
  if (extra.length > 0 || (intRaw === '' && (fracRaw === undefined || fracRaw === ''))) {
    throw new MoneyError('parse_invalid', `"${input}" is not an amount. Enter something like ${example}.`);
  }
  let intDigits = intRaw;
  if (intRaw.includes(group)) {
    const groupRe = new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`);
    if (!groupRe.test(intRaw)) {
      throw new MoneyError('parse_invalid', `"${input}" is not an amount. Enter something like ${example}.`);
    }
    intDigits = intRaw.split(group).join('');
  }
  const frac = fracRaw ?? '';
  if (!/^\d*$/.test(intDigits) || !/^\d*$/.test(frac)) {
    throw new MoneyError('parse_invalid', `"${input}" is not an amount. Enter something like ${example}.`);
  }
  const significantFrac = frac.replace(/0+$/, '');
  if (significantFrac.length > exp) {
    throw new MoneyError(
      'parse_too_many_decimals',
      exp === 0 ? `${currency} amounts have no decimals.` : `${currency} amounts have at most ${exp} decimal place${exp === 1 ? '' : 's'}.`,
    );
  }
  const digits = (intDigits === '' ? '0' : intDigits) + significantFrac.padEnd(exp, '0');
  const big = BigInt(digits);
  if (big > BigInt(MAX_MINOR)) {
    throw new MoneyError('parse_out_of_range', 'The amount is too large.');
  }
  const v = Number(big);
  return { amountMinor: negative && v !== 0 ? -v : v, currency };
}
