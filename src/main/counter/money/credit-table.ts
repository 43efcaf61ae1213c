// Customer credit balances derived from the append-only ledger (customerCreditEntries):
// one row per customer with the balance (sum of entries), the day of the oldest debt
// still unpaid (first in, first out, see summariseCustomerCredit) and the last entry.
// The write hook recomputes the row of every customer an entry is written for, from
// that customer's entries (an index range read), inside the same transaction; so the
// "who owes" list is one indexed SELECT however long the ledger grows.
import type Database from 'better-sqlite3';
import { summariseCustomerCredit } from '@shared/counter';
import type { CustomerCreditEntryDoc } from '@shared/schema';
import type { WriteHookEvent } from '../../store/rxstorage-better-sqlite3';
import type { Sources } from './context';
import type { Derived, DerivedSpec } from './derived';

export const CREDIT_VERSION = 1;

export interface CreditRow {
  customerId: string;
  balance: number;
  oldestUnpaidDay: string | null;
  entries: number;
  lastEntryAt: number | null;
}

export class CreditTable {
  derived!: Derived;
  private stmts: { upsert: Database.Statement; remove: Database.Statement } | null = null;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly sources: Sources,
    private readonly currency: () => string | null,
  ) {}

  spec(): DerivedSpec {
    return {
      name: 'credit',
      version: CREDIT_VERSION,
      ddl: [
        `CREATE TABLE IF NOT EXISTS cm_credit (customer_id TEXT PRIMARY KEY, balance INTEGER NOT NULL, oldest_unpaid_day TEXT,
           entries INTEGER NOT NULL, last_entry_at INTEGER) WITHOUT ROWID`,
        'CREATE INDEX IF NOT EXISTS cm_credit_by_balance ON cm_credit (balance)',
      ],
      tables: ['cm_credit'],
      config: () => this.currency(),
      nextKey: (after) => this.sources.creditByCustomer.nextValue(after ?? undefined, 'customerId'),
      countKeys: () => {
        let n = 0;
        for (let c = this.sources.creditByCustomer.nextValue(undefined, 'customerId'); c !== undefined; c = this.sources.creditByCustomer.nextValue(c, 'customerId')) n++;
        return n;
      },
      recomputeKey: (customerId) => this.recompute(customerId),
    };
  }

  /** The customer's live entries in the shop currency, oldest first. */
  entriesOf(customerId: string): CustomerCreditEntryDoc[] {
    const currency = this.currency();
    return this.sources.creditByCustomer.all([customerId]).filter((e) => e.currency === currency);
  }

  /** Balance and age straight from the ledger (what the row holds). */
  summarise(customerId: string): CreditRow {
    const entries = this.entriesOf(customerId);
    if (entries.length === 0) return { customerId, balance: 0, oldestUnpaidDay: null, entries: 0, lastEntryAt: null };
    let lastDay = entries[0]!.day;
    let lastAt = 0;
    for (const e of entries) {
      if (e.day > lastDay) lastDay = e.day;
      if (e.createdAt > lastAt) lastAt = e.createdAt;
    }
    // An entry and the reversal that cancels it never happened, as far as the age goes: a
    // reversed repayment brings back the old debts it had paid, not a new debt of today.
    const byId = new Map(entries.map((e) => [e.id, e]));
    const cancelled = new Set<string>();
    for (const e of entries) {
      const target = e.reversesId ? byId.get(e.reversesId) : undefined;
      if (target && target.amountMinor === -e.amountMinor) {
        cancelled.add(target.id);
        cancelled.add(e.id);
      }
    }
    const s = summariseCustomerCredit(
      entries
        .filter((e) => !cancelled.has(e.id))
        .map((e) => ({ id: e.id, amountMinor: e.amountMinor, day: e.day, createdAt: e.createdAt, ...(e.reversesId ? { reversesId: e.reversesId } : {}) })),
      lastDay,
    );
    return { customerId, balance: s.balanceMinor, oldestUnpaidDay: s.oldestUnpaidDay ?? null, entries: entries.length, lastEntryAt: lastAt };
  }

  recompute(customerId: string): void {
    this.stmts ??= {
      upsert: this.sqlite.prepare(
        `INSERT INTO cm_credit (customer_id, balance, oldest_unpaid_day, entries, last_entry_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(customer_id) DO UPDATE SET balance = excluded.balance, oldest_unpaid_day = excluded.oldest_unpaid_day, entries = excluded.entries, last_entry_at = excluded.last_entry_at`,
      ),
      remove: this.sqlite.prepare('DELETE FROM cm_credit WHERE customer_id = ?'),
    };
    const row = this.summarise(customerId);
    if (row.entries === 0) this.stmts.remove.run(customerId);
    else this.stmts.upsert.run(customerId, row.balance, row.oldestUnpaidDay, row.entries, row.lastEntryAt);
  }

  onWrite(event: WriteHookEvent): void {
    if (event.collectionName !== 'customerCreditEntries' || this.currency() === null) return;
    const customers = new Set<string>();
    for (const { document, previous } of event.writes) {
      for (const d of [document, previous]) {
        const id = (d as { customerId?: string } | undefined)?.customerId;
        if (id && this.derived.covers(id)) customers.add(id);
      }
    }
    for (const id of customers) this.recompute(id);
  }

  /** Customers who owe (balance > 0), largest first. */
  owing(): CreditRow[] {
    return this.sqlite
      .prepare('SELECT customer_id AS customerId, balance, oldest_unpaid_day AS oldestUnpaidDay, entries, last_entry_at AS lastEntryAt FROM cm_credit WHERE balance > 0 ORDER BY balance DESC, customer_id')
      .all() as CreditRow[];
  }
}
