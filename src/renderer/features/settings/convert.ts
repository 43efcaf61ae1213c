// Conversions between what a person types in the settings forms and what the core
// stores: percentages <-> basis points, amounts <-> minor units, images <-> data URLs.
// Pure string arithmetic (no floats), so 8.25% is exactly 825 bp.
import { currencyExponent, isCurrencyCode, toDecimalString, tryParseMoney } from '@shared/money';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** 1600 -> "16", 825 -> "8.25", 5 -> "0.05". */
export function bpToPercentText(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(Math.abs(bp % 100)).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/**
 * "16" -> 1600, "8.25" -> 825, "8,5" -> 850. More than two decimals cannot be stored
 * (the core keeps whole basis points), unless they are trailing zeros ("8.250").
 */
export function percentTextToBp(text: string, what = 'rate'): Parsed<number> {
  const s = text.trim().replace(/\s*%$/, '').replace(',', '.');
  if (s === '') return { ok: false, error: `Enter a ${what} (0 for none).` };
  const match = /^(\d{1,5})(?:\.(\d+))?$/.exec(s);
  if (!match) return { ok: false, error: 'Enter a number such as 16 or 8.25.' };
  const whole = match[1]!;
  const frac = (match[2] ?? '').replace(/0+$/, '');
  if (frac.length > 2) {
    return {
      ok: false,
      error: `Rates are kept in whole basis points (1 bp = 0.01%), so use at most 2 decimals: ${whole}.${frac.slice(0, 2)}, not ${s}.`,
    };
  }
  return { ok: true, value: Number(whole) * 100 + Number(frac.padEnd(2, '0')) };
}

/** The currency's decimals, or 2 while the code is not valid yet. */
export function safeExponent(currency: string): number {
  return isCurrencyCode(currency) ? currencyExponent(currency) : 2;
}

/** 200000 KES -> "2000.00"; null -> "". */
export function minorToAmountText(minor: number | null, currency: string): string {
  if (minor === null) return '';
  if (!isCurrencyCode(currency)) return String(minor);
  return toDecimalString(minor, currency);
}

/** "" -> null (no limit); "2,000.50" KES -> 200050. */
export function amountTextToMinor(text: string, currency: string): Parsed<number | null> {
  if (text.trim() === '') return { ok: true, value: null };
  if (!isCurrencyCode(currency)) return { ok: false, error: 'Choose the currency first.' };
  const parsed = tryParseMoney(text, currency);
  return parsed.ok ? { ok: true, value: parsed.value.amountMinor } : { ok: false, error: parsed.error.message };
}

/** Cash rounding increments offered for a currency, in minor units (0 = none). */
export function cashRoundingChoices(currency: string, current: number): { value: string; label: string }[] {
  const exp = safeExponent(currency);
  const steps = exp === 0 ? [5, 10, 50, 100, 500, 1000] : exp === 2 ? [5, 10, 25, 50, 100, 500, 1000] : [5, 10, 50, 100, 500, 1000].map((n) => n * 10 ** (exp - 2));
  const all = [...new Set([...steps, ...(current > 1 ? [current] : [])])].sort((a, b) => a - b);
  const code = isCurrencyCode(currency) ? currency : '';
  return [
    { value: '0', label: 'No rounding (exact amounts)' },
    ...all.map((n) => ({ value: String(n), label: `To the nearest ${code ? `${toDecimalString(n, code)} ${code}` : n}` })),
  ];
}

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml', 'image/webp'] as const;
/** The core accepts data URLs up to 1.5 million characters: about 1.1 MB of image. Keep below 1 MB. */
export const MAX_IMAGE_BYTES = 1024 * 1024;

/** Why this file cannot be used as a logo, signature or watermark; null when it can. */
export function imageFileProblem(file: { type: string; size: number; name: string }): string | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) {
    return `“${file.name}” is not a PNG, JPEG, SVG or WebP image.`;
  }
  if (file.size >= MAX_IMAGE_BYTES) {
    return `“${file.name}” is ${formatBytes(file.size)}; images must be under 1 MB. Save it smaller or as a JPEG.`;
  }
  return null;
}

/** 2048 -> "2 KB", 1536000 -> "1.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The decoded size of a base64 data URL, for "PNG · 12 KB" under a preview. */
export function dataUrlInfo(dataUrl: string): { type: string; bytes: number } | null {
  const match = /^data:image\/([a-z+]+);base64,(.*)$/s.exec(dataUrl);
  if (!match) return null;
  const b64 = match[2]!;
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const type = match[1] === 'svg+xml' ? 'SVG' : match[1]!.toUpperCase();
  return { type, bytes: Math.max(0, Math.floor((b64.length * 3) / 4) - padding) };
}

/** What an invoice number of this series looks like: "CS-A1-000123". */
export function invoiceExample(prefix: string, deviceCode: string | null): string {
  return `${prefix || '…'}-${deviceCode || 'A1'}-000123`;
}
