// The cash drawer of this register: the opening float, cash in and out with a reason,
// and corrections by reversal entries (drawerMovements is append-only). Cash in and out
// open the drawer without a sale, so a manager signs them off: a manager's own session,
// or a manager's id and PIN given by the cashier's screen (recorded as overrideBy).
// Expected cash = the day's Z report cash figure (float + cash sales - cash refunds +
// cash in - cash out - cash expenses +/- reversals), see src/shared/counter/day-close.ts.
import { ApiError } from '@shared/api/errors';
import type { DrawerMovement } from '@shared/api/ops/counter-money';
import type { OverrideInput } from '@shared/api/ops/auth';
import { amountText, buildZReport, type ZReport } from '@shared/counter';
import { newId } from '@shared/ids';
import type { CreditNoteDoc, DrawerMovementDoc, ExpenseDoc, SaleDoc } from '@shared/schema';
import { actorOf } from '../../core/actor';
import type { CallContext } from '../../core/router';
import { requireManager } from '../../locks';
import type { WriteRequest } from '../../store/write-path';
import { refuseFuture, rule, type MoneyContext } from './context';


export interface RegisterDay {
  sales: SaleDoc[];
  creditNotes: CreditNoteDoc[];
  movements: DrawerMovementDoc[];
  expenses: ExpenseDoc[];
}

export function toMovement(m: DrawerMovementDoc, reversedBy = ''): DrawerMovement {
  return {
    id: m.id,
    day: m.day,
    deviceId: m.deviceId,
    registerId: m.registerId,
    kind: m.kind,
    amountMinor: m.amountMinor,
    currency: m.currency,
    reason: m.reason ?? '',
    saleId: m.saleId ?? '',
    creditNoteId: m.creditNoteId ?? '',
    expenseId: m.expenseId ?? '',
    creditEntryId: m.creditEntryId ?? '',
    reversesId: m.reversesId ?? '',
    reversedBy,
    createdBy: m.createdBy ?? '',
    createdAt: m.createdAt,
  };
}

export class DrawerService {
  constructor(private readonly m: MoneyContext) {}

  /** Everything of one register's day that the Z report adds up. */
  registerDay(day: string, deviceId = this.m.deviceId): RegisterDay {
    const s = this.m.sources;
    return {
      sales: s.salesByDay.all([day]).filter((d) => d.deviceId === deviceId),
      creditNotes: s.creditNotesByDay.all([day]).filter((d) => d.deviceId === deviceId),
      movements: s.drawerByDevice.all([deviceId, day]),
      expenses: s.expensesByDay.all([day]).filter((d) => d.deviceId === deviceId),
    };
  }

  async report(day: string, deviceId = this.m.deviceId, counted?: { valueMinor: number; count: number }[]): Promise<ZReport> {
    const shop = await this.m.shopSettings();
    const d = this.registerDay(day, deviceId);
    return rule(
      () =>
        buildZReport({
          currency: shop.currency,
          sales: d.sales,
          creditNotes: d.creditNotes,
          drawerMovements: d.movements,
          expenses: d.expenses,
          ...(counted ? { counted } : {}),
        }),
      'counts',
    );
  }

  /** Opening the drawer without a sale needs a manager: their session, or their approval at this screen. */
  private async approved(ctx: CallContext, base: WriteRequest, override: OverrideInput | undefined, what: string): Promise<WriteRequest> {
    const request = await this.m.overrides.apply(base, ctx, override);
    requireManager(ctx, request, `${what} opens the drawer without a sale, so a manager must approve it.`);
    return request;
  }

  async float(ctx: CallContext, amountMinor: number, reason?: string): Promise<DrawerMovement> {
    const shop = await this.m.shopSettings();
    const day = await this.m.today();
    const registerId = await this.m.registerId();
    const actor = actorOf(ctx);
    const doc = await this.m.core.writes.run({ action: 'drawer.float', actor }, async (tx) => {
      const movements = this.m.sources.drawerByDevice.all([this.m.deviceId, day]);
      const reversed = new Set(movements.map((x) => x.reversesId).filter(Boolean));
      const existing = movements.find((x) => x.kind === 'opening_float' && !reversed.has(x.id));
      if (existing) {
        throw new ApiError(
          'CONFLICT',
          `Today's opening float of ${amountText(existing.amountMinor, shop.currency)} is already recorded. To change it, reverse that entry first, then record the right amount.`,
        );
      }
      return tx.insert('drawerMovements', {
        id: newId(),
        deviceId: this.m.deviceId,
        registerId,
        day,
        kind: 'opening_float',
        amountMinor,
        currency: shop.currency,
        reason: reason ?? 'Opening float',
        createdBy: actor.userId,
      });
    });
    return toMovement(doc);
  }

