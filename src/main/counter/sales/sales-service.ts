// Selling at the counter: finalise (gap-free invoice number per device, data rule 5),
// park and resume, the sales list, one sale with its refund state.
//
// The core recomputes every figure from the lines with the shared counter rules; what
// the UI showed is never trusted. Everything one finalise creates (the sale, the
// invoice counter, the customer-credit entry, the drawer entry) is planned in ONE
// write-path run, so it commits together or not at all: a refused or failed finalise
// consumes no number.
import { isManagerRole } from '@shared/auth/permissions';
import { ApiError } from '@shared/api/errors';
import type { OverrideInput } from '@shared/api/ops/auth';
import type { Cart, CartLine, CreditNote, DiscountInput, ParkedSale, PaymentInputDto, Sale, SaleSummary } from '@shared/api/ops/counter-sales';
import { CounterRuleError, amountText, computeSaleTotals, nextInvoiceNumber, refundState, settlePayments, taxBreakdownOf, type SaleTotals, type SeriesCounter } from '@shared/counter';
import { dayKey } from '@shared/dates';
import { newId } from '@shared/ids';
import { SHOP_PROFILE_ID, type CreditNoteDoc, type CustomerDoc, type DeviceDoc, type InvoiceCounterDoc, type SaleDoc, type SaleLine, type SalePayment, type ShopProfileDoc } from '@shared/schema';
import { actorOf } from '../../core/actor';
import type { CoreServices } from '../../core/core';
import type { CallContext } from '../../core/router';
import { requireManager, verifiedOverride, type ManagerOverrides } from '../../locks';
import type { WriteRequest, WriteTx } from '../../store/write-path';
import type { Catalog } from './catalog';
import { DescendingIndex, decodeCursor, encodeCursor, plain, type Position } from './desc-index';
import { rules, salePath, toApiError } from './rule-errors';


/** Input of counter.finalise (after zod). */
export interface FinaliseInput {
  saleId: string;
  lines: CartLine[];
  saleDiscount?: DiscountInput | undefined;
  payments: PaymentInputDto[];
  customerId?: string | undefined;
  note?: string | undefined;
  override?: OverrideInput | undefined;
}

export interface ParkInput {
  saleId: string;
  lines: CartLine[];
  saleDiscount?: DiscountInput | undefined;
  customerId?: string | undefined;
  label: string;
  note?: string | undefined;
}

function lineTaxBreakdown(lines: readonly { taxRateBp: number; taxMinor: number; totalMinor: number }[]) {
  return taxBreakdownOf(lines.map((l) => ({ taxRateBp: l.taxRateBp, taxableMinor: l.totalMinor - l.taxMinor, taxMinor: l.taxMinor, totalMinor: l.totalMinor })));
}

/** A sale document's lines from computed totals and the cart. */
function saleLines(lines: readonly CartLine[], totals: SaleTotals, skuOf: (i: number) => string): SaleLine[] {
  return totals.lines.map((t, i) => {
    const c = lines[i]!;
    const line: SaleLine = {
      lineId: String(i + 1),
      productId: c.productId ?? '',
      name: c.name,
      sku: skuOf(i),
      quantityMilli: t.quantityMilli,
      unitPriceMinor: t.unitPriceMinor,
      discountMinor: t.discountMinor,
      taxRateBp: t.taxRateBp,
      taxMinor: t.taxMinor,
      totalMinor: t.totalMinor,
    };
    if (c.note) line.note = c.note;
    return line;
  });
}

export class SalesService {
  private readonly byDay: DescendingIndex<SaleDoc>;
  private readonly byDevice: DescendingIndex<SaleDoc>;
  private readonly byStatus: DescendingIndex<SaleDoc>;
  private readonly bySeq: DescendingIndex<SaleDoc>;
  private readonly notesBySeq: DescendingIndex<CreditNoteDoc>;

