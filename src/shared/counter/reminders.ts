// Customer credit reminders: a polite message with the amount owed, how long it has
// been owed and the shop's name, and a WhatsApp link (https://wa.me/<digits>?text=...)
// that opens a chat with the text ready. Customers who opted out are refused with a
// reason; nothing is ever sent from here (the core logs each attempt in reminderLog).
import { formatMoney, isMinorAmount } from '../money';
import { CounterRuleError } from './errors';
import { assertCurrency } from './format';

export type PhoneProblem = 'missing_phone' | 'invalid_phone' | 'no_country_code';

export type PhoneResult = { ok: true; digits: string } | { ok: false; reason: PhoneProblem; message: string };

export interface PhoneOptions {
  /** Country calling code used for national numbers that start with 0 (e.g. '254' for Kenya). */
  defaultCountryCode?: string;
}

/**
 * The phone number as wa.me wants it: the full international number, digits only.
 *  - "+254 712 345 678", "00254712345678" -> "254712345678"
 *  - "0712 345 678" -> "254712345678" with defaultCountryCode '254'; refused without one
 *  - bare digits without a leading 0 are taken as already international
 * Spaces, dashes, dots, slashes and brackets are ignored; letters are refused; the
 * result must be 8 to 15 digits (E.164) and not start with 0.
 */
export function normaliseWhatsAppPhone(phone: string | undefined, options: PhoneOptions = {}): PhoneResult {
  const raw = (phone ?? '').trim();
  if (raw === '') return { ok: false, reason: 'missing_phone', message: 'This customer has no phone number; add one to send a WhatsApp reminder.' };
  const compact = raw.replace(/[\s\u00a0\-./()]+/g, '');
  const invalid = (why: string): PhoneResult => ({ ok: false, reason: 'invalid_phone', message: `"${raw}" is not a valid phone number: ${why}` });
  if (!/^\+?[0-9]+$/.test(compact)) return invalid('use only digits, spaces and a leading +.');
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (compact.startsWith('0')) {
    const cc = options.defaultCountryCode;
    if (cc === undefined || cc === '') {
      return {
        ok: false,
        reason: 'no_country_code',
        message: `The phone number "${raw}" has no country code; save it in international form, starting with + and the country code.`,
      };
    }
    if (!/^[1-9][0-9]{0,2}$/.test(cc)) {
      throw new CounterRuleError('invalid_setting', `"${cc}" is not a country calling code (1 to 3 digits, e.g. 254).`, { field: 'defaultCountryCode' });
    }
    digits = cc + compact.slice(1);
  } else digits = compact;
  if (digits.startsWith('0')) return invalid('the country code cannot start with 0.');
  if (digits.length < 8) return invalid('it is too short to be an international number.');
  if (digits.length > 15) return invalid('it has more than 15 digits.');
  return { ok: true, digits };
}

export function whatsAppLink(digits: string, text: string): string {
  return `https://wa.me/${digits}?text=${encodeURIComponent(text)}`;
}

export const DEFAULT_REMINDER_TEMPLATE =
  'Hello {name}, this is a friendly reminder from {shop}: your account has a balance of {amount}, owed {age}. ' +
  'Please pay when you next visit us, or reply to this message if you have any questions. Thank you!';

export interface CreditReminderInput {
  customerName: string;
  phone?: string;
  /** The customer asked not to receive reminders. */
  optOut: boolean;
  /** Amount owed (> 0). */
  balanceMinor: number;
  currency: string;
  /** Days since the oldest unpaid debt (see summariseCustomerCredit). */
  ageDays: number;
  shopName: string;
  /** Locale for the amount (default 'en'). */
  locale?: string;
  defaultCountryCode?: string;
  /** Custom text with {name}, {shop}, {amount}, {days} and {age} placeholders. */
  template?: string;
}

export type CreditReminderResult =
  | {
      ok: true;
      text: string;
      /** Present when the phone number is usable. */
      whatsappUrl?: string;
      /** Why there is no WhatsApp link (the text can still be copied). */
      phoneProblem?: { reason: PhoneProblem; message: string };
    }
  | { ok: false; reason: 'opted_out' | 'nothing_owed'; message: string };

/** "for 12 days", "for 1 day", "since today". */
export function ageText(ageDays: number): string {
  return ageDays === 0 ? 'since today' : `for ${ageDays} day${ageDays === 1 ? '' : 's'}`;
}

/** Plain spaces instead of Intl's no-break spaces, so copied text looks the same everywhere. */
function plainSpaces(s: string): string {
  return s.replace(/[\u00a0\u202f]/g, ' ');
}

export function buildCreditReminder(input: CreditReminderInput): CreditReminderResult {
  const name = input.customerName.trim() || 'there';
  if (input.optOut) {
    return { ok: false, reason: 'opted_out', message: `${name} has asked not to receive reminders; no reminder was prepared.` };
  }
  assertCurrency(input.currency);
  if (!isMinorAmount(input.balanceMinor)) {
    throw new CounterRuleError('not_integer', `The balance must be a whole number of minor units, got ${String(input.balanceMinor)}.`, { field: 'balanceMinor' });
  }
  if (input.balanceMinor <= 0) {
    return { ok: false, reason: 'nothing_owed', message: `${name} owes nothing, so there is nothing to remind them of.` };
  }
  if (!Number.isSafeInteger(input.ageDays) || input.ageDays < 0) {
    throw new CounterRuleError('invalid_day', `The age of the debt must be a whole number of days from 0, got ${String(input.ageDays)}.`, { field: 'ageDays' });
  }
  const amount = plainSpaces(formatMoney({ amountMinor: input.balanceMinor, currency: input.currency }, input.locale ?? 'en', { currencyDisplay: 'code' }));
  const values: Record<string, string> = {
    name,
    shop: input.shopName.trim(),
    amount,
    days: String(input.ageDays),
    age: ageText(input.ageDays),
  };
  const text = (input.template ?? DEFAULT_REMINDER_TEMPLATE).replace(/\{(name|shop|amount|days|age)\}/g, (_, k: string) => values[k] ?? '');
  const phone = normaliseWhatsAppPhone(input.phone, input.defaultCountryCode !== undefined ? { defaultCountryCode: input.defaultCountryCode } : {});
  return phone.ok
    ? { ok: true, text, whatsappUrl: whatsAppLink(phone.digits, text) }
    : { ok: true, text, phoneProblem: { reason: phone.reason, message: phone.message } };
}
