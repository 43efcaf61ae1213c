// Errors of the counter's domain rules. Every message is written for the cashier and
// shown as it is ("Line 2 (Bread): the discount 3.00 is more than the line amount
// 2.50."); `code` is for programs (tests, the UI highlighting a field), `lineIndex`
// (0-based) and `field` point at what to fix. The core maps CounterRuleError to the
// API's VALIDATION error with the same message.

export type CounterRuleCode =
  // input shape
  | 'invalid_currency'
  | 'invalid_tax_mode'
  | 'too_many_lines'
  | 'not_integer'
  // quantities, prices, rates, discounts
  | 'quantity_not_positive'
  | 'quantity_too_large'
  | 'price_negative'
  | 'price_too_large'
  | 'line_amount_too_large'
  | 'invalid_tax_rate'
  | 'invalid_discount'
  | 'discount_negative'
  | 'discount_exceeds_amount'
  | 'percent_too_large'
  // payments
  | 'invalid_total'
  | 'invalid_payment_method'
  | 'too_many_payments'
  | 'payment_not_positive'
  | 'payments_short'
  | 'non_cash_exceeds_due'
  | 'payment_not_needed'
  | 'credit_requires_customer'
  | 'credit_over_limit'
  // credit notes
  | 'nothing_to_refund'
  | 'unknown_line'
  | 'duplicate_line'
  | 'refund_exceeds_remaining'
  | 'currency_mismatch'
  // invoice numbers
  | 'invalid_prefix'
  | 'invalid_device_code'
  | 'invalid_sequence'
  | 'invalid_invoice_number'
  | 'series_exhausted'
  // day close
  | 'invalid_count'
  | 'unknown_denomination'
  | 'invalid_amount'
  // settings and dates
  | 'invalid_setting'
  | 'invalid_day'
  | 'invalid_time';

export interface CounterRuleIssue {
  code: CounterRuleCode;
  message: string;
  /** 0-based index of the sale line, payment or credit-note line concerned. */
  lineIndex?: number;
  /** Input field concerned ('quantityMilli', 'unitPriceMinor', 'discount', 'saleDiscount', 'payments', ...). */
  field?: string;
}

export class CounterRuleError extends Error implements CounterRuleIssue {
  readonly code: CounterRuleCode;
  readonly lineIndex?: number;
  readonly field?: string;

  constructor(code: CounterRuleCode, message: string, where: { lineIndex?: number; field?: string } = {}) {
    super(message);
    this.name = 'CounterRuleError';
    this.code = code;
    if (where.lineIndex !== undefined) this.lineIndex = where.lineIndex;
    if (where.field !== undefined) this.field = where.field;
  }

  toJSON(): CounterRuleIssue {
    const out: CounterRuleIssue = { code: this.code, message: this.message };
    if (this.lineIndex !== undefined) out.lineIndex = this.lineIndex;
    if (this.field !== undefined) out.field = this.field;
    return out;
  }
}

export type CounterResult<T> = { ok: true; value: T } | { ok: false; error: CounterRuleIssue };

/** Runs fn and turns a CounterRuleError into `{ ok: false, error }` (for live UI feedback). Other errors are rethrown. */
export function tryCounter<T>(fn: () => T): CounterResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof CounterRuleError) return { ok: false, error: e.toJSON() };
    throw e;
  }
}