  constructor(
    readonly core: CoreServices,
    private readonly overrides: ManagerOverrides,
    private readonly catalog: Catalog,
  ) {
    const { db, sqlite } = core.store;
    this.byDay = new DescendingIndex(sqlite, db.collections.sales as never, ['day'], 'createdAt');
    this.byDevice = new DescendingIndex(sqlite, db.collections.sales as never, ['deviceId'], 'createdAt');
    this.byStatus = new DescendingIndex(sqlite, db.collections.sales as never, ['status'], 'updatedAt');
    this.bySeq = new DescendingIndex(sqlite, db.collections.sales as never, ['deviceId'], 'invoiceSeq');
    this.notesBySeq = new DescendingIndex(sqlite, db.collections.creditNotes as never, ['deviceId'], 'seq');
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The write request of an action, carrying the manager's approval when one was given
   * (verified here, outside any write run: a wrong PIN is itself written).
   */
  async request(action: string, ctx: CallContext, override: OverrideInput | undefined, reason?: string): Promise<WriteRequest> {
    return this.overrides.apply({ action, actor: actorOf(ctx), ...(reason ? { reason } : {}) }, ctx, override);
  }

  async shopOf(tx: WriteTx): Promise<ShopProfileDoc> {
    const shop = await tx.get('shopProfile', SHOP_PROFILE_ID);
    if (!shop) throw new ApiError('CONFLICT', 'The shop is not set up yet: an admin must run the first-run setup (currency, tax, invoice prefix).');
    return shop;
  }

  async deviceOf(tx: WriteTx): Promise<DeviceDoc> {
    const device = await tx.get('devices', this.core.deviceId);
    if (!device) throw new ApiError('CONFLICT', 'This device is not registered with the shop yet, so it has no invoice series. An admin must set it up first.');
    if (device.revokedAt) throw new ApiError('FORBIDDEN', `This device (${device.name}) has been revoked and cannot number sales.`);
    return device;
  }

  /** The close of this register's day, if any (the lock rule refuses the write too; this gives the counter's message first). */
  async assertDayOpen(day: string, what: string): Promise<void> {
    const close = await this.core.store.db.collections.dayCloses.findOne({ selector: { deviceId: this.core.deviceId, day } }).exec();
    if (close) {
      throw new ApiError(
        'LOCKED',
        `The day ${day} is already closed on this register (Z report done), so ${what}. Nothing was saved and the cart is kept. A manager can reopen trading only by starting a new day.`,
      );
    }
  }

  /** The device's numbering state; rebuilt from the stored documents if the counter document is missing. */
  async counterOf(tx: WriteTx): Promise<{ counter: SeriesCounter; exists: boolean }> {
    const doc = await tx.get('invoiceCounters', this.core.deviceId);
    if (doc) return { counter: { lastInvoiceSeq: doc.lastInvoiceSeq, lastCreditNoteSeq: doc.lastCreditNoteSeq }, exists: true };
    const lastSale = this.bySeq.page([this.core.deviceId], { limit: 1, accept: (s) => s.status === 'finalised' }).items[0];
    const lastNote = this.notesBySeq.page([this.core.deviceId], { limit: 1 }).items[0];
    return { counter: { lastInvoiceSeq: lastSale?.invoiceSeq ?? 0, lastCreditNoteSeq: lastNote?.seq ?? 0 }, exists: false };
  }

  async writeCounter(tx: WriteTx, exists: boolean, counter: SeriesCounter): Promise<void> {
    if (exists) await tx.update('invoiceCounters', this.core.deviceId, { lastInvoiceSeq: counter.lastInvoiceSeq, lastCreditNoteSeq: counter.lastCreditNoteSeq });
    else {
      const doc: Omit<InvoiceCounterDoc, 'createdAt' | 'updatedAt'> = { id: this.core.deviceId, deviceId: this.core.deviceId, ...counter };
      await tx.insert('invoiceCounters', doc);
    }
  }

  /** What the customer owes now (sum of the ledger). */
  async balanceOf(customerId: string): Promise<number> {
    const entries = await this.core.store.db.collections.customerCreditEntries.find({ selector: { customerId } }).exec();
    return entries.reduce((s, e) => s + e.amountMinor, 0);
  }

  async names(userIds: Iterable<string>): Promise<Map<string, string>> {
    const ids = [...new Set(userIds)].filter(Boolean);
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const docs = await this.core.store.db.collections.users.findByIds(ids).exec();
    for (const [id, d] of docs) out.set(id, d.name);
    return out;
  }

  async customerName(customerId: string): Promise<string> {
    if (!customerId) return '';
    return (await this.catalog.customers.get(customerId))?.name ?? '';
  }

  async toSale(doc: SaleDoc): Promise<Sale> {
    const names = await this.names([doc.cashierId]);
    return this.saleView(doc, names.get(doc.cashierId) ?? '', await this.customerName(doc.customerId));
  }

  saleView(doc: SaleDoc, cashierName: string, customerName: string): Sale {
    const d = plain<SaleDoc>(doc as unknown as Record<string, unknown>);
    const out: Sale = {
      id: d.id,
      status: d.status,
      deviceId: d.deviceId,
      registerId: d.registerId,
      cashierId: d.cashierId,
      cashierName,
      customerId: d.customerId,
      customerName,
      currency: d.currency,
      taxMode: d.taxMode,
      lines: d.lines,
      payments: d.payments,
      subtotalMinor: d.subtotalMinor,
      discountMinor: d.discountMinor,
      taxMinor: d.taxMinor,
      roundingMinor: d.roundingMinor,
      totalMinor: d.totalMinor,
      changeDueMinor: d.changeDueMinor,
      taxBreakdown: lineTaxBreakdown(d.lines),
      invoiceNumber: d.invoiceNumber,
      invoiceSeq: d.invoiceSeq,
      day: d.day,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
    if (d.finalisedAt !== undefined) out.finalisedAt = d.finalisedAt;
    if (d.parkedLabel) out.parkedLabel = d.parkedLabel;
    if (d.note) out.note = d.note;
    return out;
  }

  async saleDoc(saleId: string): Promise<SaleDoc | null> {
    const doc = await this.core.store.db.collections.sales.findOne(saleId).exec();
    return doc ? (doc.toMutableJSON() as SaleDoc) : null;
  }

  /** Customer of a sale or cart: must exist. */
  async customerFor(tx: WriteTx, customerId: string | undefined): Promise<CustomerDoc | null> {
    if (!customerId) return null;
    const customer = await tx.get('customers', customerId);
    if (!customer) throw new ApiError('VALIDATION', 'That customer is not in the customer list (deleted on another device?). Choose the customer again.', [{ path: 'customerId', message: 'Unknown customer.' }]);
    return customer;
  }

  /** Totals of a cart with the shop's currency, tax mode and rounding. */
  totalsOf(shop: ShopProfileDoc, lines: readonly CartLine[], saleDiscount: DiscountInput | undefined): SaleTotals {
    return rules(() =>
      computeSaleTotals({
        currency: shop.currency,
        taxMode: shop.taxMode,
        lines: lines.map((l) => ({ quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor, taxRateBp: l.taxRateBp, name: l.name, ...(l.discount ? { discount: l.discount } : {}) })),
        ...(saleDiscount ? { saleDiscount } : {}),
        cashRoundingIncrementMinor: shop.cashRoundingMinor > 1 ? shop.cashRoundingMinor : 0,
      }),
    );
  }

  // ------------------------------------------------------------------ finalise

  async finalise(ctx: CallContext, input: FinaliseInput): Promise<{ sale: Sale; alreadyFinalised: boolean }> {
    actorOf(ctx);
    // A retry after a dropped connection that carried a manager's sign-off: answer at
    // once, without checking the PIN again (without one, the run below answers it).
    if (input.override) {
      const earlier = await this.saleDoc(input.saleId);
      if (earlier?.status === 'finalised') return { sale: await this.toSale(earlier), alreadyFinalised: true };
    }

    const request = await this.request('sale.finalise', ctx, input.override);
    let alreadyFinalised = false;
    const doc = await this.core.writes.run(request, async (tx) => {
      const current = await tx.get('sales', input.saleId);
      if (current?.status === 'finalised') {
        alreadyFinalised = true;
        return current;
      }
      const shop = await this.shopOf(tx);
      const device = await this.deviceOf(tx);
      const day = dayKey(tx.now, shop.timezone);
      await this.assertDayOpen(day, 'no more sales can be finalised today');
      const customer = await this.customerFor(tx, input.customerId);

      // Catalogue lines: the product must exist and be on sale, at the catalogue's tax
      // rate; a price different from the catalogue's needs a manager.
      const skus: string[] = [];
      for (const [i, line] of input.lines.entries()) {
        skus.push(line.sku ?? '');
        if (!line.productId) continue;
        const product = await tx.get('products', line.productId);
        const label = `Line ${i + 1} (${line.name})`;
        if (!product) {
          throw new ApiError('VALIDATION', `${label}: this product is not in the catalogue (deleted on another device?). Remove the line and scan or search for it again.`, [
            { path: `lines.${i}.productId`, message: 'Unknown product.' },
          ]);
        }
        if (!product.active) {
          throw new ApiError('VALIDATION', `${label}: ${product.name} is no longer sold (deactivated in the catalogue). Remove the line or ask a manager.`, [
            { path: `lines.${i}.productId`, message: 'Product is not active.' },
          ]);
        }
        if (line.taxRateBp !== product.taxRateBp) {
          throw new ApiError(
            'VALIDATION',
            `${label}: the catalogue's tax rate for ${product.name} is ${product.taxRateBp / 100}%, not ${line.taxRateBp / 100}%. Remove the line and add it again.`,
            [{ path: `lines.${i}.taxRateBp`, message: 'Does not match the catalogue.' }],
          );
        }
        skus[i] = product.sku;
      }
      const totals = this.totalsOf(shop, input.lines, input.saleDiscount);

      for (const [i, line] of input.lines.entries()) {
        if (!line.productId) continue;
        const product = (await tx.get('products', line.productId))!;
        if (line.unitPriceMinor !== product.priceMinor) {
          requireManager(
            ctx,
            request,
            `Line ${i + 1} (${line.name}): the price was changed from the catalogue's ${money(product.priceMinor, shop.currency)} to ${money(line.unitPriceMinor, shop.currency)}.`,
          );
        }
      }
      const limitBp = shop.discountLimitBp;
      for (const t of totals.lines) {
        if (t.discountMinor > 0 && t.discountMinor * 10_000 > t.subtotalMinor * limitBp) {
          const line = input.lines[t.index]!;
          const pct = t.subtotalMinor > 0 ? Math.round((t.discountMinor * 10_000) / t.subtotalMinor) / 100 : 100;
          requireManager(ctx, request, `Line ${t.index + 1} (${line.name}): a discount of ${pct}% is over the ${limitBp / 100}% a cashier may give.`);
        }
      }

      // Payments: cover the total; credit needs a customer and fits the credit limit.
      const hasCredit = input.payments.some((p) => p.method === 'customer_credit');
      let balance = 0;
      let available: number | undefined;
      if (hasCredit && customer) {
        balance = await this.balanceOf(customer.id);
        const managerOk = !!verifiedOverride(request) || (ctx.session && isManagerRole(ctx.session.role));
        if (!managerOk) available = (customer.creditLimitMinor ?? 0) - balance;
      }
      let settled;
      try {
        settled = settlePayments({
          currency: shop.currency,
          totalMinor: totals.totalMinor,
          payments: input.payments.map((p) => ({ method: p.method, amountMinor: p.amountMinor, ...(p.reference ? { reference: p.reference } : {}) })),
          customerId: customer?.id ?? '',
          ...(available !== undefined ? { creditAvailableMinor: available } : {}),
        });
      } catch (e) {
        if (e instanceof CounterRuleError && e.code === 'credit_over_limit') {
          requireManager(ctx, request, customer?.creditLimitMinor === undefined ? `${customer?.name ?? 'This customer'} has no credit limit set, so buying on credit needs a manager.` : e.message);
        }
        if (e instanceof CounterRuleError) throw toApiError(e, salePath);
        throw e;
      }

      const { counter, exists } = await this.counterOf(tx);
      const next = rules(() => nextInvoiceNumber({ prefix: shop.invoicePrefix, deviceCode: device.code }, counter));
      await this.writeCounter(tx, exists, next.counter);

      const actor = actorOf(ctx);
      const registerId = device.registerId || device.id;
      const payments: SalePayment[] = settled.payments.map((p) => {
        const out: SalePayment = { method: p.method, amountMinor: p.amountMinor };
        if (p.tenderedMinor !== undefined) out.tenderedMinor = p.tenderedMinor;
        if (p.reference) out.reference = p.reference;
        return out;
      });
      if (settled.customerCreditMinor > 0 && customer) {
        const entryId = newId();
        for (const p of payments) if (p.method === 'customer_credit') p.creditEntryId = entryId;
        await tx.insert('customerCreditEntries', {
          id: entryId,
          customerId: customer.id,
          kind: 'sale',
          amountMinor: settled.customerCreditMinor,
          currency: shop.currency,
          saleId: input.saleId,
          note: `Invoice ${next.number}`,
          balanceAfterMinor: balance + settled.customerCreditMinor,
          day,
          deviceId: this.core.deviceId,
          createdBy: actor.userId,
        });
      }
      if (settled.byMethod.cash > 0) {
        await tx.insert('drawerMovements', {
          id: newId(),
          deviceId: this.core.deviceId,
          registerId,
          day,
          kind: 'sale_cash',
          amountMinor: settled.byMethod.cash,
          currency: shop.currency,
          reason: `Invoice ${next.number}`,
          saleId: input.saleId,
          createdBy: actor.userId,
        });
      }

      const sale: SaleDoc = {
        id: input.saleId,
        // A resumed parked sale takes the time it was finalised: the list is newest first.
        createdAt: tx.now,
        updatedAt: tx.now,
        deviceId: this.core.deviceId,
        registerId,
        cashierId: actor.userId,
        customerId: customer?.id ?? '',
        status: 'finalised',
        currency: shop.currency,
        taxMode: shop.taxMode,
        lines: saleLines(input.lines, totals, (i) => skus[i] ?? ''),
        payments,
        subtotalMinor: totals.subtotalMinor,
        discountMinor: totals.discountMinor,
        taxMinor: totals.taxMinor,
        roundingMinor: totals.roundingMinor,
        totalMinor: totals.totalMinor,
        changeDueMinor: settled.changeDueMinor,
        invoiceNumber: next.number,
        invoiceSeq: next.seq,
        day,
        finalisedAt: tx.now,
      };
      if (input.note) sale.note = input.note;
      if (current) return tx.update('sales', sale.id, () => sale);
      return tx.insert('sales', sale);
    });
    return { sale: await this.toSale(doc), alreadyFinalised };
  }

  // ------------------------------------------------------------------ park and resume

  parkedView(doc: SaleDoc, cashierName: string, customerName: string): ParkedSale {
    return {
      id: doc.id,
      label: doc.parkedLabel ?? '',
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
      cashierId: doc.cashierId,
      cashierName,
      customerId: doc.customerId,
      customerName,
      currency: doc.currency,
      lineCount: doc.lines.length,
      totalMinor: doc.totalMinor,
    };
  }

  async park(ctx: CallContext, input: ParkInput): Promise<ParkedSale> {
    const actor = actorOf(ctx);
    const doc = await this.core.writes.run({ action: 'sale.park', actor }, async (tx) => {
      const current = await tx.get('sales', input.saleId);
      if (current?.status === 'finalised') throw new ApiError('CONFLICT', `This sale is already finalised as ${current.invoiceNumber}; it cannot be parked.`);
      const shop = await this.shopOf(tx);
      const device = await this.deviceOf(tx);
      const day = dayKey(tx.now, shop.timezone);
      await this.assertDayOpen(day, 'no sale can be parked today');
      const customer = await this.customerFor(tx, input.customerId);
      const totals = this.totalsOf(shop, input.lines, input.saleDiscount);
      const sale: SaleDoc = {
        id: input.saleId,
        createdAt: current?.createdAt ?? tx.now,
        updatedAt: tx.now,
        deviceId: this.core.deviceId,
        registerId: device.registerId || device.id,
        cashierId: actor.userId,
        customerId: customer?.id ?? '',
        status: 'parked',
        currency: shop.currency,
        taxMode: shop.taxMode,
        lines: saleLines(input.lines, totals, (i) => input.lines[i]!.sku ?? ''),
        payments: [],
        subtotalMinor: totals.subtotalMinor,
        discountMinor: totals.discountMinor,
        taxMinor: totals.taxMinor,
        roundingMinor: totals.roundingMinor,
        totalMinor: totals.totalMinor,
        changeDueMinor: 0,
        invoiceNumber: '',
        invoiceSeq: 0,
        day,
        parkedLabel: input.label || `${input.lines[0]!.name}${input.lines.length > 1 ? ` +${input.lines.length - 1}` : ''}`.slice(0, 100),
      };
      if (input.note) sale.note = input.note;
      if (current) return tx.update('sales', sale.id, () => sale);
      return tx.insert('sales', sale);
    });
    return this.parkedView(doc, actor.name, await this.customerName(doc.customerId));
  }

  async parked(): Promise<ParkedSale[]> {
    const docs = await this.core.store.db.collections.sales.find({ selector: { status: 'parked' }, sort: [{ updatedAt: 'asc' }] }).exec();
    const mine = docs.map((d) => d.toMutableJSON() as SaleDoc).filter((d) => d.deviceId === this.core.deviceId);
    const names = await this.names(mine.map((d) => d.cashierId));
    return Promise.all(mine.map(async (d) => this.parkedView(d, names.get(d.cashierId) ?? '', await this.customerName(d.customerId))));
  }

  async resume(ctx: CallContext, saleId: string, keep: boolean): Promise<Cart> {
    const actor = actorOf(ctx);
    const doc = await this.core.writes.run({ action: 'sale.resume', actor }, async (tx) => {
      const current = await tx.get('sales', saleId);
      if (!current) throw new ApiError('NOT_FOUND', 'This parked sale is gone: it was finalised or discarded on another screen.');
      if (current.status === 'finalised') throw new ApiError('CONFLICT', `This sale was already finalised as ${current.invoiceNumber}.`);
      if (!keep) await tx.remove('sales', saleId);
      return current;
    });
    // Line discounts come back as amounts: each stored line discount already includes
    // its share of the sale discount, so the totals are exactly those parked.
    const lines: CartLine[] = doc.lines.map((l) => {
      const line: CartLine = { name: l.name, quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor, taxRateBp: l.taxRateBp };
      if (l.productId) line.productId = l.productId;
      if (l.sku) line.sku = l.sku;
      if (l.discountMinor > 0) line.discount = { kind: 'amount', amountMinor: l.discountMinor };
      if (l.note) line.note = l.note;
      return line;
    });
    return {
      saleId: doc.id,
      lines,
      customerId: doc.customerId,
      customerName: await this.customerName(doc.customerId),
      label: doc.parkedLabel ?? '',
      note: doc.note ?? '',
      totalMinor: doc.totalMinor,
      currency: doc.currency,
    };
  }

  async discardParked(ctx: CallContext, saleId: string): Promise<void> {
    await this.core.writes.run({ action: 'sale.discardParked', actor: actorOf(ctx) }, async (tx) => {
      const current = await tx.get('sales', saleId);
      if (!current) return;
      if (current.status === 'finalised') throw new ApiError('LOCKED', `Sale ${current.invoiceNumber} is finalised; refund or void it instead.`);
      await tx.remove('sales', saleId);
    });
  }

  // ------------------------------------------------------------------ reading

  async list(input: { day?: string | undefined; deviceId?: string | undefined; cursor?: string | undefined; limit: number }): Promise<{ items: SaleSummary[]; nextCursor: string | null }> {
    let after: Position | null = null;
    if (input.cursor) {
      after = decodeCursor(input.cursor);
      if (!after) throw new ApiError('VALIDATION', 'That page of the sales list has expired; start again from the top.', [{ path: 'cursor', message: 'Invalid cursor.' }]);
    }
    const all = input.deviceId === 'all';
    const deviceId = all ? '' : input.deviceId || this.core.deviceId;
    const finalised = (s: SaleDoc) => s.status === 'finalised';
    let page: { items: SaleDoc[]; next: Position | null };
    if (input.day) {
      page = this.byDay.page([input.day], { limit: input.limit, after, accept: all ? finalised : (s) => finalised(s) && s.deviceId === deviceId });
    } else if (all) {
      page = this.byStatus.page(['finalised'], { limit: input.limit, after });
    } else {
      page = this.byDevice.page([deviceId], { limit: input.limit, after, accept: finalised });
    }
    const names = await this.names(page.items.map((s) => s.cashierId));
    const items = await Promise.all(
      page.items.map(async (s) => ({
        id: s.id,
        invoiceNumber: s.invoiceNumber,
        invoiceSeq: s.invoiceSeq,
        day: s.day,
        createdAt: s.createdAt,
        deviceId: s.deviceId,
        cashierId: s.cashierId,
        cashierName: names.get(s.cashierId) ?? '',
        customerId: s.customerId,
        customerName: await this.customerName(s.customerId),
        currency: s.currency,
        totalMinor: s.totalMinor,
        taxMinor: s.taxMinor,
        lineCount: s.lines.length,
        methods: [...new Set(s.payments.map((p) => p.method))],
      })),
    );
    return { items, nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  async creditNotesOf(saleId: string): Promise<CreditNoteDoc[]> {
    const docs = await this.core.store.db.collections.creditNotes.find({ selector: { saleId } }).exec();
    return docs.map((d) => d.toMutableJSON() as CreditNoteDoc).sort((a, b) => a.seq - b.seq || a.createdAt - b.createdAt);
  }

  creditNoteView(doc: CreditNoteDoc, cashierName: string): CreditNote {
    const d = plain<CreditNoteDoc>(doc as unknown as Record<string, unknown>);
    return {
      id: d.id,
      kind: d.kind,
      number: d.number,
      seq: d.seq,
      saleId: d.saleId,
      saleInvoiceNumber: d.saleInvoiceNumber,
      deviceId: d.deviceId,
      cashierId: d.cashierId,
      cashierName,
      customerId: d.customerId,
      currency: d.currency,
      taxMode: d.taxMode,
      lines: d.lines.map((l) => ({ ...l, restock: l.restock ?? false })),
      refunds: d.refunds,
      subtotalMinor: d.subtotalMinor,
      discountMinor: d.discountMinor,
      taxMinor: d.taxMinor,
      roundingMinor: d.roundingMinor,
      totalMinor: d.totalMinor,
      taxBreakdown: lineTaxBreakdown(d.lines),
      reason: d.reason,
      approvedBy: d.approvedBy ?? '',
      day: d.day,
      createdAt: d.createdAt,
    };
  }

  async detail(saleId: string) {
    const doc = await this.saleDoc(saleId);
    if (!doc) throw new ApiError('NOT_FOUND', 'No such sale.');
    const notes = await this.creditNotesOf(saleId);
    const names = await this.names([doc.cashierId, ...notes.map((n) => n.cashierId)]);
    const sale = this.saleView(doc, names.get(doc.cashierId) ?? '', await this.customerName(doc.customerId));
    const states =
      doc.status === 'finalised'
        ? rules(() => refundState({ currency: doc.currency, taxMode: doc.taxMode, lines: doc.lines, roundingMinor: doc.roundingMinor }, notes))
        : doc.lines.map((l, i) => ({ lineIndex: i, saleLineId: l.lineId, soldMilli: l.quantityMilli, refundedMilli: 0, remainingMilli: l.quantityMilli }));
    return {
      sale,
      creditNotes: notes.map((n) => this.creditNoteView(n, names.get(n.cashierId) ?? '')),
      lines: states.map((s) => ({ lineIndex: s.lineIndex, lineId: s.saleLineId, soldMilli: s.soldMilli, refundedMilli: s.refundedMilli, remainingMilli: s.remainingMilli })),
      refundedMinor: notes.reduce((sum, n) => sum + n.totalMinor, 0),
      fullyRefunded: doc.status === 'finalised' && states.every((s) => s.remainingMilli === 0),
    };
  }

  async byNumber(invoiceNumber: string): Promise<Sale> {
    const doc = await this.core.store.db.collections.sales.findOne({ selector: { invoiceNumber: invoiceNumber.trim().toUpperCase() } }).exec();
    if (!doc) throw new ApiError('NOT_FOUND', `No sale with invoice number ${invoiceNumber.trim()}.`);
    return this.toSale(doc.toMutableJSON() as SaleDoc);
  }
}

function money(minor: number, currency: string): string {
  return amountText(minor, currency);
}
