// Counter rule errors (src/shared/counter) become the API's VALIDATION errors with the
// same message for the cashier and an issue path pointing at the field to fix.
import { ApiError } from '@shared/api/errors';
import { CounterRuleError } from '@shared/counter';

/** Where an issue of a rule error points, in the input of an operation. */
export type IssuePathOf = (error: CounterRuleError) => string;

/** Finalise and park: lines.<i>.<field>, payments.<i>, saleDiscount, customerId. */
export const salePath: IssuePathOf = (e) => {
  if (e.field === 'payments') return e.lineIndex !== undefined ? `payments.${e.lineIndex}.amountMinor` : 'payments';
  if (e.lineIndex !== undefined) return `lines.${e.lineIndex}.${e.field ?? 'quantityMilli'}`;
  return e.field ?? 'lines';
};

/** Refund: lines.<i>.quantityMilli where i is the sale's line index. */
export const refundPath: IssuePathOf = (e) => (e.lineIndex !== undefined ? `lines.${e.lineIndex}.${e.field ?? 'quantityMilli'}` : (e.field ?? 'lines'));

export function toApiError(error: CounterRuleError, pathOf: IssuePathOf): ApiError {
  return new ApiError('VALIDATION', error.message, [{ path: pathOf(error), message: error.message }]);
}

/** Runs fn, turning a CounterRuleError into ApiError('VALIDATION'). */
export function rules<T>(fn: () => T, pathOf: IssuePathOf = salePath): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CounterRuleError) throw toApiError(e, pathOf);
    throw e;
  }
}
