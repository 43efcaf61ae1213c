// Split payments of a sale: cash, card, mobile money and customer credit.
//
// Rules:
//  - Non-cash payments (card, mobile money, customer credit) are exact charges: they
//    are applied first, in the order entered, and none may exceed what is still due
//    after the ones before it (they cannot give change).
//  - Cash entries are what the customer handed over (tendered). They cover what the
//    non-cash payments leave, in the order entered; the cash overpay is the change due.
//    A cash entry with nothing left to cover is refused (it would be all change).
//  - Customer credit needs a customer; the credit amount becomes a customer credit
//    ledger entry (amount > 0 = owed) written with the sale.
//  - summarisePayments() is for live feedback (shortfall allowed); settlePayments() is
//    the check at finalise (everything covered, credit has a customer and fits the limit).
import { PAYMENT_METHODS, type PaymentMethod } from '../schema/fields';
import { CounterRuleError } from './errors';
import { amountText, assertCurrency, assertInteger } from './format';

/** Payments per sale (the sales schema's maxItems). */
export const MAX_PAYMENTS = 20;

export const PAYMENT_METHOD_LABELS: Readonly<Record<PaymentMethod, string>> = {
  cash: 'Cash',
  card: 'Card',
  mobile_money: 'Mobile money',
  customer_credit: 'Customer credit',
};

export interface PaymentInput {
  method: PaymentMethod;
  /** For cash: the amount tendered. For other methods: the amount charged. */
  amountMinor: number;
  reference?: string;
}

export interface PaymentsInput {
  currency: string;
  /** Amount payable (SaleTotals.totalMinor). */
  totalMinor: number;
  payments: readonly PaymentInput[];
  /** The sale's customer; '' or absent = walk-in. */
  customerId?: string;
  /** Credit the customer may still take (limit - balance owed); absent = not checked here. */
  creditAvailableMinor?: number;
}

/** A payment as stored on the sale (schema SalePayment): amountMinor is the amount applied. */
export interface AppliedPayment {
  method: PaymentMethod;
  amountMinor: number;
  /** Cash only: what was handed over (amountMinor + change from this entry). */
  tenderedMinor?: number;
  reference?: string;
}

export type ByMethod = Record<PaymentMethod, number>;

export interface PaymentSummary {
  currency: string;
  totalMinor: number;
  /** Applied to the sale (never more than the total). */
  paidMinor: number;
  /** Still to pay (0 when covered). */
  dueMinor: number;
  /** Cash overpay handed back. */
  changeDueMinor: number;
  /** Sum of customer_credit payments: the ledger entry to write with the sale. */
  customerCreditMinor: number;
  /** Applied amount per method. */
  byMethod: ByMethod;
  /** In the order entered, with applied amounts. */
  payments: AppliedPayment[];
  complete: boolean;
}

export function emptyByMethod(): ByMethod {
  return { cash: 0, card: 0, mobile_money: 0, customer_credit: 0 };
}

function label(p: PaymentInput, index: number, currency: string): string {
  return `Payment ${index + 1} (${PAYMENT_METHOD_LABELS[p.method].toLowerCase()} ${amountText(p.amountMinor, currency)})`;
}

/** Applies the payments without requiring them to cover the total (for live feedback). */
export function summarisePayments(input: PaymentsInput): PaymentSummary {
  const { currency, totalMinor, payments } = input;
  assertCurrency(currency);
  assertInteger(totalMinor, 'The sale total in minor units', { field: 'totalMinor' });
  if (totalMinor < 0) {
    throw new CounterRuleError('invalid_total', `The sale total cannot be negative (got ${amountText(totalMinor, currency)}).`, { field: 'totalMinor' });
  }
  if (payments.length > MAX_PAYMENTS) {
    throw new CounterRuleError('too_many_payments', `A sale can be paid in at most ${MAX_PAYMENTS} parts; this one has ${payments.length}.`, { field: 'payments' });
  }
  payments.forEach((p, i) => {
    const where = { lineIndex: i, field: 'payments' };
    if (!(PAYMENT_METHODS as readonly string[]).includes(p.method)) {
      throw new CounterRuleError('invalid_payment_method', `Payment ${i + 1}: "${String(p.method)}" is not a payment method; use cash, card, mobile money or customer credit.`, where);
    }
    assertInteger(p.amountMinor, `Payment ${i + 1}: the amount in minor units`, where);
    if (p.amountMinor <= 0) {
      throw new CounterRuleError('payment_not_positive', `${label(p, i, currency)}: enter an amount above 0.`, where);
    }
  });

  const applied: AppliedPayment[] = payments.map((p) => ({ method: p.method, amountMinor: 0, ...(p.reference ? { reference: p.reference } : {}) }));
  let due = totalMinor;
  // Non-cash first: exact charges, never more than what is due.
  payments.forEach((p, i) => {
    if (p.method === 'cash') return;
    if (p.amountMinor > due) {
      throw new CounterRuleError(
        'non_cash_exceeds_due',
        `${label(p, i, currency)} is more than the ${amountText(due, currency)} still due; only cash can be more than what is due (the rest is given as change).`,
        { lineIndex: i, field: 'payments' },
      );
    }
    applied[i]!.amountMinor = p.amountMinor;
    due -= p.amountMinor;
  });
  // Then cash covers the rest; any overpay is change.
  let change = 0;
  payments.forEach((p, i) => {
    if (p.method !== 'cash') return;
    if (due === 0) {
      throw new CounterRuleError('payment_not_needed', `${label(p, i, currency)} is not needed: the sale is already paid.`, { lineIndex: i, field: 'payments' });
    }
    const use = Math.min(p.amountMinor, due);
    applied[i]!.amountMinor = use;
    applied[i]!.tenderedMinor = p.amountMinor;
    due -= use;
    change += p.amountMinor - use;
  });

  const byMethod = emptyByMethod();
  for (const a of applied) byMethod[a.method] += a.amountMinor;
  return {
    currency,
    totalMinor,
    paidMinor: totalMinor - due,
    dueMinor: due,
    changeDueMinor: change,
    customerCreditMinor: byMethod.customer_credit,
    byMethod,
    payments: applied,
    complete: due === 0,
  };
}

/** Full check at finalise: as summarisePayments, and the payments must cover the total. */
export function settlePayments(input: PaymentsInput): PaymentSummary {
  const s = summarisePayments(input);
  const { currency } = s;
  if (s.dueMinor > 0) {
    throw new CounterRuleError(
      'payments_short',
      `Payments cover ${amountText(s.paidMinor, currency)} of ${amountText(s.totalMinor, currency)}; ${amountText(s.dueMinor, currency)} still due.`,
      { field: 'payments' },
    );
  }
  if (s.customerCreditMinor > 0) {
    if (!input.customerId) {
      throw new CounterRuleError(
        'credit_requires_customer',
        `A sale on customer credit (${amountText(s.customerCreditMinor, currency)}) needs a customer: choose the customer first, or take another payment method.`,
        { field: 'customerId' },
      );
    }
    const available = input.creditAvailableMinor;
    if (available !== undefined && s.customerCreditMinor > available) {
      throw new CounterRuleError(
        'credit_over_limit',
        `Customer credit of ${amountText(s.customerCreditMinor, currency)} is more than this customer's available credit of ${amountText(Math.max(0, available), currency)}.`,
        { field: 'payments' },
      );
    }
  }
  return s;
}
