// Customer credit: repayments and reversals as ledger entries (customerCreditEntries is
// append-only; the balance is the sum of the entries), who owes and since when,
// statements, and reminders (a prepared text and WhatsApp link; every attempt logged).
//
// Repaying more than is owed: refused unless the cashier marks the payment as an
// advance. Taking extra money by mistake is the common error at a counter, and an
// overpayment silently turned into credit would hide it; a deliberate advance (a
// customer leaving a deposit) is allowed and leaves a negative balance, which the next
// credit sale uses up.
import { ApiError } from '@shared/api/errors';
import type { CreditEntry, OwingCustomer } from '@shared/api/ops/counter-money';
import { amountText, buildCreditReminder } from '@shared/counter';
import { daysBetween } from '@shared/dates';
import { newId } from '@shared/ids';
import type { CustomerCreditEntryDoc, CustomerDoc, DrawerMovementDoc, ReminderLogDoc } from '@shared/schema';
import { actorOf } from '../../core/actor';
import type { CallContext } from '../../core/router';
import type { WriteTx } from '../../store/write-path';
import { rule, type MoneyContext } from './context';
import type { CreditTable } from './credit-table';

/** Country calling code for national phone numbers (0...), by shop currency. */
const CALLING_CODES: Record<string, string> = {
  KES: '254', UGX: '256', TZS: '255', RWF: '250', ETB: '251', NGN: '234', GHS: '233', ZAR: '27', ZMW: '260', MWK: '265',
  INR: '91', PKR: '92', GBP: '44', USD: '1', CAD: '1', AUD: '61', NZD: '64', EGP: '20', MAD: '212', XOF: '221',
};

export function toEntry(e: CustomerCreditEntryDoc, reversedBy = ''): CreditEntry {
  return {
    id: e.id,
    customerId: e.customerId,
    kind: e.kind,
    amountMinor: e.amountMinor,
    currency: e.currency,
    saleId: e.saleId,
    reversesId: e.reversesId ?? '',
    reversedBy,
    paymentMethod: e.paymentMethod ?? '',
    reference: e.reference ?? '',
    note: e.note ?? '',
    balanceAfterMinor: e.balanceAfterMinor ?? null,
    day: e.day,
    deviceId: e.deviceId,
    createdBy: e.createdBy ?? '',
    createdAt: e.createdAt,
  };
}

export class CreditService {
  constructor(
    private readonly m: MoneyContext,
    private readonly table: CreditTable,
  ) {}

  private async customer(customerId: string): Promise<CustomerDoc> {
    const c = await this.m.core.store.db.collections.customers.findOne(customerId).exec();
    if (!c) throw new ApiError('NOT_FOUND', 'That customer does not exist.', [{ path: 'customerId', message: 'Unknown customer.' }]);
    return c.toJSON() as CustomerDoc;
  }

  async repayment(
    ctx: CallContext,
    input: { customerId: string; amountMinor: number; method: 'cash' | 'card' | 'mobile_money'; reference?: string | undefined; note?: string | undefined; advance: boolean },
  ) {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    const registerId = await this.m.registerId();
    const actor = actorOf(ctx);
    return this.m.core.writes.run({ action: 'credit.repayment', actor }, async (tx) => {
      const customer = await tx.get('customers', input.customerId);
      if (!customer) throw new ApiError('NOT_FOUND', 'That customer does not exist.', [{ path: 'customerId', message: 'Unknown customer.' }]);
      const owed = this.table.summarise(input.customerId).balance;
      const amt = (n: number) => amountText(n, shop.currency);
      if (!input.advance) {
        if (owed <= 0) {
          throw new ApiError(
            'VALIDATION',
            `${customer.name} owes nothing${owed < 0 ? ` (${amt(-owed)} is already paid in advance)` : ''}. To take money in advance, mark the payment as an advance.`,
            [{ path: 'amountMinor', message: 'Nothing is owed.' }],
          );
        }
        if (input.amountMinor > owed) {
          throw new ApiError(
            'VALIDATION',
            `${customer.name} owes ${amt(owed)}; ${amt(input.amountMinor)} is more than that. Take ${amt(owed)}, or mark the payment as an advance to keep the extra ${amt(input.amountMinor - owed)} as credit.`,
            [{ path: 'amountMinor', message: `At most ${amt(owed)}.` }],
          );
        }
      }
      const balance = owed - input.amountMinor;
      const entry = await tx.insert('customerCreditEntries', {
        id: newId(),
        customerId: input.customerId,
        kind: 'repayment',
        amountMinor: -input.amountMinor,
        currency: shop.currency,
        saleId: '',
        paymentMethod: input.method,
        reference: input.reference ?? '',
        note: input.note ?? (input.advance && input.amountMinor > Math.max(0, owed) ? 'Includes an advance payment' : ''),
        balanceAfterMinor: balance,
        day: today,
        deviceId: this.m.deviceId,
        createdBy: actor.userId,
      });
      let drawerMovementId: string | null = null;
      if (input.method === 'cash') {
        drawerMovementId = await this.drawerEntry(tx, {
          registerId,
          day: today,
          kind: 'cash_in',
          amountMinor: input.amountMinor,
          currency: shop.currency,
          reason: `Credit repayment: ${customer.name}`,
          creditEntryId: entry.id,
          createdBy: actor.userId,
        });
      }
      return { entry: toEntry(entry), balanceMinor: balance, drawerMovementId };
    });
  }

