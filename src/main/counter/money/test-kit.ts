// Test helper for the money side of the counter: a real core on a temporary folder with
// the shop set up, and fixtures that write sales and credit notes the way the selling
// side does (the sale document, its sale_cash / refund_cash drawer entry, a credit
// ledger entry for a credit payment), so these tests do not depend on the selling code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import type { Role } from '@shared/auth/permissions';
import { dayKey } from '@shared/dates';
import { newId } from '@shared/ids';
import { lineAmountMinor, taxInclusive } from '@shared/money';
import type { CreditNoteDoc, SaleDoc } from '@shared/schema';
import type { PaymentMethod } from '@shared/schema/fields';
import { startCore, type Core } from '../../core/core';
import { silentLogger } from '../../core/log';
import type { CallContext } from '../../core/router';
import { SETUP } from '../../people/test-core';
import { counterMoneyOf, type CounterMoney } from './index';

export { SETUP };

export interface LineSpec {
  productId?: string;
  name: string;
  quantityMilli?: number;
  unitPriceMinor: number;
  discountMinor?: number;
  taxRateBp?: number;
}

export interface MoneyKit {
  core: Core;
  dir: string;
  owner: CallContext;
  ownerId: string;
  money(): CounterMoney;
  ctx(role: Role, userId?: string): CallContext;
  call<K extends OpName>(op: K, input: OpInput<K>, ctx?: CallContext): Promise<OpOutput<K>>;
  fail<K extends OpName>(op: K, input: OpInput<K>, ctx?: CallContext): Promise<{ code: string; message: string }>;
  today(): string;
  /** A finalised sale (tax inclusive) with its drawer and credit entries. */
  sale(spec: { lines: LineSpec[]; payments: { method: PaymentMethod; amountMinor: number }[]; customerId?: string; at?: number; status?: SaleDoc['status'] }): Promise<SaleDoc>;
  /** A refund of some lines of a sale, with its refund_cash drawer entry. */
  refund(sale: SaleDoc, lineIndexes: number[], refunds: { method: PaymentMethod; amountMinor: number }[], at?: number): Promise<CreditNoteDoc>;
  customer(name: string, phone?: string, optOut?: boolean): Promise<string>;
  /** A credit-sale ledger entry as the selling side writes it. */
  creditSale(customerId: string, amountMinor: number, day: string, at?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startMoneyKit(options: { timezone?: string } = {}): Promise<MoneyKit> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-money-'));
  const core = await startCore({ dataDir: dir, appVersion: '0.0.0-test', host: 'test', logger: silentLogger });
  let n = 0;
  let seq = 0;
  let cnSeq = 0;
  const tz = options.timezone ?? SETUP.timezone;
  const kit: MoneyKit = {
    core,
    dir,
    owner: { connectionId: 'owner', host: 'test', session: null },
    ownerId: '',
    money: () => counterMoneyOf(core),
    ctx: (role, userId = `user-${role}`) => ({ connectionId: `m-${++n}`, host: 'test', session: { userId, name: `${role} person`, role } }),
    async call(op, input, c = kit.owner) {
      const result = await core.router.call(op, input, c);
      if (!result.ok) throw Object.assign(new Error(`${op}: ${result.error.code} ${result.error.message}`), result.error);
      return result.output as never;
    },
    async fail(op, input, c = kit.owner) {
      const result = await core.router.call(op, input, c);
      if (result.ok) throw new Error(`${op} was expected to fail but returned ${JSON.stringify(result.output).slice(0, 300)}`);
      return result.error;
    },
    today: () => dayKey(Date.now(), tz),
    async sale(spec) {
      const at = spec.at ?? Date.now();
      const lines = spec.lines.map((l, i) => {
        const q = l.quantityMilli ?? 1000;
        const gross = lineAmountMinor(l.unitPriceMinor, q);
        const total = gross - (l.discountMinor ?? 0);
        const rate = l.taxRateBp ?? 1600;
        return {
          lineId: String(i + 1),
          productId: l.productId ?? '',
          name: l.name,
          sku: '',
          quantityMilli: q,
          unitPriceMinor: l.unitPriceMinor,
          discountMinor: l.discountMinor ?? 0,
          taxRateBp: rate,
          taxMinor: taxInclusive(total, rate),
          totalMinor: total,
        };
      });
      const total = lines.reduce((s, l) => s + l.totalMinor, 0);
      const paid = spec.payments.reduce((s, p) => s + p.amountMinor, 0);
      if (paid !== total) throw new Error(`fixture: payments ${paid} != total ${total}`);
      const status = spec.status ?? 'finalised';
      const finalised = status === 'finalised';
      const thisSeq = finalised ? ++seq : 0;
      const day = dayKey(at, tz);
      const id = newId();
      const sale: SaleDoc = {
        id,
        createdAt: at,
        updatedAt: at,
        deviceId: core.deviceId,
        registerId: core.deviceId,
        cashierId: 'user-cashier',
        customerId: spec.customerId ?? '',
        status,
        currency: 'KES',
        taxMode: 'inclusive',
        lines,
        payments: spec.payments.map((p) => ({ ...p })),
        subtotalMinor: lines.reduce((s, l) => s + lineAmountMinor(l.unitPriceMinor, l.quantityMilli), 0),
        discountMinor: lines.reduce((s, l) => s + l.discountMinor, 0),
        taxMinor: lines.reduce((s, l) => s + l.taxMinor, 0),
        roundingMinor: 0,
        totalMinor: total,
        changeDueMinor: 0,
        invoiceNumber: finalised ? `CS-A1-${String(thisSeq).padStart(6, '0')}` : '',
        invoiceSeq: thisSeq,
        day,
        ...(finalised ? { finalisedAt: at } : {}),
      };
      await core.writes.run({ action: 'test.sale', actor: { userId: 'user-cashier', name: 'cashier' } }, async (tx) => {
        await tx.insert('sales', sale);
        if (!finalised) return;
        const cash = spec.payments.filter((p) => p.method === 'cash').reduce((s, p) => s + p.amountMinor, 0);
        if (cash > 0) {
          await tx.insert('drawerMovements', { id: newId(), deviceId: core.deviceId, registerId: core.deviceId, day, kind: 'sale_cash', amountMinor: cash, currency: 'KES', saleId: id, createdBy: 'user-cashier' });
        }
        const credit = spec.payments.filter((p) => p.method === 'customer_credit').reduce((s, p) => s + p.amountMinor, 0);
        if (credit > 0 && spec.customerId) {
          await tx.insert('customerCreditEntries', { id: newId(), customerId: spec.customerId, kind: 'sale', amountMinor: credit, currency: 'KES', saleId: id, day, deviceId: core.deviceId, createdBy: 'user-cashier' });
        }
      });
      return sale;
    },
    async refund(sale, lineIndexes, refunds, at = Date.now()) {
      const lines = lineIndexes.map((i) => {
        const l = sale.lines[i]!;
        return { saleLineId: l.lineId, productId: l.productId, name: l.name, sku: l.sku, quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor, discountMinor: l.discountMinor, taxRateBp: l.taxRateBp, taxMinor: l.taxMinor, totalMinor: l.totalMinor };
      });
      const total = lines.reduce((s, l) => s + l.totalMinor, 0);
      if (refunds.reduce((s, r) => s + r.amountMinor, 0) !== total) throw new Error('fixture: refunds must add up to the refunded lines');
      const day = dayKey(at, tz);
      const id = newId();
      const s = ++cnSeq;
      const note: CreditNoteDoc = {
        id,
        createdAt: at,
        updatedAt: at,
        kind: 'refund',
        saleId: sale.id,
        saleInvoiceNumber: sale.invoiceNumber,
        deviceId: core.deviceId,
        registerId: core.deviceId,
        cashierId: 'user-cashier',
        customerId: sale.customerId,
        currency: 'KES',
        taxMode: 'inclusive',
        lines,
        refunds: refunds.map((r) => ({ ...r })),
        subtotalMinor: lines.reduce((a, l) => a + lineAmountMinor(l.unitPriceMinor, l.quantityMilli), 0),
        discountMinor: lines.reduce((a, l) => a + l.discountMinor, 0),
        taxMinor: lines.reduce((a, l) => a + l.taxMinor, 0),
        roundingMinor: 0,
        totalMinor: total,
        reason: 'Customer returned it',
        number: `CS-CN-A1-${String(s).padStart(6, '0')}`,
        seq: s,
        day,
      };
      await core.writes.run({ action: 'test.refund', actor: { userId: 'user-cashier', name: 'cashier' } }, async (tx) => {
        await tx.insert('creditNotes', note);
        const cash = refunds.filter((r) => r.method === 'cash').reduce((a, r) => a + r.amountMinor, 0);
        if (cash > 0) {
          await tx.insert('drawerMovements', { id: newId(), deviceId: core.deviceId, registerId: core.deviceId, day, kind: 'refund_cash', amountMinor: -cash, currency: 'KES', creditNoteId: id, createdBy: 'user-cashier' });
        }
      });
      return note;
    },
    async customer(name, phone = '', optOut = false) {
      const id = newId();
      await core.writes.run({ action: 'test.customer', actor: { userId: 'user-cashier', name: 'cashier' } }, (tx) =>
        tx.insert('customers', { id, name, phone, reminderOptOut: optOut, reminderCount: 0 }),
      );
      return id;
    },
    async creditSale(customerId, amountMinor, day, at = Date.now()) {
      const id = newId();
      await core.writes.run({ action: 'test.creditSale', actor: { userId: 'user-cashier', name: 'cashier' } }, (tx) =>
        tx.insert('customerCreditEntries', { id, createdAt: at, customerId, kind: 'sale', amountMinor, currency: 'KES', saleId: newId(), day, deviceId: core.deviceId, createdBy: 'user-cashier' }),
      );
      return id;
    },
    async close() {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const session = await kit.call('auth.setup', { ...SETUP, timezone: tz }, kit.owner);
  kit.ownerId = session.userId;
  return kit;
}
