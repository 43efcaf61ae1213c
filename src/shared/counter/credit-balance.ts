// A customer's credit balance and its age, from the append-only credit ledger
// (customerCreditEntries: amount > 0 = owed, < 0 = repaid or reversed).
//
// Age is first-in first-out: repayments settle the oldest debt first, and a reversal
// (reversesId) cancels the entry it names. The age is the number of days since the
// oldest debt that is still (partly) unpaid. Overpayment is kept as a prepaid amount
// that settles later debts.
import { daysBetween, isDayKey } from '../dates';
import { CounterRuleError } from './errors';

export interface CreditLedgerEntry {
  id?: string;
  amountMinor: number;
  /** Shop-zone day of the entry. */
  day: string;
  createdAt?: number;
  /** For reversals: the entry cancelled. */
  reversesId?: string;
}

export interface CreditBalance {
  /** Sum of the entries: > 0 owed, < 0 prepaid. */
  balanceMinor: number;
  /** Day of the oldest debt still unpaid; absent when nothing is owed. */
  oldestUnpaidDay?: string;
  /** Days from oldestUnpaidDay to today; absent when nothing is owed. */
  ageDays?: number;
}

export function summariseCustomerCredit(entries: readonly CreditLedgerEntry[], today: string): CreditBalance {
  if (!isDayKey(today)) throw new CounterRuleError('invalid_day', `"${today}" is not a day (YYYY-MM-DD).`, { field: 'today' });
  const sorted = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.day < b.e.day ? -1 : a.e.day > b.e.day ? 1 : (a.e.createdAt ?? 0) - (b.e.createdAt ?? 0) || a.i - b.i));
  const debts: { id?: string; day: string; remaining: number }[] = [];
  let prepaid = 0;
  let balance = 0;
  for (const { e } of sorted) {
    if (!Number.isSafeInteger(e.amountMinor)) throw new CounterRuleError('not_integer', `A credit entry amount must be a whole number of minor units, got ${String(e.amountMinor)}.`);
    if (!isDayKey(e.day)) throw new CounterRuleError('invalid_day', `A credit entry has no valid day ("${e.day}").`);
    balance += e.amountMinor;
    if (e.amountMinor > 0) {
      const use = Math.min(prepaid, e.amountMinor);
      prepaid -= use;
      debts.push(e.id !== undefined ? { id: e.id, day: e.day, remaining: e.amountMinor - use } : { day: e.day, remaining: e.amountMinor - use });
      continue;
    }
    let left = -e.amountMinor;
    if (e.reversesId) {
      const target = debts.find((d) => d.id === e.reversesId);
      if (target) {
        const use = Math.min(target.remaining, left);
        target.remaining -= use;
        left -= use;
      }
    }
    for (const d of debts) {
      if (left === 0) break;
      const use = Math.min(d.remaining, left);
      d.remaining -= use;
      left -= use;
    }
    prepaid += left;
  }
  const oldest = balance > 0 ? debts.find((d) => d.remaining > 0) : undefined;
  return oldest ? { balanceMinor: balance, oldestUnpaidDay: oldest.day, ageDays: Math.max(0, daysBetween(oldest.day, today)) } : { balanceMinor: balance };
}
