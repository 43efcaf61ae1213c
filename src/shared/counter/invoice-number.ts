// Gap-free invoice and credit-note series per device (data rule 5).
//
//   invoice:      PREFIX-DEVICE-000123       e.g. SHOP-T01-000042
//   credit note:  PREFIX-CN-DEVICE-000123    (its own series; the schema's format)
//
// PREFIX (the shop's invoice prefix) and DEVICE (the device code) are 1-8 characters
// A-Z and 0-9. The sequence starts at 1 and is padded to at least 6 digits; past
// 999999 it simply grows (SHOP-T01-1000000), so numbers never wrap or truncate and the
// longest possible number (8+1+2+1+8+1+16) fits the schema's 40 characters.
// Parsing accepts only the canonical form, so parse(format(x)) == x and
// format(parse(s)) == s.
//
// nextInvoiceNumber() is pure: the core stores the returned counter in the same
// transaction as the sale it numbers, so a number is used exactly once.
import { CounterRuleError } from './errors';

export const SEQ_PAD = 6;
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
const CODE_RE = /^[A-Z0-9]{1,8}$/;
const SEQ_RE = /^(?:[0-9]{6}|[1-9][0-9]{6,15})$/;

export type SeriesKind = 'invoice' | 'credit_note';

export interface SeriesId {
  /** Shop invoice prefix, A-Z0-9, 1-8 characters. */
  prefix: string;
  /** Device code, A-Z0-9, 1-8 characters. */
  deviceCode: string;
}

export interface ParsedDocumentNumber extends SeriesId {
  kind: SeriesKind;
  seq: number;
}

/** The per-device counter (schema InvoiceCounterDoc, the fields used). */
export interface SeriesCounter {
  lastInvoiceSeq: number;
  lastCreditNoteSeq: number;
}

export function isValidPrefix(prefix: unknown): prefix is string {
  return typeof prefix === 'string' && CODE_RE.test(prefix);
}

export function isValidDeviceCode(code: unknown): code is string {
  return typeof code === 'string' && CODE_RE.test(code);
}

export function assertSeries(series: SeriesId): void {
  if (!isValidPrefix(series.prefix)) {
    throw new CounterRuleError(
      'invalid_prefix',
      `The invoice prefix "${String(series.prefix)}" is not valid: use 1 to 8 capital letters or digits (for example SHOP or KB1).`,
      { field: 'prefix' },
    );
  }
  if (!isValidDeviceCode(series.deviceCode)) {
    throw new CounterRuleError(
      'invalid_device_code',
      `The device code "${String(series.deviceCode)}" is not valid: use 1 to 8 capital letters or digits (for example T01).`,
      { field: 'deviceCode' },
    );
  }
}

function assertSeq(seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new CounterRuleError('invalid_sequence', `An invoice sequence number must be a whole number from 1, got ${String(seq)}.`, { field: 'seq' });
  }
}

export function formatDocumentNumber(kind: SeriesKind, series: SeriesId, seq: number): string {
  assertSeries(series);
  assertSeq(seq);
  const digits = String(seq).padStart(SEQ_PAD, '0');
  return kind === 'invoice' ? `${series.prefix}-${series.deviceCode}-${digits}` : `${series.prefix}-CN-${series.deviceCode}-${digits}`;
}

export function formatInvoiceNumber(series: SeriesId, seq: number): string {
  return formatDocumentNumber('invoice', series, seq);
}

export function formatCreditNoteNumber(series: SeriesId, seq: number): string {
  return formatDocumentNumber('credit_note', series, seq);
}

/** Parses an invoice or credit-note number; undefined if it is not one in canonical form. */
export function tryParseDocumentNumber(text: string): ParsedDocumentNumber | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('-');
  let kind: SeriesKind;
  let prefix: string, deviceCode: string, digits: string;
  if (parts.length === 3) {
    kind = 'invoice';
    [prefix, deviceCode, digits] = parts as [string, string, string];
  } else if (parts.length === 4 && parts[1] === 'CN') {
    kind = 'credit_note';
    [prefix, , deviceCode, digits] = parts as [string, string, string, string];
  } else {
    return undefined;
  }
  if (!CODE_RE.test(prefix) || !CODE_RE.test(deviceCode) || !SEQ_RE.test(digits)) return undefined;
  const seq = Number(digits);
  if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
  return { kind, prefix, deviceCode, seq };
}

