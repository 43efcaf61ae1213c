// Refunds and voids (data rule 5): a credit note that points at the finalised sale,
// numbered in this device's own gap-free credit-note series, never an edit of the
// sale. Its figures come from the sale's stored lines (computeCreditNote), so all the
// notes of a sale add up to the sale exactly. Money goes back as a drawer entry
// (cash) or a customer-credit ledger entry (customer credit), in the same write run.
import { ApiError } from '@shared/api/errors';
import type { OverrideInput } from '@shared/api/ops/auth';
import type { CreditNote } from '@shared/api/ops/counter-sales';
import { amountText, computeCreditNote, nextCreditNoteNumber, type CreditRequestLine } from '@shared/counter';
import { dayKey } from '@shared/dates';
import { newId } from '@shared/ids';
import type { CreditNoteDoc, PaymentMethod, SalePayment } from '@shared/schema';
import { actorOf } from '../../core/actor';
import type { CallContext } from '../../core/router';
import { refundPath, rules } from './rule-errors';
import { requireManager, verifiedOverride } from '../../locks';
import type { SalesService } from './sales-service';

export interface RefundInput {
  creditNoteId?: string | undefined;
  saleId: string;
  lines: 'all' | CreditRequestLine[];
  reason: string;
  refundMethod: PaymentMethod;
  reference?: string | undefined;
  restock: boolean;
  override?: OverrideInput | undefined;
}

export async function refundSale(service: SalesService, ctx: CallContext, input: RefundInput): Promise<{ creditNote: CreditNote; alreadyRecorded: boolean }> {
  const core = service.core;
  const actor = actorOf(ctx);
  const noteId = input.creditNoteId ?? newId();
  const view = async (doc: CreditNoteDoc) => service.creditNoteView(doc, (await service.names([doc.cashierId])).get(doc.cashierId) ?? '');

  const earlier = input.creditNoteId ? await core.store.db.collections.creditNotes.findOne(noteId).exec() : null;
  if (earlier) {
    if (earlier.saleId !== input.saleId) throw new ApiError('CONFLICT', 'That credit note id belongs to another sale.');
    return { creditNote: await view(earlier.toMutableJSON() as CreditNoteDoc), alreadyRecorded: true };
  }

  let alreadyRecorded = false;
  const request = await service.request(input.lines === 'all' ? 'sale.void' : 'sale.refund', ctx, input.override, input.reason);
  const doc = await core.writes.run(request, async (tx) => {
    const existing = await tx.get('creditNotes', noteId);
    if (existing) {
      alreadyRecorded = true;
      return existing;
    }
    const sale = await tx.get('sales', input.saleId);
    if (!sale) throw new ApiError('NOT_FOUND', 'No such sale.');
    if (sale.status !== 'finalised') throw new ApiError('CONFLICT', 'This sale is not finalised yet, so there is nothing to refund: change the cart instead.');
    const shop = await service.shopOf(tx);
    const device = await service.deviceOf(tx);
    const day = dayKey(tx.now, shop.timezone);
    await service.assertDayOpen(day, 'no refund can be recorded today');

    const previous = await service.creditNotesOf(sale.id);
    const totals = rules(
      () =>
        computeCreditNote({
          sale: { currency: sale.currency, taxMode: sale.taxMode, lines: sale.lines, roundingMinor: sale.roundingMinor },
          previous,
          lines: input.lines,
        }),
      refundPath,
    );

    if (shop.refundLimitMinor !== undefined && totals.totalMinor > shop.refundLimitMinor) {
      requireManager(
        ctx,
        request,
        `A refund of ${amountText(totals.totalMinor, sale.currency)} is over the ${amountText(shop.refundLimitMinor, sale.currency)} a cashier may refund.`,
      );
    }

    const refunds: SalePayment[] = [];
    const { counter, exists } = await service.counterOf(tx);
    const next = rules(() => nextCreditNoteNumber({ prefix: shop.invoicePrefix, deviceCode: device.code }, counter));
    await service.writeCounter(tx, exists, next.counter);
    const registerId = device.registerId || device.id;

    if (totals.totalMinor > 0) {
      const refund: SalePayment = { method: input.refundMethod, amountMinor: totals.totalMinor };
      if (input.reference) refund.reference = input.reference;
      if (input.refundMethod === 'customer_credit') {
        if (!sale.customerId) {
          throw new ApiError('VALIDATION', 'This sale has no customer, so the refund cannot go to customer credit. Refund in cash, by card or by mobile money.', [
            { path: 'refundMethod', message: 'The sale has no customer.' },
          ]);
        }
        const balance = await service.balanceOf(sale.customerId);
        const creditPayment = sale.payments.find((p) => p.method === 'customer_credit' && p.creditEntryId);
        const entryId = newId();
        refund.creditEntryId = entryId;
        await tx.insert('customerCreditEntries', {
          id: entryId,
          customerId: sale.customerId,
          // Taking back (part of) a credit sale reverses its entry; otherwise the customer gets store credit.
          kind: creditPayment ? 'reversal' : 'adjustment',
          amountMinor: -totals.totalMinor,
          currency: sale.currency,
          saleId: sale.id,
          ...(creditPayment?.creditEntryId ? { reversesId: creditPayment.creditEntryId } : {}),
          note: `Credit note ${next.number} for invoice ${sale.invoiceNumber}`,
          balanceAfterMinor: balance - totals.totalMinor,
          day,
          deviceId: core.deviceId,
          createdBy: actor.userId,
        });
      } else if (input.refundMethod === 'cash') {
        await tx.insert('drawerMovements', {
          id: newId(),
          deviceId: core.deviceId,
          registerId,
          day,
          kind: 'refund_cash',
          amountMinor: -totals.totalMinor,
          currency: sale.currency,
          reason: `Credit note ${next.number} for invoice ${sale.invoiceNumber}`,
          saleId: sale.id,
          creditNoteId: noteId,
          createdBy: actor.userId,
        });
      }
      refunds.push(refund);
    }

    const byLine = new Map(sale.lines.map((l) => [l.lineId, l]));
    const note: Omit<CreditNoteDoc, 'createdAt' | 'updatedAt'> = {
      id: noteId,
      kind: input.lines === 'all' && previous.length === 0 ? 'void' : 'refund',
      saleId: sale.id,
      saleInvoiceNumber: sale.invoiceNumber,
      deviceId: core.deviceId,
      registerId,
      cashierId: actor.userId,
      customerId: sale.customerId,
      currency: sale.currency,
      taxMode: sale.taxMode,
      lines: totals.lines.map((l) => {
        const original = byLine.get(l.saleLineId)!;
        return {
          saleLineId: l.saleLineId,
          productId: original.productId,
          name: original.name,
          sku: original.sku,
          quantityMilli: l.quantityMilli,
          unitPriceMinor: l.unitPriceMinor,
          discountMinor: l.discountMinor,
          taxRateBp: l.taxRateBp,
          taxMinor: l.taxMinor,
          totalMinor: l.totalMinor,
          restock: input.restock,
        };
      }),
      refunds,
      subtotalMinor: totals.subtotalMinor,
      discountMinor: totals.discountMinor,
      taxMinor: totals.taxMinor,
      roundingMinor: totals.roundingMinor,
      totalMinor: totals.totalMinor,
      reason: input.reason,
      approvedBy: verifiedOverride(request)?.overrideBy ?? '',
      number: next.number,
      seq: next.seq,
      day,
    };
    return tx.insert('creditNotes', note);
  });
  return { creditNote: await view(doc), alreadyRecorded };
}
