// What every money service needs: the shop's currency and time zone, today's day key,
// this register, the source indexes, and turning counter rule errors into API errors.
import { ApiError } from '@shared/api/errors';
import { CounterRuleError } from '@shared/counter';
import { dayKey, isValidTimeZone } from '@shared/dates';
import { SHOP_PROFILE_ID, type CollectionDocTypes, type ShopProfileDoc } from '@shared/schema';
import type { RxCollection } from 'rxdb';
import type { CoreServices } from '../../core/core';
import type { ManagerOverrides } from '../../locks';
import { SourceIndex } from './source';

export interface Shop {
  name: string;
  currency: string;
  timeZone: string;
  locale: string;
  phone: string;
}

type Docs = CollectionDocTypes;

/** Synchronous readers over the store file (see source.ts). */
export interface Sources {
  salesByDay: SourceIndex<Docs['sales']>;
  creditNotesByDay: SourceIndex<Docs['creditNotes']>;
  expensesByDay: SourceIndex<Docs['expenses']>;
  drawerByDevice: SourceIndex<Docs['drawerMovements']>;
  creditByCustomer: SourceIndex<Docs['customerCreditEntries']>;
  creditByDay: SourceIndex<Docs['customerCreditEntries']>;
}

export class MoneyContext {
  readonly sources: Sources;
  private shop: Shop | null = null;

  constructor(
    readonly core: CoreServices,
    /** Manager approvals (drawer without a sale, closed-day corrections). */
    readonly overrides: ManagerOverrides,
  ) {
    const { db, sqlite } = core.store;
    const src = <N extends keyof Docs>(name: N, fields: string[]) =>
      new SourceIndex<Docs[N] & { id: string }>(sqlite, db.collections[name] as unknown as RxCollection, fields);
    this.sources = {
      salesByDay: src('sales', ['day', 'createdAt']),
      creditNotesByDay: src('creditNotes', ['day', 'createdAt']),
      expensesByDay: src('expenses', ['day', 'createdAt']),
      drawerByDevice: src('drawerMovements', ['deviceId', 'day', 'createdAt']),
      creditByCustomer: src('customerCreditEntries', ['customerId', 'createdAt']),
      creditByDay: src('customerCreditEntries', ['day', 'createdAt']),
    };
  }

  get deviceId(): string {
    return this.core.deviceId;
  }

  /** The shop profile's figures; refuses clearly before first-run setup. */
  async shopSettings(): Promise<Shop> {
    if (this.shop) return this.shop;
    const doc = await this.core.store.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
    if (!doc) throw new ApiError('CONFLICT', 'Set up the shop first (its currency and time zone are needed).');
    return this.remember(doc.toJSON() as ShopProfileDoc);
  }

  /** Called when the shop profile changes (the write hook sees it). */
  remember(doc: ShopProfileDoc): Shop {
    this.shop = {
      name: doc.shopName,
      currency: doc.currency,
      timeZone: isValidTimeZone(doc.timezone) ? doc.timezone : 'UTC',
      locale: doc.locale,
      phone: doc.phone ?? '',
    };
    return this.shop;
  }

  forget(): void {
    this.shop = null;
  }

  async today(): Promise<string> {
    const shop = await this.shopSettings();
    return dayKey(Date.now(), shop.timeZone);
  }

  /** This device's register id (its devices record), else the device id. */
  async registerId(deviceId = this.deviceId): Promise<string> {
    const device = await this.core.store.db.collections.devices.findOne(deviceId).exec();
    return device?.registerId || deviceId;
  }

  async registerName(deviceId = this.deviceId): Promise<string> {
    const device = await this.core.store.db.collections.devices.findOne(deviceId).exec();
    return device ? `${device.name} (${device.code})` : 'This register';
  }

  async userNames(ids: Iterable<string>): Promise<Map<string, string>> {
    const wanted = [...new Set([...ids].filter(Boolean))];
    const out = new Map<string, string>();
    if (wanted.length === 0) return out;
    const found = await this.core.store.db.collections.users.findByIds(wanted).exec();
    for (const [userId, doc] of found) out.set(userId, doc.name);
    return out;
  }
}

/** Runs fn, turning a CounterRuleError into ApiError('VALIDATION') with the same message. */
export function rule<T>(fn: () => T, path?: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CounterRuleError) throw new ApiError('VALIDATION', e.message, [{ path: path ?? e.field ?? 'input', message: e.message }]);
    throw e;
  }
}

/** A day in the future is refused: expenses, floats and closes happen on days that have begun. */
export function refuseFuture(day: string, today: string, what: string): void {
  if (day > today) throw new ApiError('VALIDATION', `${what} cannot be on a day that has not started yet (${day}; today is ${today}).`, [{ path: 'day', message: 'That day is in the future.' }]);
}
