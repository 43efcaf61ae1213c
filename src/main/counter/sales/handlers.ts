// The selling side of the counter (contract: src/shared/api/ops/counter-sales.ts).
import { ApiError } from '@shared/api/errors';
import type { ReceiptDocument } from '@shared/api/ops/counter-sales';
import { roleHas } from '@shared/auth/permissions';
import { SHOP_PROFILE_ID, type CreditNoteDoc, type SaleDoc, type ShopProfileDoc } from '@shared/schema';
import { actorOf } from '../../core/actor';
import type { CoreServices } from '../../core/core';
import type { CallContext, HandlerSlice } from '../../core/router';
import type { ManagerOverrides } from '../../locks';
import { Catalog } from './catalog';
import { invoiceFileName, renderInvoicePdf } from './invoice-pdf';
import { COLUMNS, creditNoteDocument, receiptLines, saleDocument } from './receipt';
import { refundSale } from './refunds';
import { SalesService } from './sales-service';

export type CounterSalesOps =
  | 'counter.products'
  | 'counter.productByBarcode'
  | 'counter.quickKeys'
  | 'counter.createProduct'
  | 'counter.updateProduct'
  | 'counter.deactivateProduct'
  | 'counter.customers'
  | 'counter.createCustomer'
  | 'counter.updateCustomer'
  | 'counter.finalise'
  | 'counter.park'
  | 'counter.parked'
  | 'counter.resume'
  | 'counter.discardParked'
  | 'counter.sales'
  | 'counter.sale'
  | 'counter.saleByNumber'
  | 'counter.refund'
  | 'counter.receipt'
  | 'counter.invoicePdf';

/** Setting a customer's credit limit is a money decision: managers only. */
function assertMayChangeCreditLimit(ctx: CallContext, creditLimitMinor: number | null | undefined): void {
  if (creditLimitMinor === undefined) return;
  if (ctx.session && roleHas(ctx.session.role, 'balances.manage')) return;
  throw new ApiError('FORBIDDEN', 'Only a manager can set or change a credit limit.', [{ path: 'creditLimitMinor', message: 'Managers only.' }]);
}

export interface CounterSales {
  catalog: Catalog;
  sales: SalesService;
  /** The receipt model of a sale or credit note. */
  document(ref: { saleId?: string | undefined; creditNoteId?: string | undefined }): Promise<{ doc: ReceiptDocument; shop: ShopProfileDoc }>;
}

export function createCounterSales(core: CoreServices, overrides: ManagerOverrides): CounterSales {
  const catalog = new Catalog(core);
  const sales = new SalesService(core, overrides, catalog);
  const db = core.store.db;

  async function document(ref: { saleId?: string | undefined; creditNoteId?: string | undefined }) {
    const shopDoc = await db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
    if (!shopDoc) throw new ApiError('CONFLICT', 'The shop is not set up yet.');
    const shop = shopDoc.toMutableJSON() as ShopProfileDoc;
    if (ref.saleId) {
      const sale = await sales.saleDoc(ref.saleId);
      if (!sale) throw new ApiError('NOT_FOUND', 'No such sale.');
      const names = await sales.names([sale.cashierId]);
      return { doc: saleDocument(sale as SaleDoc, shop, { cashier: names.get(sale.cashierId) ?? '', customer: await sales.customerName(sale.customerId) }), shop };
    }
    const noteDoc = await db.collections.creditNotes.findOne(ref.creditNoteId!).exec();
    if (!noteDoc) throw new ApiError('NOT_FOUND', 'No such credit note.');
    const note = noteDoc.toMutableJSON() as CreditNoteDoc;
    const names = await sales.names([note.cashierId]);
    return { doc: creditNoteDocument(note, shop, { cashier: names.get(note.cashierId) ?? '', customer: await sales.customerName(note.customerId) }), shop };
  }

  return { catalog, sales, document };
}

export function counterSalesHandlers(core: CoreServices, overrides: ManagerOverrides, counter: CounterSales = createCounterSales(core, overrides)): HandlerSlice<CounterSalesOps> {
  const { catalog, sales } = counter;
  return {
    'counter.products': async (input) => ({ items: await catalog.searchProducts(input) }),
    'counter.productByBarcode': ({ barcode }) => catalog.byBarcode(barcode),
    'counter.quickKeys': () => catalog.quickKeys(),
    'counter.createProduct': (input, ctx) => catalog.createProduct(actorOf(ctx), input),
    'counter.updateProduct': ({ productId, ...patch }, ctx) => catalog.updateProduct(actorOf(ctx), productId, patch),
    'counter.deactivateProduct': ({ productId }, ctx) => catalog.updateProduct(actorOf(ctx), productId, { active: false }, 'product.deactivate'),

    'counter.customers': async ({ query, limit }) => ({ items: await catalog.searchCustomers(query, limit) }),
    'counter.createCustomer': (input, ctx) => {
      assertMayChangeCreditLimit(ctx, input.creditLimitMinor);
      return catalog.createCustomer(actorOf(ctx), input);
    },
    'counter.updateCustomer': ({ customerId, ...patch }, ctx) => {
      assertMayChangeCreditLimit(ctx, patch.creditLimitMinor);
      return catalog.updateCustomer(actorOf(ctx), customerId, patch);
    },

    'counter.finalise': (input, ctx) => sales.finalise(ctx, input),
    'counter.park': (input, ctx) => sales.park(ctx, input),
    'counter.parked': () => sales.parked(),
    'counter.resume': ({ saleId, keep }, ctx) => sales.resume(ctx, saleId, keep),
    'counter.discardParked': async ({ saleId }, ctx) => {
      await sales.discardParked(ctx, saleId);
      return { ok: true as const };
    },
    'counter.sales': (input) => sales.list(input),
    'counter.sale': ({ saleId }) => sales.detail(saleId),
    'counter.saleByNumber': ({ invoiceNumber }) => sales.byNumber(invoiceNumber),

    'counter.refund': (input, ctx) => refundSale(sales, ctx, input),

    'counter.receipt': async ({ saleId, creditNoteId, width }) => {
      const { doc } = await counter.document({ saleId, creditNoteId });
      const columns = COLUMNS[width];
      const lines = receiptLines(doc, columns);
      return { columns, text: lines.join('\n') + '\n', lines, document: doc };
    },
    'counter.invoicePdf': async ({ saleId, creditNoteId }) => {
      const { doc, shop } = await counter.document({ saleId, creditNoteId });
      const pdf = await renderInvoicePdf(doc, shop);
      return { fileName: invoiceFileName(doc), mimeType: 'application/pdf' as const, byteLength: pdf.length, base64: pdf.toString('base64') };
    },
  };
}
