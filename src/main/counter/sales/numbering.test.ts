// Invoice numbering (data rule 5): whatever mix of good finalises, refused finalises,
// retries and core restarts happens, the device's numbers are 1..n, each used once,
// in the order the sales were finalised.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSeries, parseDocumentNumber } from '@shared/counter';
import { newId } from '@shared/ids';
import type { Product } from '@shared/api/ops/counter-sales';
import { addProducts, lineOf, startCounterKit, type CounterKit } from './test-kit';

type Step =
  | { kind: 'sale'; qty: number; split: boolean }
  | { kind: 'bad'; why: 'short' | 'negative' | 'unknown-product' | 'credit-no-customer' }
  | { kind: 'retry' }
  | { kind: 'refund' }
  | { kind: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sale' as const), qty: fc.integer({ min: 1, max: 5 }), split: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bad' as const), why: fc.constantFrom('short' as const, 'negative' as const, 'unknown-product' as const, 'credit-no-customer' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'retry' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'refund' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

let t: CounterKit;
let bread: Product;
const seen = { sales: 0, restarts: 0, refused: 0 };
beforeAll(async () => {
  t = await startCounterKit();
  bread = (await addProducts(t)).bread;
});
afterAll(async () => {
  await t.close();
});

async function stored(): Promise<{ invoices: { id: string; seq: number; number: string; finalisedAt: number }[]; notes: number[]; counter: { lastInvoiceSeq: number; lastCreditNoteSeq: number } | null }> {
  const db = t.core.store.db;
  const sales = await db.collections.sales.find({ selector: { status: 'finalised', deviceId: t.core.deviceId } }).exec();
  const notes = await db.collections.creditNotes.find({ selector: { deviceId: t.core.deviceId } }).exec();
  const counter = await db.collections.invoiceCounters.findOne(t.core.deviceId).exec();
  return {
    invoices: sales.map((s) => ({ id: s.id, seq: s.invoiceSeq, number: s.invoiceNumber, finalisedAt: s.finalisedAt ?? 0 })),
    notes: notes.map((n) => n.seq),
    counter: counter ? { lastInvoiceSeq: counter.lastInvoiceSeq, lastCreditNoteSeq: counter.lastCreditNoteSeq } : null,
  };
}

describe('invoice numbering', () => {
  it('stays gap-free and unique across finalises, refused finalises, retries, refunds and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const before = await stored();
        const made: string[] = [];
        let lastInput: Record<string, unknown> | null = null;
        for (const s of steps) {
          if (s.kind === 'sale') {
            const total = bread.priceMinor * s.qty;
            lastInput = {
              saleId: newId(),
              lines: [lineOf(bread, s.qty * 1000)],
              payments: s.split ? [{ method: 'card', amountMinor: 1_000 }, { method: 'cash', amountMinor: total }] : [{ method: 'cash', amountMinor: total }],
            };
            const { sale } = await t.call('counter.finalise', lastInput as never);
            made.push(sale.id);
            seen.sales++;
          } else if (s.kind === 'bad') {
            const bad = {
              short: { payments: [{ method: 'cash', amountMinor: 1 }] },
              negative: { lines: [lineOf(bread, -1000)] },
              'unknown-product': { lines: [{ ...lineOf(bread), productId: newId() }] },
              'credit-no-customer': { payments: [{ method: 'customer_credit', amountMinor: bread.priceMinor }] },
            }[s.why];
            const error = await t.fail('counter.finalise', { saleId: newId(), lines: [lineOf(bread)], payments: [{ method: 'cash', amountMinor: bread.priceMinor }], ...bad } as never);
            expect(error.code).toBe('VALIDATION');
            seen.refused++;
          } else if (s.kind === 'retry') {
            if (lastInput) expect((await t.call('counter.finalise', lastInput as never)).alreadyFinalised).toBe(true);
          } else if (s.kind === 'refund') {
            if (made.length) await t.call('counter.refund', { saleId: made[made.length - 1]!, lines: [{ lineIndex: 0, quantityMilli: 1000 }], reason: 'Test refund', refundMethod: 'cash' }).catch(() => undefined);
          } else {
            await t.restart();
            seen.restarts++;
          }
        }
        const after = await stored();
        const seqs = after.invoices.map((i) => i.seq);
        const check = checkSeries(seqs);
        expect(check.gapFree, JSON.stringify(check)).toBe(true);
        expect(after.invoices.length).toBe(before.invoices.length + made.length);
        expect(after.counter?.lastInvoiceSeq ?? 0).toBe(after.invoices.length);
        // Each number is the canonical form of its seq, and numbers follow finalisation order.
        for (const inv of after.invoices) expect(parseDocumentNumber(inv.number)).toMatchObject({ kind: 'invoice', prefix: 'CS', deviceCode: 'A1', seq: inv.seq });
        const byTime = [...after.invoices].sort((a, b) => a.finalisedAt - b.finalisedAt || a.seq - b.seq).map((i) => i.seq);
        expect(byTime).toEqual([...byTime].sort((a, b) => a - b));
        const noteCheck = checkSeries(after.notes);
        expect(noteCheck.gapFree).toBe(true);
        expect(after.counter?.lastCreditNoteSeq ?? 0).toBe(after.notes.length);
      }),
      { numRuns: 12 },
    );
    // The runs did exercise every kind of step.
    expect(seen.sales).toBeGreaterThan(5);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.restarts).toBeGreaterThan(0);
  });

  it('continues the series from the stored sales when the counter document is missing', async () => {
    const { sale } = await t.call('counter.finalise', { saleId: newId(), lines: [lineOf(bread)], payments: [{ method: 'cash', amountMinor: bread.priceMinor }] });
    // Simulate a store restored without its counter document (a system repair, not a business action).
    const counter = await t.core.store.db.collections.invoiceCounters.findOne(t.core.deviceId).exec();
    await counter!.remove();
    const { sale: next } = await t.call('counter.finalise', { saleId: newId(), lines: [lineOf(bread)], payments: [{ method: 'cash', amountMinor: bread.priceMinor }] });
    expect(next.invoiceSeq).toBe(sale.invoiceSeq + 1);
  });
});
