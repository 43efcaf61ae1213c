// Closed days (data rule 6): once a register's day has a dayCloses record (its Z
// report), that register's sales, credit notes, expenses and drawer movements of that
// day are immutable. Corrections go into an open day; a verified manager override
// with a reason lets a change through and the audit entry records both people.
//
// "Register" = the device (deviceId), or the register id where the document has one:
// a document is locked when a close of its day has the same deviceId, or the same
// non-empty registerId.
import { ApiError } from '@shared/api/errors';
import type { CollectionName, DayCloseDoc } from '@shared/schema';
import type { Subscription } from 'rxjs';
import type { CounterbookDatabase } from '../store/database';
import type { LockRule, ReadView } from '../store/write-path';
import { verifiedOverride } from './override';

export const DAY_LOCKED_COLLECTIONS: ReadonlySet<CollectionName> = new Set<CollectionName>(['sales', 'creditNotes', 'expenses', 'drawerMovements']);

interface ClosesOfDay {
  byDevice: Map<string, DayCloseDoc>;
  byRegister: Map<string, DayCloseDoc>;
}

/** Days kept in memory at most (each is a handful of closes); the cache starts over past it. */
const MAX_CACHED_DAYS = 2_000;

/**
 * Which (register, day) pairs are closed. Each day's closes are read once with the
 * [day, deviceId] index and kept in memory; any write to dayCloses (through the write
 * path or arriving by sync) drops that day from the cache.
 */
export class ClosedDays {
  private readonly cache = new Map<string, Promise<ClosesOfDay>>();
  private readonly subscription: Subscription;

  constructor(private readonly db: CounterbookDatabase) {
    this.subscription = db.collections.dayCloses.$.subscribe((event) => {
      const day = (event.documentData as Partial<DayCloseDoc> | undefined)?.day ?? (event.previousDocumentData as Partial<DayCloseDoc> | undefined)?.day;
      this.invalidate(day);
    });
  }

  /** Forget a day (or everything). */
  invalidate(day?: string): void {
    if (day) this.cache.delete(day);
    else this.cache.clear();
  }

  /** The close that locks a document of this register and day, or null when the day is open. */
  async closeOf(day: string, deviceId: string, registerId = ''): Promise<DayCloseDoc | null> {
    const closes = await this.load(day);
    return closes.byDevice.get(deviceId) ?? (registerId ? (closes.byRegister.get(registerId) ?? null) : null);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }

  private load(day: string): Promise<ClosesOfDay> {
    let entry = this.cache.get(day);
    if (!entry) {
      if (this.cache.size >= MAX_CACHED_DAYS) this.cache.clear();
      entry = this.db.collections.dayCloses
        .find({ selector: { day } })
        .exec()
        .then((docs) => {
          const closes: ClosesOfDay = { byDevice: new Map(), byRegister: new Map() };
          for (const doc of docs) {
            const close = doc.toJSON() as DayCloseDoc;
            closes.byDevice.set(close.deviceId, close);
            if (close.registerId) closes.byRegister.set(close.registerId, close);
          }
          return closes;
        });
      const loading = entry;
      // A failed read is not remembered.
      entry.catch(() => {
        if (this.cache.get(day) === loading) this.cache.delete(day);
      });
      this.cache.set(day, entry);
    }
    return entry;
  }
}

interface DayScoped {
  day?: unknown;
  deviceId?: unknown;
  registerId?: unknown;
}

/** Refuses changes to documents of a closed day, unless the request carries a verified manager override. */
export function dayLockRule(closed: ClosedDays): LockRule {
  return async (change, request, view) => {
    if (!DAY_LOCKED_COLLECTIONS.has(change.collection)) return;
    // A change touches its day before (an edit or delete) and after (an insert or a move).
    for (const doc of [change.before, change.after] as (DayScoped | null)[]) {
      if (!doc || typeof doc.day !== 'string' || typeof doc.deviceId !== 'string') continue;
      const close = await closed.closeOf(doc.day, doc.deviceId, typeof doc.registerId === 'string' ? doc.registerId : '');
      if (!close) continue;
      if (verifiedOverride(request)) return;
      throw new ApiError('LOCKED', `The day ${doc.day} is closed for register ${await registerLabel(view, close)}. Record a correction in today's open day instead.`);
    }
  };
}

async function registerLabel(view: ReadView, close: DayCloseDoc): Promise<string> {
  const device = await view.get('devices', close.deviceId);
  if (device) return `${device.name} (${device.code})`;
  return close.registerId || close.deviceId;
}
