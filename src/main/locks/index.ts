// Locks (data rule 6), enforced on the single write path: closed days, finalised
// sales, completed orders. Review leases are advisory (review-leases.ts).
import type { CounterbookDatabase } from '../store/database';
import type { WritePath } from '../store/write-path';
import { ClosedDays, dayLockRule } from './day-locks';
import { completedOrderRule, finalisedSaleRule } from './record-locks';

export { ClosedDays, DAY_LOCKED_COLLECTIONS, dayLockRule } from './day-locks';
export { ORDER_REOPEN_ACTION, completedOrderRule, finalisedSaleRule } from './record-locks';
export { ManagerOverrides, requireManager, verifiedOverride, type PinChecker } from './override';
export { ReviewLeases, currentHolder, DEFAULT_REVIEW_TIMEOUT_MS } from './review-leases';

/** Registers every lock rule on the write path (the core does this once at start). */
export function installLockRules(writes: WritePath, db: CounterbookDatabase): { closedDays: ClosedDays } {
  const closedDays = new ClosedDays(db);
  writes.addLockRule(finalisedSaleRule);
  writes.addLockRule(completedOrderRule);
  writes.addLockRule(dayLockRule(closedDays));
  return { closedDays };
}
