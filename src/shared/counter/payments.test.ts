import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CounterRuleError, tryCounter } from './errors';
import { settlePayments, summarisePayments, type PaymentInput, type PaymentsInput } from './payments';

function expectRuleError(fn: () => unknown, code: string, message: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CounterRuleError);
    expect({ code: (e as CounterRuleError).code, message: (e as CounterRuleError).message }).toEqual({ code, message });
    return;
  }
  throw new Error(`expected CounterRuleError ${code}`);
}

const sale = (payments: PaymentInput[], extra: Partial<PaymentsInput> = {}): PaymentsInput => ({ currency: 'USD', totalMinor: 5000, payments, ...extra });

describe('split payments', () => {
  it('cash only, with change', () => {
    const s = settlePayments(sale([{ method: 'cash', amountMinor: 10000 }]));
    expect(s).toMatchObject({ paidMinor: 5000, dueMinor: 0, changeDueMinor: 5000, complete: true });
    expect(s.payments).toEqual([{ method: 'cash', amountMinor: 5000, tenderedMinor: 10000 }]);
  });

  it('card, mobile money and cash: non-cash are exact, cash covers the rest and gives change', () => {
    const s = settlePayments(
      sale([
        { method: 'cash', amountMinor: 2500 },
        { method: 'card', amountMinor: 2000, reference: 'AUTH42' },
        { method: 'mobile_money', amountMinor: 1000 },
      ]),
    );
    expect(s.payments).toEqual([
      { method: 'cash', amountMinor: 2000, tenderedMinor: 2500 },
      { method: 'card', amountMinor: 2000, reference: 'AUTH42' },
      { method: 'mobile_money', amountMinor: 1000 },
    ]);
    expect(s).toMatchObject({ paidMinor: 5000, changeDueMinor: 500, byMethod: { cash: 2000, card: 2000, mobile_money: 1000, customer_credit: 0 } });
  });

  it('customer credit with a customer becomes the ledger amount', () => {
    const s = settlePayments(sale([{ method: 'cash', amountMinor: 2000 }, { method: 'customer_credit', amountMinor: 3000 }], { customerId: 'c1', creditAvailableMinor: 3000 }));
    expect(s).toMatchObject({ customerCreditMinor: 3000, changeDueMinor: 0, complete: true });
  });

  it('a free sale needs no payment', () => {
    expect(settlePayments(sale([], { totalMinor: 0 }))).toMatchObject({ paidMinor: 0, complete: true });
  });

  it('summarise shows what is still due while the cashier types', () => {
    const s = summarisePayments(sale([{ method: 'card', amountMinor: 1500 }]));
    expect(s).toMatchObject({ paidMinor: 1500, dueMinor: 3500, complete: false, changeDueMinor: 0 });
  });

  it('uses the currency for messages (JPY has no decimals, KWD three)', () => {
    expectRuleError(
      () => settlePayments({ currency: 'JPY', totalMinor: 1200, payments: [{ method: 'cash', amountMinor: 1000 }] }),
      'payments_short',
      'Payments cover 1000 of 1200; 200 still due.',
    );
    expectRuleError(
      () => settlePayments({ currency: 'KWD', totalMinor: 1250, payments: [{ method: 'card', amountMinor: 1000 }] }),
      'payments_short',
      'Payments cover 1.000 of 1.250; 0.250 still due.',
    );
  });
});

