// Finalised documents are immutable (data rules 5 and 6):
// - a finalised sale is never changed or deleted; a refund or void is a credit note
//   that points at it;
// - a completed order changes only through an audited reopen: the action
//   ORDER_REOPEN_ACTION with a reason (which the audit entry keeps).
import { ApiError } from '@shared/api/errors';
import type { LockRule } from '../store/write-path';

/** The write-path action that may change a completed order. */
export const ORDER_REOPEN_ACTION = 'order.reopen';

export const finalisedSaleRule: LockRule = (change) => {
  if (change.collection !== 'sales' || !change.before || change.before.status !== 'finalised') return;
  const label = typeof change.before.invoiceNumber === 'string' && change.before.invoiceNumber ? change.before.invoiceNumber : change.id;
  throw new ApiError(
    'LOCKED',
    `Sale ${label} is finalised and cannot be ${change.after ? 'changed' : 'deleted'}. Refund or void it with a credit note instead.`,
  );
};

export const completedOrderRule: LockRule = (change, request) => {
  if (change.collection !== 'orders' || !change.before || change.before.state !== 'completed') return;
  const title = typeof change.before.title === 'string' ? `"${change.before.title}"` : change.id;
  if (!change.after) throw new ApiError('LOCKED', `Order ${title} is completed and cannot be deleted.`);
  if (request.action !== ORDER_REOPEN_ACTION) {
    throw new ApiError('LOCKED', `Order ${title} is completed and cannot be changed. Reopen it first, with a reason; the reopen is recorded in the audit log.`);
  }
  if (!request.reason?.trim()) throw new ApiError('LOCKED', `Reopening order ${title} needs a reason.`);
};
