import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CounterRuleError } from './errors';
import {
  checkSeries,
  formatCreditNoteNumber,
  formatInvoiceNumber,
  nextDocumentNumber,
  nextInvoiceNumber,
  parseDocumentNumber,
  tryParseDocumentNumber,
  type SeriesCounter,
  type SeriesKind,
} from './invoice-number';

function expectRuleError(fn: () => unknown, code: string, message: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CounterRuleError);
    expect({ code: (e as CounterRuleError).code, message: (e as CounterRuleError).message }).toEqual({ code, message });
    return;
  }
  throw new Error(`expected CounterRuleError ${code}`);
}

const series = { prefix: 'SHOP', deviceCode: 'T01' };

describe('invoice numbers', () => {
  it('formats with 6-digit padding that grows past 999999', () => {
    expect(formatInvoiceNumber(series, 1)).toBe('SHOP-T01-000001');
    expect(formatInvoiceNumber(series, 123)).toBe('SHOP-T01-000123');
    expect(formatInvoiceNumber(series, 999_999)).toBe('SHOP-T01-999999');
    expect(formatInvoiceNumber(series, 1_000_000)).toBe('SHOP-T01-1000000');
    expect(formatCreditNoteNumber(series, 7)).toBe('SHOP-CN-T01-000007');
    expect(formatInvoiceNumber({ prefix: 'ABCDEFGH', deviceCode: 'ABCDEFGH' }, Number.MAX_SAFE_INTEGER).length).toBeLessThanOrEqual(40);
  });

  it('parses invoice and credit-note numbers', () => {
    expect(parseDocumentNumber('SHOP-T01-000123')).toEqual({ kind: 'invoice', prefix: 'SHOP', deviceCode: 'T01', seq: 123 });
    expect(parseDocumentNumber('SHOP-CN-T01-000007')).toEqual({ kind: 'credit_note', prefix: 'SHOP', deviceCode: 'T01', seq: 7 });
    expect(parseDocumentNumber('KB1-2-1000000')).toEqual({ kind: 'invoice', prefix: 'KB1', deviceCode: '2', seq: 1_000_000 });
  });

  it('refuses non-canonical or malformed numbers', () => {
    for (const bad of ['SHOP-T01-123', 'SHOP-T01-0000123', 'SHOP-T01-000000', 'shop-T01-000001', 'SHOP-T01-00001a', 'SHOP--000001', 'SHOP-T01', 'SHOP-XX-T01-000001', '', 'SHOP-T01-000001 ', 'TOOLONGPF-T01-000001']) {
      expect(tryParseDocumentNumber(bad)).toBeUndefined();
    }
    expectRuleError(
      () => parseDocumentNumber('INV 12'),
      'invalid_invoice_number',
      '"INV 12" is not an invoice number; they look like SHOP-T01-000123 (credit notes SHOP-CN-T01-000123).',
    );
  });

  it('next number from the counter, without touching the other series', () => {
    const c0: SeriesCounter = { lastInvoiceSeq: 41, lastCreditNoteSeq: 3 };
    const n = nextInvoiceNumber(series, c0);
    expect(n).toEqual({ seq: 42, number: 'SHOP-T01-000042', counter: { lastInvoiceSeq: 42, lastCreditNoteSeq: 3 } });
    expect(c0.lastInvoiceSeq).toBe(41); // pure
    expect(nextDocumentNumber('credit_note', series, n.counter)).toMatchObject({ seq: 4, number: 'SHOP-CN-T01-000004' });
  });

  describe('errors', () => {
    const cases: [string, () => unknown, string, string][] = [
      ['prefix with a dash', () => formatInvoiceNumber({ prefix: 'MY-SHOP', deviceCode: 'T01' }, 1), 'invalid_prefix', 'The invoice prefix "MY-SHOP" is not valid: use 1 to 8 capital letters or digits (for example SHOP or KB1).'],
      ['empty prefix', () => formatInvoiceNumber({ prefix: '', deviceCode: 'T01' }, 1), 'invalid_prefix', 'The invoice prefix "" is not valid: use 1 to 8 capital letters or digits (for example SHOP or KB1).'],
      ['long prefix', () => formatInvoiceNumber({ prefix: 'ABCDEFGHI', deviceCode: 'T01' }, 1), 'invalid_prefix', 'The invoice prefix "ABCDEFGHI" is not valid: use 1 to 8 capital letters or digits (for example SHOP or KB1).'],
      ['lower-case prefix', () => formatInvoiceNumber({ prefix: 'shop', deviceCode: 'T01' }, 1), 'invalid_prefix', 'The invoice prefix "shop" is not valid: use 1 to 8 capital letters or digits (for example SHOP or KB1).'],
      ['accented device code', () => formatInvoiceNumber({ prefix: 'SHOP', deviceCode: 'CAFÉ' }, 1), 'invalid_device_code', 'The device code "CAFÉ" is not valid: use 1 to 8 capital letters or digits (for example T01).'],
      ['sequence 0', () => formatInvoiceNumber(series, 0), 'invalid_sequence', 'An invoice sequence number must be a whole number from 1, got 0.'],
      ['fractional sequence', () => formatInvoiceNumber(series, 1.5), 'invalid_sequence', 'An invoice sequence number must be a whole number from 1, got 1.5.'],
      ['damaged counter', () => nextInvoiceNumber(series, { lastInvoiceSeq: -1, lastCreditNoteSeq: 0 }), 'invalid_sequence', 'The stored invoice counter (-1) is damaged; it must be a whole number from 0.'],
      ['exhausted series', () => nextInvoiceNumber(series, { lastInvoiceSeq: Number.MAX_SAFE_INTEGER, lastCreditNoteSeq: 0 }), 'series_exhausted', 'This device has used every number of its series; give it a new device code.'],
    ];
    it.each(cases)('%s', (_name, fn, code, message) => expectRuleError(fn, code, message));
  });

  it('checkSeries finds gaps and repeats', () => {
    expect(checkSeries([1, 2, 3])).toEqual({ missing: [], missingCount: 0, duplicates: [], first: 1, last: 3, gapFree: true });
    expect(checkSeries([5, 1, 3, 3])).toEqual({ missing: [2, 4], missingCount: 2, duplicates: [3], first: 1, last: 5, gapFree: false });
    expect(checkSeries([10, 11], 10).gapFree).toBe(true);
    expect(checkSeries([1, 1e12]).missingCount).toBe(1e12 - 2); // counted, not listed one by one
  });
});