describe('payment errors', () => {
  const cases: [string, PaymentsInput, string, string][] = [
    ['short', sale([{ method: 'cash', amountMinor: 4500 }]), 'payments_short', 'Payments cover 45.00 of 50.00; 5.00 still due.'],
    [
      'card above the total',
      sale([{ method: 'card', amountMinor: 6000 }]),
      'non_cash_exceeds_due',
      'Payment 1 (card 60.00) is more than the 50.00 still due; only cash can be more than what is due (the rest is given as change).',
    ],
    [
      'mobile money above what the card left',
      sale([{ method: 'card', amountMinor: 3000 }, { method: 'mobile_money', amountMinor: 2500 }]),
      'non_cash_exceeds_due',
      'Payment 2 (mobile money 25.00) is more than the 20.00 still due; only cash can be more than what is due (the rest is given as change).',
    ],
    [
      'credit without a customer',
      sale([{ method: 'customer_credit', amountMinor: 5000 }]),
      'credit_requires_customer',
      'A sale on customer credit (50.00) needs a customer: choose the customer first, or take another payment method.',
    ],
    [
      'credit with an empty customer id',
      sale([{ method: 'customer_credit', amountMinor: 5000 }], { customerId: '' }),
      'credit_requires_customer',
      'A sale on customer credit (50.00) needs a customer: choose the customer first, or take another payment method.',
    ],
    [
      'credit over the limit',
      sale([{ method: 'customer_credit', amountMinor: 5000 }], { customerId: 'c1', creditAvailableMinor: 2000 }),
      'credit_over_limit',
      "Customer credit of 50.00 is more than this customer's available credit of 20.00.",
    ],
    ['zero payment', sale([{ method: 'card', amountMinor: 0 }]), 'payment_not_positive', 'Payment 1 (card 0.00): enter an amount above 0.'],
    ['negative payment', sale([{ method: 'cash', amountMinor: -100 }]), 'payment_not_positive', 'Payment 1 (cash -1.00): enter an amount above 0.'],
    ['float payment', sale([{ method: 'cash', amountMinor: 10.5 }]), 'not_integer', 'Payment 1: the amount in minor units must be a whole number, got 10.5.'],
    [
      'unknown method',
      sale([{ method: 'cheque' as never, amountMinor: 100 }]),
      'invalid_payment_method',
      'Payment 1: "cheque" is not a payment method; use cash, card, mobile money or customer credit.',
    ],
    [
      'cash that is not needed',
      sale([{ method: 'card', amountMinor: 5000 }, { method: 'cash', amountMinor: 1000 }]),
      'payment_not_needed',
      'Payment 2 (cash 10.00) is not needed: the sale is already paid.',
    ],
    ['negative total', sale([], { totalMinor: -1 }), 'invalid_total', 'The sale total cannot be negative (got -0.01).'],
    [
      'too many payments',
      sale(Array.from({ length: 21 }, () => ({ method: 'cash' as const, amountMinor: 1 }))),
      'too_many_payments',
      'A sale can be paid in at most 20 parts; this one has 21.',
    ],
  ];
  it.each(cases)('%s', (_name, input, code, message) => {
    expectRuleError(() => settlePayments(input), code, message);
  });

  it('errors carry the payment index for the UI', () => {
    const r = tryCounter(() => settlePayments(sale([{ method: 'cash', amountMinor: 100 }, { method: 'card', amountMinor: 0 }])));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'payment_not_positive', lineIndex: 1, field: 'payments' });
  });
});

describe('payment properties', () => {
  const payment = fc.record({
    method: fc.constantFrom('cash' as const, 'card' as const, 'mobile_money' as const, 'customer_credit' as const),
    amountMinor: fc.integer({ min: 1, max: 20_000 }),
  });
  it('applied amounts never exceed the total; change comes only from cash overpay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), fc.array(payment, { maxLength: 6 }), (totalMinor, payments) => {
        const r = tryCounter(() => summarisePayments({ currency: 'USD', totalMinor, payments, customerId: 'c' }));
        if (!r.ok) {
          expect(['non_cash_exceeds_due', 'payment_not_needed']).toContain(r.error.code);
          return;
        }
        const s = r.value;
        const applied = s.payments.reduce((a, p) => a + p.amountMinor, 0);
        expect(applied).toBe(s.paidMinor);
        expect(s.paidMinor + s.dueMinor).toBe(totalMinor);
        expect(Object.values(s.byMethod).reduce((a, b) => a + b, 0)).toBe(s.paidMinor);
        const cashTendered = payments.filter((p) => p.method === 'cash').reduce((a, p) => a + p.amountMinor, 0);
        expect(s.changeDueMinor).toBe(cashTendered - s.byMethod.cash);
        if (s.changeDueMinor > 0) expect(s.dueMinor).toBe(0);
        for (const [i, p] of s.payments.entries()) {
          if (p.method !== 'cash') expect(p.amountMinor).toBe(payments[i]!.amountMinor);
          expect(p.amountMinor).toBeGreaterThan(0);
        }
        expect(s.complete).toBe(s.dueMinor === 0);
      }),
      { numRuns: 500 },
    );
  });
});
