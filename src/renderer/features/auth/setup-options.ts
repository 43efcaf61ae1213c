// Choices for the first-run setup: common currencies (named by the browser's Intl data)
// and the IANA time zones the browser knows.

export const COMMON_CURRENCIES = [
  'USD', 'EUR', 'GBP', 'KES', 'UGX', 'TZS', 'RWF', 'ETB', 'NGN', 'GHS', 'XOF', 'XAF', 'ZAR', 'EGP', 'MAD',
  'INR', 'PKR', 'BDT', 'LKR', 'NPR', 'IDR', 'PHP', 'VND', 'THB', 'MYR', 'SGD', 'CNY', 'HKD', 'JPY', 'KRW',
  'AUD', 'NZD', 'CAD', 'MXN', 'BRL', 'ARS', 'CLP', 'COP', 'PEN', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK',
  'HUF', 'RON', 'TRY', 'UAH', 'AED', 'SAR', 'QAR', 'ILS',
] as const;

// Region (from the browser's language, e.g. en-KE) -> currency, for the default choice.
const REGION_CURRENCY: Record<string, string> = {
  US: 'USD', GB: 'GBP', KE: 'KES', UG: 'UGX', TZ: 'TZS', RW: 'RWF', ET: 'ETB', NG: 'NGN', GH: 'GHS', ZA: 'ZAR',
  EG: 'EGP', MA: 'MAD', IN: 'INR', PK: 'PKR', BD: 'BDT', LK: 'LKR', NP: 'NPR', ID: 'IDR', PH: 'PHP', VN: 'VND',
  TH: 'THB', MY: 'MYR', SG: 'SGD', CN: 'CNY', HK: 'HKD', JP: 'JPY', KR: 'KRW', AU: 'AUD', NZ: 'NZD', CA: 'CAD',
  MX: 'MXN', BR: 'BRL', AR: 'ARS', CL: 'CLP', CO: 'COP', PE: 'PEN', CH: 'CHF', SE: 'SEK', NO: 'NOK', DK: 'DKK',
  PL: 'PLN', CZ: 'CZK', HU: 'HUF', RO: 'RON', TR: 'TRY', UA: 'UAH', AE: 'AED', SA: 'SAR', QA: 'QAR', IL: 'ILS',
  DE: 'EUR', FR: 'EUR', ES: 'EUR', IT: 'EUR', NL: 'EUR', BE: 'EUR', AT: 'EUR', IE: 'EUR', PT: 'EUR', FI: 'EUR', GR: 'EUR',
  SN: 'XOF', CI: 'XOF', CM: 'XAF',
};

export function currencyOptions(): { value: string; label: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'currency' });
  } catch {
    names = null;
  }
  return COMMON_CURRENCIES.map((code) => ({ value: code, label: `${code} · ${names?.of(code) ?? code}` }));
}

export function defaultCurrency(language: string = navigator.language): string {
  let region: string | undefined;
  try {
    region = new Intl.Locale(language).maximize().region;
  } catch {
    region = undefined;
  }
  return (region && REGION_CURRENCY[region]) || 'USD';
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every time zone the browser knows, with the browser's own one included. */
export function timeZoneOptions(current: string = browserTimeZone()): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes(current) ? zones : [current, ...zones];
}

/** A locale the core accepts (2 to 35 characters). */
export function browserLocale(): string {
  const locale = navigator.language || 'en';
  return locale.length >= 2 && locale.length <= 35 ? locale : 'en';
}
