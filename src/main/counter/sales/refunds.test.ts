import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@shared/ids';
import type { Product, Sale } from '@shared/api/ops/counter-sales';
import { SETUP, addProducts, lineOf, startCounterKit, type CounterKit } from './test-kit';

let t: CounterKit;
let p: Record<'bread' | 'milk' | 'sugar' | 'rice', Product>;
beforeEach(async () => {
  t = await startCounterKit();
  p = await addProducts(t);
});
afterEach(async () => {
  await t.close();
});

async function sell(extra: Record<string, unknown> = {}): Promise<Sale> {
  const lines = [lineOf(p.bread, 3000), lineOf(p.rice, 1333), lineOf(p.sugar, 1000)];
  const { sale } = await t.call('counter.finalise', {
    saleId: newId(),
    lines,
    saleDiscount: { kind: 'percent', bp: 700 },
    payments: [{ method: 'cash', amountMinor: 1_000_000 }],
    ...extra,
  } as never);
  return sale;
}

describe('counter.refund', () => {
  it('a partial then a full refund add up to the original sale exactly, each a numbered credit note', async () => {
    await t.setShop({ cashRoundingMinor: 100, taxMode: 'exclusive', discountLimitBp: 2000 });
    const sale = await sell();
    expect(sale.roundingMinor).not.toBe(0);
    const manager = t.ctx('manager');

    const first = await t.call('counter.refund', { saleId: sale.id, lines: [{ lineIndex: 0, quantityMilli: 1000 }, { lineIndex: 1, quantityMilli: 333 }], reason: 'Stale bread', refundMethod: 'cash' }, manager);
    expect(first.creditNote).toMatchObject({ kind: 'refund', number: 'CS-CN-A1-000001', seq: 1, saleId: sale.id, saleInvoiceNumber: sale.invoiceNumber, reason: 'Stale bread' });
    expect(first.creditNote.roundingMinor).toBe(0);
    const mid = await t.call('counter.sale', { saleId: sale.id }, manager);
    expect(mid.lines.map((l) => l.remainingMilli)).toEqual([2000, 1000, 1000]);
    expect(mid.refundedMinor).toBe(first.creditNote.totalMinor);

    const rest = await t.call('counter.refund', { saleId: sale.id, lines: 'all', reason: 'Customer returned everything', refundMethod: 'card' }, manager);
    expect(rest.creditNote).toMatchObject({ kind: 'refund', number: 'CS-CN-A1-000002' });
    const notes = [first.creditNote, rest.creditNote];
    const sum = (f: (n: (typeof notes)[number]) => number) => notes.reduce((s, n) => s + f(n), 0);
    expect(sum((n) => n.totalMinor)).toBe(sale.totalMinor);
    expect(sum((n) => n.taxMinor)).toBe(sale.taxMinor);
    expect(sum((n) => n.discountMinor)).toBe(sale.discountMinor);
    expect(sum((n) => n.roundingMinor)).toBe(sale.roundingMinor);
    for (const [i, line] of sale.lines.entries()) {
      const refunded = notes.flatMap((n) => n.lines).filter((l) => l.saleLineId === line.lineId);
      expect(refunded.reduce((s, l) => s + l.quantityMilli, 0), `line ${i}`).toBe(line.quantityMilli);
      expect(refunded.reduce((s, l) => s + l.totalMinor, 0), `line ${i}`).toBe(line.totalMinor);
      expect(refunded.reduce((s, l) => s + l.taxMinor, 0), `line ${i}`).toBe(line.taxMinor);
    }
    const after = await t.call('counter.sale', { saleId: sale.id }, manager);
    expect(after).toMatchObject({ fullyRefunded: true, refundedMinor: sale.totalMinor });
    expect(after.creditNotes.map((n) => n.number)).toEqual(['CS-CN-A1-000001', 'CS-CN-A1-000002']);

    // The sale itself was never edited; cash went out of the drawer for the cash note only.
    const stored = await t.core.store.db.collections.sales.findOne(sale.id).exec();
    expect(stored?.updatedAt).toBe(sale.updatedAt);
    const drawer = (await t.core.store.db.collections.drawerMovements.find({ selector: { kind: 'refund_cash' } }).exec()).map((d) => d.toJSON());
    expect(drawer).toEqual([expect.objectContaining({ amountMinor: -first.creditNote.totalMinor, creditNoteId: first.creditNote.id, saleId: sale.id })]);
    expect((await t.core.store.db.collections.invoiceCounters.findOne(t.core.deviceId).exec())?.lastCreditNoteSeq).toBe(2);
  });

  it('refuses refunding more than sold minus already refunded, and anything after a void', async () => {
    const sale = await sell();
    const manager = t.ctx('manager');
    const over = await t.fail('counter.refund', { saleId: sale.id, lines: [{ lineIndex: 0, quantityMilli: 4000 }], reason: 'Too many', refundMethod: 'cash' }, manager);
    expect(over).toMatchObject({ code: 'VALIDATION', message: 'Line 1 (Bread): only 3 of 3 sold can still be refunded (0 already refunded); you asked for 4.' });
    expect(over.issues?.[0]?.path).toBe('lines.0.quantityMilli');

    await t.call('counter.refund', { saleId: sale.id, lines: [{ lineIndex: 0, quantityMilli: 2000 }], reason: 'Two back', refundMethod: 'cash' }, manager);
    const twice = await t.fail('counter.refund', { saleId: sale.id, lines: [{ lineIndex: 0, quantityMilli: 1500 }], reason: 'More', refundMethod: 'cash' }, manager);
    expect(twice.message).toBe('Line 1 (Bread): only 1 of 3 sold can still be refunded (2 already refunded); you asked for 1.5.');
    expect((await t.fail('counter.refund', { saleId: sale.id, lines: [{ lineIndex: 9, quantityMilli: 1000 }], reason: 'Nope', refundMethod: 'cash' }, manager)).message).toContain('Line 10 is not on this sale');

    const voided = await t.call('counter.refund', { saleId: sale.id, lines: 'all', reason: 'Void the rest', refundMethod: 'cash' }, manager);
    expect(voided.creditNote.lines.map((l) => [l.saleLineId, l.quantityMilli])).toEqual([['1', 1000], ['2', 1333], ['3', 1000]]);
    expect((await t.fail('counter.refund', { saleId: sale.id, lines: 'all', reason: 'Again', refundMethod: 'cash' }, manager)).message).toContain('already been fully refunded');
    expect((await t.fail('counter.refund', { saleId: sale.id, lines: [{ lineIndex: 2, quantityMilli: 1000 }], reason: 'Again', refundMethod: 'cash' }, manager)).message).toBe('Line 3 (Sugar 1kg): all 1 sold have already been refunded.');
    // Refused refunds consumed no credit-note number.
    expect((await t.core.store.db.collections.invoiceCounters.findOne(t.core.deviceId).exec())?.lastCreditNoteSeq).toBe(2);
  });

  it('a whole-sale void of a credit sale reverses the ledger entry; a cashier cannot refund', async () => {
    const customer = await t.call('counter.createCustomer', { name: 'Amina', creditLimitMinor: 100_000 });
    const { sale } = await t.call('counter.finalise', { saleId: newId(), customerId: customer.id, lines: [lineOf(p.milk, 2000)], payments: [{ method: 'customer_credit', amountMinor: 13_000 }] });
    expect((await t.fail('counter.refund', { saleId: sale.id, lines: 'all', reason: 'Wrong item', refundMethod: 'customer_credit' }, t.ctx('cashier'))).code).toBe('FORBIDDEN');

    const { creditNote } = await t.call('counter.refund', { saleId: sale.id, lines: 'all', reason: 'Wrong item', refundMethod: 'customer_credit' }, t.ctx('manager'));
    expect(creditNote).toMatchObject({ kind: 'void', totalMinor: 13_000, customerId: customer.id });
    const entries = (await t.core.store.db.collections.customerCreditEntries.find({ selector: { customerId: customer.id } }).exec()).map((e) => e.toJSON());
    const saleEntry = entries.find((e) => e.kind === 'sale')!;
    expect(entries.find((e) => e.kind === 'reversal')).toMatchObject({ amountMinor: -13_000, reversesId: saleEntry.id, balanceAfterMinor: 0, saleId: sale.id });
    expect(entries.reduce((s, e) => s + e.amountMinor, 0)).toBe(0);
    expect(creditNote.refunds[0]?.creditEntryId).toBe(entries.find((e) => e.kind === 'reversal')!.id);

    const walkIn = await sell();
    const noCustomer = await t.fail('counter.refund', { saleId: walkIn.id, lines: 'all', reason: 'x1x', refundMethod: 'customer_credit' }, t.ctx('manager'));
    expect(noCustomer).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'refundMethod', message: 'The sale has no customer.' }] });
  });

  it('is idempotent per creditNoteId, and a refund over the shop limit needs a manager', async () => {
    const sale = await sell();
    const creditNoteId = newId();
    const input = { creditNoteId, saleId: sale.id, lines: [{ lineIndex: 2, quantityMilli: 1000 }], reason: 'Torn bag', refundMethod: 'mobile_money' as const, reference: 'SBX9' };
    const [a, b] = await Promise.all([t.call('counter.refund', input), t.call('counter.refund', input)]);
    expect(b.creditNote).toEqual(a.creditNote);
    expect([a.alreadyRecorded, b.alreadyRecorded].sort()).toEqual([false, true]);
    expect(await t.core.store.db.collections.creditNotes.count().exec()).toBe(1);

    // A role that may refund but is not a manager (a custom shop set-up) is held to the limit.
    await t.setShop({ refundLimitMinor: 1_000 });
    const { requireManager } = await import('../../locks');
    const plain = { action: 'sale.refund', actor: { userId: 'u', name: 'U' } };
    expect(() => requireManager(t.ctx('cashier'), plain, 'A refund of 50.00 is over the 10.00 a cashier may refund.')).toThrow(/Ask a manager to approve it/);
    expect(() => requireManager(t.ctx('manager'), plain, 'x')).not.toThrow();
    const approved = await t.call('counter.refund', { saleId: sale.id, lines: [{ lineIndex: 0, quantityMilli: 1000 }], reason: 'Mouldy', refundMethod: 'cash', override: { managerId: t.ownerId, pin: SETUP.pin, reason: 'Checked the loaf' } }, t.ctx('manager'));
    expect(approved.creditNote.approvedBy).toBe(t.ownerId);
  });
});
