// Text for messages: amounts as plain decimals with the currency's exact number of
// decimals ("45.00", "1250", "0.125"), quantities in units ("1.5", "3"). Locale-free on
// purpose so that messages are identical on every device and in tests; screens that
// want symbols use formatMoney from ../money.
import { isCurrencyCode, isMinorAmount, toDecimalString } from '../money';
import { CounterRuleError } from './errors';

/** "45.00" for 4500 USD. Falls back to the raw number if it is not a valid amount. */
export function amountText(amountMinor: number, currency: string): string {
  if (!isMinorAmount(amountMinor) || !isCurrencyCode(currency)) return String(amountMinor);
  return toDecimalString(amountMinor, currency);
}

/** "1.5" for 1500 milli-units, "3" for 3000, "0.001" for 1. */
export function quantityText(quantityMilli: number): string {
  if (!Number.isSafeInteger(quantityMilli)) return String(quantityMilli / 1000);
  const negative = quantityMilli < 0;
  const digits = String(Math.abs(quantityMilli)).padStart(4, '0');
  const int = digits.slice(0, -3);
  const frac = digits.slice(-3).replace(/0+$/, '');
  return (negative ? '-' : '') + int + (frac ? '.' + frac : '');
}

/** "12.5%" for 1250 bp. */
export function percentText(bp: number): string {
  if (!Number.isSafeInteger(bp)) return `${bp / 100}%`;
  const negative = bp < 0;
  const digits = String(Math.abs(bp)).padStart(3, '0');
  const frac = digits.slice(-2).replace(/0+$/, '');
  return (negative ? '-' : '') + digits.slice(0, -2) + (frac ? '.' + frac : '') + '%';
}

/** "Line 2 (Bread)" for index 1. */
export function lineLabel(index: number, name?: string): string {
  const n = name?.trim();
  return n ? `Line ${index + 1} (${n})` : `Line ${index + 1}`;
}

export function assertCurrency(currency: string): void {
  if (!isCurrencyCode(currency)) {
    throw new CounterRuleError('invalid_currency', `"${String(currency)}" is not a currency code; the shop currency must be three capital letters such as KES or USD.`, {
      field: 'currency',
    });
  }
}

/** Throws not_integer unless n is a safe integer. */
export function assertInteger(n: unknown, what: string, where: { lineIndex?: number; field?: string } = {}): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new CounterRuleError('not_integer', `${what} must be a whole number, got ${String(n)}.`, where);
  }
}
