// Text in and out of the counter screens: money shown with the shop's locale and
// currency, money, quantities and percentages parsed from what the cashier types
// (never through a float), and the shop's "today".
import { dayKey } from '@shared/dates';
import { denominationsFor, PAYMENT_METHOD_LABELS, percentText, quantityText } from '@shared/counter';
import { currencyExponent, formatMoney, isCurrencyCode, toDecimalString, tryParseMoney } from '@shared/money';
import type { PaymentMethod } from '@shared/schema/fields';

export { PAYMENT_METHOD_LABELS, percentText, quantityText };

/** "KES 1,250.00" (the shop's locale); a bad currency falls back to the plain number. */
export function money(amountMinor: number, currency: string, locale?: string): string {
  if (!isCurrencyCode(currency) || !Number.isSafeInteger(amountMinor)) return String(amountMinor);
  try {
    return formatMoney({ amountMinor, currency }, locale || undefined);
  } catch {
    return formatMoney({ amountMinor, currency }, 'en');
  }
}

/** "1250.00": what goes back into an amount field. */
export function amountInput(amountMinor: number, currency: string): string {
  if (!isCurrencyCode(currency)) return String(amountMinor);
  return toDecimalString(amountMinor, currency);
}

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

/** "12.50" -> 1250 minor units. `allowNegative` lets the counter rules give their own message. */
export function parseAmount(text: string, currency: string, allowNegative = false): Parsed {
  if (!isCurrencyCode(currency)) return { ok: false, message: 'The shop currency is not set.' };
  const r = tryParseMoney(text, currency, { allowNegative });
  return r.ok ? { ok: true, value: r.value.amountMinor } : { ok: false, message: r.error.message };
}

/** "2" -> 2000, "1.25" -> 1250, "-1" -> -1000 (the counter rules then explain why not). */
export function parseQuantity(text: string): Parsed {
  const s = text.trim().replace(',', '.');
  const m = /^(-?)(\d{0,9})(?:\.(\d{0,3}))?$/.exec(s);
  if (!m || (m[2] === '' && !m[3])) return { ok: false, message: 'Enter a quantity such as 2 or 1.5 (at most 3 decimals).' };
  const milli = Number(m[2] || '0') * 1000 + Number((m[3] ?? '').padEnd(3, '0'));
  return { ok: true, value: m[1] ? -milli : milli };
}

/** "16" -> 1600 bp, "12.5" -> 1250. */
export function parsePercent(text: string): Parsed {
  const s = text.trim().replace('%', '').replace(',', '.').trim();
  const m = /^(-?)(\d{1,5})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return { ok: false, message: 'Enter a percentage such as 10 or 12.5 (at most 2 decimals).' };
  const bp = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return { ok: true, value: m[1] ? -bp : bp };
}

/** 1600 -> "16", 1250 -> "12.5" (for an input). */
export function percentInput(bp: number): string {
  return percentText(bp).replace('%', '');
}

export function methodLabel(method: PaymentMethod): string {
  return PAYMENT_METHOD_LABELS[method];
}

/** The shop's day for an instant ('YYYY-MM-DD'); the browser's day if the zone is unknown. */
export function shopDay(epochMs: number, timeZone: string | undefined): string {
  try {
    if (timeZone) return dayKey(epochMs, timeZone);
  } catch {
    // fall through
  }
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** One formatter per locale and zone: building an Intl.DateTimeFormat costs far more than using one (the sales list formats every row). */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "14:05" in the shop's time zone. */
export function shopTime(epochMs: number, timeZone: string | undefined, locale?: string): string {
  try {
    const key = `${locale ?? ''}|${timeZone ?? ''}`;
    let format = timeFormats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(locale || undefined, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
      timeFormats.set(key, format);
    }
    return format.format(epochMs);
  } catch {
    return new Date(epochMs).toTimeString().slice(0, 5);
  }
}

/**
 * Amounts a customer is likely to hand over for `dueMinor` in cash: the due rounded up
 * to the next note (or coin) of the currency, smallest first, at most `count`.
 */
export function cashRoundUps(dueMinor: number, currency: string, count = 3): number[] {
  if (dueMinor <= 0 || !isCurrencyCode(currency)) return [];
  const values = [...denominationsFor(currency)].map((d) => d.valueMinor).sort((a, b) => a - b);
  const minMajor = 10 ** currencyExponent(currency);
  const out = new Set<number>();
  for (const v of values) {
    if (v < minMajor) continue;
    const up = Math.ceil(dueMinor / v) * v;
    if (up > dueMinor) out.add(up);
  }
  return [...out].sort((a, b) => a - b).slice(0, count);
}

export const UNIT_LABELS = { each: 'each', kg: 'kg', g: 'g', l: 'l', m: 'm' } as const;