  async reverse(ctx: CallContext, input: { entryId: string; reason: string }) {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    const registerId = await this.m.registerId();
    const actor = actorOf(ctx);
    return this.m.core.writes.run({ action: 'credit.reverse', actor, reason: input.reason }, async (tx) => {
      const original = await tx.get('customerCreditEntries', input.entryId);
      if (!original) throw new ApiError('NOT_FOUND', 'That credit entry does not exist.');
      if (original.kind === 'reversal') throw new ApiError('VALIDATION', 'A reversal cannot be reversed; record a new entry instead.');
      const entries = this.table.entriesOf(original.customerId);
      if (entries.some((e) => e.reversesId === original.id)) throw new ApiError('CONFLICT', 'This entry has already been reversed.');
      const owed = this.table.summarise(original.customerId).balance;
      const balance = owed - original.amountMinor;
      const entry = await tx.insert('customerCreditEntries', {
        id: newId(),
        customerId: original.customerId,
        kind: 'reversal',
        amountMinor: -original.amountMinor,
        currency: original.currency,
        saleId: original.saleId,
        reversesId: original.id,
        note: input.reason,
        balanceAfterMinor: balance,
        day: today,
        deviceId: this.m.deviceId,
        createdBy: actor.userId,
      });
      let drawerMovementId: string | null = null;
      if (original.kind === 'repayment' && original.paymentMethod === 'cash') {
        // The cash that came in goes back out, from today's drawer of this register (an open day).
        const cashIn = this.m.sources.drawerByDevice.all([original.deviceId, original.day]).find((x) => x.creditEntryId === original.id && x.kind === 'cash_in');
        drawerMovementId = await this.drawerEntry(tx, {
          registerId,
          day: today,
          kind: 'reversal',
          amountMinor: -(cashIn?.amountMinor ?? -original.amountMinor),
          currency: shop.currency,
          reason: `Credit repayment reversed: ${input.reason}`.slice(0, 500),
          creditEntryId: entry.id,
          ...(cashIn ? { reversesId: cashIn.id } : {}),
          createdBy: actor.userId,
        });
      }
      return { entry: toEntry(entry), balanceMinor: balance, drawerMovementId };
    });
  }

  private async drawerEntry(tx: WriteTx, m: Omit<DrawerMovementDoc, 'id' | 'createdAt' | 'updatedAt' | 'deviceId'>): Promise<string> {
    const id = newId();
    await tx.insert('drawerMovements', { id, deviceId: this.m.deviceId, ...m });
    return id;
  }

  async owing(input: { search?: string | undefined; minAgeDays?: number | undefined; limit: number }) {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    if (!(await this.table.derived.whenReady(10_000))) {
      const s = this.table.derived.status();
      throw new ApiError('UNAVAILABLE', `The list of customers who owe is being prepared (${s.doneKeys} of ${s.totalKeys} customers). Try again in a moment.`);
    }
    const rows = this.table.owing();
    const found = await this.m.core.store.db.collections.customers.findByIds(rows.map((r) => r.customerId)).exec();
    const q = input.search?.toLowerCase() ?? '';
    const qDigits = q.replace(/[^0-9]/g, '');
    const customers: OwingCustomer[] = [];
    for (const r of rows) {
      const c = found.get(r.customerId)?.toJSON() as CustomerDoc | undefined;
      const name = c?.name ?? 'Unknown customer';
      const phone = c?.phone ?? '';
      if (q && !name.toLowerCase().includes(q) && !(qDigits && phone.replace(/[^0-9]/g, '').includes(qDigits))) continue;
      const oldest = r.oldestUnpaidDay ?? today;
      const ageDays = Math.max(0, daysBetween(oldest, today));
      if (input.minAgeDays !== undefined && ageDays < input.minAgeDays) continue;
      customers.push({
        customerId: r.customerId,
        name,
        phone,
        balanceMinor: r.balance,
        oldestUnpaidDay: oldest,
        ageDays,
        lastEntryAt: r.lastEntryAt,
        reminderOptOut: c?.reminderOptOut ?? false,
        reminderCount: c?.reminderCount ?? 0,
        lastReminderAt: c?.lastReminderAt ?? null,
        creditLimitMinor: c?.creditLimitMinor ?? null,
      });
    }
    return {
      currency: shop.currency,
      today,
      count: customers.length,
      totalOwedMinor: customers.reduce((s, c) => s + c.balanceMinor, 0),
      customers: customers.slice(0, input.limit),
    };
  }