describe('invoice numbering properties', () => {
  const code = fc.stringMatching(/^[A-Z0-9]{1,8}$/);

  it('any sequence of next() calls, with restarts, is consecutive per series with no gaps or repeats, and parses back', () => {
    fc.assert(
      fc.property(
        code,
        code,
        fc.record({ lastInvoiceSeq: fc.nat({ max: 2_000_000 }), lastCreditNoteSeq: fc.nat({ max: 2_000_000 }) }),
        fc.array(fc.oneof(fc.constant('invoice' as const), fc.constant('credit_note' as const), fc.constant('restart' as const)), { maxLength: 200 }),
        (prefix, deviceCode, start, steps) => {
          const s = { prefix, deviceCode };
          let counter: SeriesCounter = start;
          const issued: Record<SeriesKind, number[]> = { invoice: [], credit_note: [] };
          const numbers = new Set<string>();
          for (const step of steps) {
            if (step === 'restart') {
              // the stored counter is all that survives a restart
              counter = JSON.parse(JSON.stringify(counter)) as SeriesCounter;
              continue;
            }
            const n = nextDocumentNumber(step, s, counter);
            counter = n.counter;
            issued[step].push(n.seq);
            expect(numbers.has(n.number)).toBe(false);
            numbers.add(n.number);
            expect(parseDocumentNumber(n.number)).toEqual({ kind: step, prefix, deviceCode, seq: n.seq });
            expect(formatDocumentNumberRoundTrip(n.number)).toBe(n.number);
          }
          const from = { invoice: start.lastInvoiceSeq + 1, credit_note: start.lastCreditNoteSeq + 1 };
          for (const kind of ['invoice', 'credit_note'] as const) {
            expect(issued[kind]).toEqual(issued[kind].map((_, i) => from[kind] + i));
            if (issued[kind].length > 0) expect(checkSeries(issued[kind], from[kind]).gapFree).toBe(true);
          }
          expect(counter).toEqual({ lastInvoiceSeq: start.lastInvoiceSeq + issued.invoice.length, lastCreditNoteSeq: start.lastCreditNoteSeq + issued.credit_note.length });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parse(format(x)) == x for every valid prefix, device code and sequence', () => {
    fc.assert(
      fc.property(code, code, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('invoice' as const, 'credit_note' as const), (prefix, deviceCode, seq, kind) => {
        const text = kind === 'invoice' ? formatInvoiceNumber({ prefix, deviceCode }, seq) : formatCreditNoteNumber({ prefix, deviceCode }, seq);
        expect(parseDocumentNumber(text)).toEqual({ kind, prefix, deviceCode, seq });
      }),
    );
  });
});

function formatDocumentNumberRoundTrip(text: string): string {
  const p = parseDocumentNumber(text);
  return p.kind === 'invoice' ? formatInvoiceNumber(p, p.seq) : formatCreditNoteNumber(p, p.seq);
}