/** As tryParseDocumentNumber, but throws a CounterRuleError with a readable message. */
export function parseDocumentNumber(text: string): ParsedDocumentNumber {
  const parsed = tryParseDocumentNumber(text);
  if (!parsed) {
    throw new CounterRuleError(
      'invalid_invoice_number',
      `"${String(text)}" is not an invoice number; they look like SHOP-T01-000123 (credit notes SHOP-CN-T01-000123).`,
      { field: 'number' },
    );
  }
  return parsed;
}

export interface NextNumber {
  seq: number;
  number: string;
  /** The counter to store with the document (only the field of this series changes). */
  counter: SeriesCounter;
}

/** The next number of a series from the device's counter. Pure: nothing is reserved until the counter is stored. */
export function nextDocumentNumber(kind: SeriesKind, series: SeriesId, counter: SeriesCounter): NextNumber {
  const last = kind === 'invoice' ? counter.lastInvoiceSeq : counter.lastCreditNoteSeq;
  if (!Number.isSafeInteger(last) || last < 0) {
    throw new CounterRuleError('invalid_sequence', `The stored ${kind === 'invoice' ? 'invoice' : 'credit note'} counter (${String(last)}) is damaged; it must be a whole number from 0.`, {
      field: 'counter',
    });
  }
  if (last >= MAX_SEQ) {
    throw new CounterRuleError('series_exhausted', 'This device has used every number of its series; give it a new device code.', { field: 'counter' });
  }
  const seq = last + 1;
  const number = formatDocumentNumber(kind, series, seq);
  return {
    seq,
    number,
    counter: kind === 'invoice' ? { ...counter, lastInvoiceSeq: seq } : { ...counter, lastCreditNoteSeq: seq },
  };
}

export function nextInvoiceNumber(series: SeriesId, counter: SeriesCounter): NextNumber {
  return nextDocumentNumber('invoice', series, counter);
}

export function nextCreditNoteNumber(series: SeriesId, counter: SeriesCounter): NextNumber {
  return nextDocumentNumber('credit_note', series, counter);
}

export interface SeriesCheck {
  /** Numbers missing between the start and the highest seen (the first 1000). */
  missing: number[];
  /** How many are missing in all. */
  missingCount: number;
  /** Sequence numbers seen more than once. */
  duplicates: number[];
  first?: number;
  last?: number;
  /** True when 1..last are each present exactly once. */
  gapFree: boolean;
}

/**
 * Checks a device's numbers (e.g. for an audit or a restored device): missing and
 * repeated sequence numbers from `start` (default 1) to the highest seen.
 */
export function checkSeries(seqs: Iterable<number>, start = 1): SeriesCheck {
  const seen = new Set<number>();
  const dup = new Set<number>();
  let first: number | undefined;
  let last: number | undefined;
  for (const s of seqs) {
    if (seen.has(s)) dup.add(s);
    seen.add(s);
    if (first === undefined || s < first) first = s;
    if (last === undefined || s > last) last = s;
  }
  const missing: number[] = [];
  let missingCount = 0;
  let prev = start - 1;
  for (const s of [...seen].filter((x) => x >= start).sort((a, b) => a - b)) {
    for (let m = prev + 1; m < s && missing.length < 1000; m++) missing.push(m);
    missingCount += s - prev - 1;
    prev = s;
  }
  const duplicates = [...dup].sort((a, b) => a - b);
  const out: SeriesCheck = { missing, missingCount, duplicates, gapFree: missingCount === 0 && duplicates.length === 0 };
  if (first !== undefined) out.first = first;
  if (last !== undefined) out.last = last;
  return out;
}