  async statement(customerId: string, limit: number) {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    const c = await this.customer(customerId);
    const entries = this.table.entriesOf(customerId);
    const summary = this.table.summarise(customerId);
    const reversedBy = new Map(entries.filter((e) => e.reversesId).map((e) => [e.reversesId!, e.id]));
    const newestFirst = [...entries].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, limit);
    return {
      customerId,
      name: c.name,
      phone: c.phone,
      reminderOptOut: c.reminderOptOut,
      reminderCount: c.reminderCount,
      lastReminderAt: c.lastReminderAt ?? null,
      creditLimitMinor: c.creditLimitMinor ?? null,
      currency: shop.currency,
      balanceMinor: summary.balance,
      oldestUnpaidDay: summary.balance > 0 ? summary.oldestUnpaidDay : null,
      ageDays: summary.balance > 0 && summary.oldestUnpaidDay ? Math.max(0, daysBetween(summary.oldestUnpaidDay, today)) : null,
      entryCount: entries.length,
      entries: newestFirst.map((e) => toEntry(e, reversedBy.get(e.id) ?? '')),
    };
  }

  async prepareReminder(customerId: string, template?: string) {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    const c = await this.customer(customerId);
    const summary = this.table.summarise(customerId);
    const ageDays = summary.oldestUnpaidDay ? Math.max(0, daysBetween(summary.oldestUnpaidDay, today)) : 0;
    const code = CALLING_CODES[shop.currency];
    const result = rule(() =>
      buildCreditReminder({
        customerName: c.name,
        phone: c.phone,
        optOut: c.reminderOptOut,
        balanceMinor: summary.balance,
        currency: shop.currency,
        ageDays,
        shopName: shop.name,
        locale: shop.locale,
        ...(code ? { defaultCountryCode: code } : {}),
        ...(template ? { template } : {}),
      }),
    );
    if (!result.ok) return result;
    return { ok: true as const, text: result.text, whatsappUrl: result.whatsappUrl ?? null, phoneProblem: result.phoneProblem ?? null, balanceMinor: summary.balance, ageDays };
  }

  async logReminder(
    ctx: CallContext,
    input: { customerId: string; channel: ReminderLogDoc['channel']; status: 'sent' | 'failed' | 'skipped'; message: string; error?: string | undefined },
  ) {
    const shop = await this.m.shopSettings();
    const actor = actorOf(ctx);
    return this.m.core.writes.run({ action: 'credit.reminder', actor }, async (tx) => {
      const c = await tx.get('customers', input.customerId);
      if (!c) throw new ApiError('NOT_FOUND', 'That customer does not exist.', [{ path: 'customerId', message: 'Unknown customer.' }]);
      if (c.reminderOptOut) throw new ApiError('CONFLICT', `${c.name} has asked not to receive reminders; nothing was sent or logged.`);
      const log = await tx.insert('reminderLog', {
        id: newId(),
        customerId: c.id,
        channel: input.channel,
        status: input.status,
        balanceMinor: this.table.summarise(c.id).balance,
        currency: shop.currency,
        message: input.message,
        error: input.error ?? '',
        deviceId: this.m.deviceId,
        createdBy: actor.userId,
      });
      if (input.status !== 'sent') return { id: log.id, reminderCount: c.reminderCount, lastReminderAt: c.lastReminderAt ?? null };
      const updated = await tx.update('customers', c.id, { reminderCount: c.reminderCount + 1, lastReminderAt: tx.now });
      return { id: log.id, reminderCount: updated.reminderCount, lastReminderAt: updated.lastReminderAt ?? null };
    });
  }

  async reminderHistory(customerId: string) {
    const docs = await this.m.core.store.db.collections.reminderLog.find({ selector: { customerId }, sort: [{ customerId: 'desc' }, { createdAt: 'desc' }] }).exec();
    return docs.map((d) => {
      const r = d.toJSON() as ReminderLogDoc;
      return {
        id: r.id,
        customerId: r.customerId,
        channel: r.channel,
        status: r.status,
        balanceMinor: r.balanceMinor,
        currency: r.currency,
        message: r.message ?? '',
        error: r.error ?? '',
        createdBy: r.createdBy ?? '',
        createdAt: r.createdAt,
      };
    });
  }
}