  async cash(ctx: CallContext, input: { direction: 'in' | 'out'; amountMinor: number; reason: string; override?: OverrideInput | undefined }): Promise<DrawerMovement> {
    const shop = await this.m.shopSettings();
    const day = await this.m.today();
    const registerId = await this.m.registerId();
    const actor = actorOf(ctx);
    const request = await this.approved(ctx, { action: input.direction === 'in' ? 'drawer.cashIn' : 'drawer.cashOut', actor, reason: input.reason }, input.override, input.direction === 'in' ? 'Putting cash in' : 'Taking cash out');
    const doc = await this.m.core.writes.run(request, async (tx) => {
      if (input.direction === 'out') {
        const expected = (await this.report(day)).cash.expectedCashMinor;
        if (input.amountMinor > expected) {
          throw new ApiError(
            'VALIDATION',
            `Only ${amountText(expected, shop.currency)} should be in the drawer; ${amountText(input.amountMinor, shop.currency)} cannot be taken out. Count the drawer if this looks wrong.`,
            [{ path: 'amountMinor', message: 'More than the drawer holds.' }],
          );
        }
      }
      return tx.insert('drawerMovements', {
        id: newId(),
        deviceId: this.m.deviceId,
        registerId,
        day,
        kind: input.direction === 'in' ? 'cash_in' : 'cash_out',
        amountMinor: input.direction === 'in' ? input.amountMinor : -input.amountMinor,
        currency: shop.currency,
        reason: input.reason,
        createdBy: actor.userId,
      });
    });
    return toMovement(doc);
  }

  async reverse(ctx: CallContext, input: { movementId: string; reason: string; override?: OverrideInput | undefined }): Promise<DrawerMovement> {
    const original = await this.m.core.store.db.collections.drawerMovements.findOne(input.movementId).exec();
    if (!original) throw new ApiError('NOT_FOUND', 'That drawer entry does not exist.');
    const o = original.toJSON() as DrawerMovementDoc;
    const owner = o.expenseId ? 'an expense (void or correct the expense)' : o.saleId ? 'a sale' : o.creditNoteId ? 'a refund' : o.creditEntryId ? 'a credit repayment (reverse the repayment)' : '';
    if (o.kind === 'reversal') throw new ApiError('VALIDATION', 'A reversal cannot be reversed; record a new entry instead.');
    if (o.kind === 'sale_cash' || o.kind === 'refund_cash' || owner) {
      throw new ApiError('VALIDATION', `This drawer entry belongs to ${owner || 'a sale or refund'}; it changes only with that record.`);
    }
    const actor = actorOf(ctx);
    const base: WriteRequest = { action: 'drawer.reverse', actor, reason: input.reason };
    const request = o.kind === 'opening_float' ? base : await this.approved(ctx, base, input.override, 'Reversing cash in or out');
    const doc = await this.m.core.writes.run(request, async (tx) => {
      const sameDay = this.m.sources.drawerByDevice.all([o.deviceId, o.day]);
      if (sameDay.some((x) => x.reversesId === o.id)) throw new ApiError('CONFLICT', 'This drawer entry has already been reversed.');
      return tx.insert('drawerMovements', {
        id: newId(),
        deviceId: o.deviceId,
        registerId: o.registerId,
        day: o.day,
        kind: 'reversal',
        amountMinor: -o.amountMinor,
        currency: o.currency,
        reason: input.reason,
        reversesId: o.id,
        createdBy: actor.userId,
      });
    });
    return toMovement(doc);
  }

  async state(dayInput?: string): Promise<{
    day: string;
    deviceId: string;
    registerId: string;
    currency: string;
    closed: boolean;
    openingFloatMinor: number;
    expectedCashMinor: number;
    cash: ZReport['cash'];
    movements: DrawerMovement[];
  }> {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    const day = dayInput ?? today;
    refuseFuture(day, today, 'The drawer');
    const report = await this.report(day);
    const movements = this.m.sources.drawerByDevice.all([this.m.deviceId, day]);
    const reversedBy = new Map(movements.filter((x) => x.reversesId).map((x) => [x.reversesId!, x.id]));
    const close = await this.m.core.store.db.collections.dayCloses.findOne({ selector: { day, deviceId: this.m.deviceId } }).exec();
    return {
      day,
      deviceId: this.m.deviceId,
      registerId: await this.m.registerId(),
      currency: shop.currency,
      closed: !!close,
      openingFloatMinor: report.cash.openingFloatMinor,
      expectedCashMinor: report.cash.expectedCashMinor,
      cash: report.cash,
      movements: movements.map((x) => toMovement(x, reversedBy.get(x.id) ?? '')),
    };
  }
}
