import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CounterRuleError } from './errors';
import { summariseCustomerCredit } from './credit-balance';

describe('summariseCustomerCredit', () => {
  it('ages the oldest unpaid debt, first in first out', () => {
    const entries = [
      { id: 'a', amountMinor: 1000, day: '2024-03-01' },
      { id: 'b', amountMinor: 500, day: '2024-03-10' },
      { amountMinor: -1200, day: '2024-03-12' }, // pays all of a and 200 of b
    ];
    expect(summariseCustomerCredit(entries, '2024-03-31')).toEqual({ balanceMinor: 300, oldestUnpaidDay: '2024-03-10', ageDays: 21 });
  });

  it('a reversal cancels the entry it names, not the oldest', () => {
    const entries = [
      { id: 'a', amountMinor: 1000, day: '2024-03-01' },
      { id: 'b', amountMinor: 500, day: '2024-03-10' },
      { amountMinor: -1000, day: '2024-03-11', reversesId: 'a' },
    ];
    expect(summariseCustomerCredit(entries, '2024-03-11')).toEqual({ balanceMinor: 500, oldestUnpaidDay: '2024-03-10', ageDays: 1 });
  });

  it('prepaid credit settles later debts; nothing owed has no age', () => {
    const entries = [
      { amountMinor: -300, day: '2024-01-01' },
      { amountMinor: 200, day: '2024-01-02' },
    ];
    expect(summariseCustomerCredit(entries, '2024-02-01')).toEqual({ balanceMinor: -100 });
    expect(summariseCustomerCredit([...entries, { amountMinor: 500, day: '2024-01-05' }], '2024-01-05')).toEqual({
      balanceMinor: 400,
      oldestUnpaidDay: '2024-01-05',
      ageDays: 0,
    });
  });

  it('orders entries by day, then time', () => {
    const entries = [
      { amountMinor: -100, day: '2024-05-02', createdAt: 2 },
      { amountMinor: 100, day: '2024-05-02', createdAt: 1 },
      { amountMinor: 50, day: '2024-05-03', createdAt: 3 },
    ];
    expect(summariseCustomerCredit(entries, '2024-05-04')).toEqual({ balanceMinor: 50, oldestUnpaidDay: '2024-05-03', ageDays: 1 });
  });

  it('refuses bad days and amounts', () => {
    expect(() => summariseCustomerCredit([], '2024-13-01')).toThrow(expect.objectContaining({ code: 'invalid_day', message: '"2024-13-01" is not a day (YYYY-MM-DD).' }));
    expect(() => summariseCustomerCredit([], '2024-13-01')).toThrow(CounterRuleError);
    expect(() => summariseCustomerCredit([{ amountMinor: 1.5, day: '2024-01-01' }], '2024-01-02')).toThrow(
      'A credit entry amount must be a whole number of minor units, got 1.5.',
    );
  });

  it('the balance is the sum of the entries, and something owed always has an age', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ amountMinor: fc.integer({ min: -5000, max: 5000 }), d: fc.integer({ min: 1, max: 28 }) }), { maxLength: 30 }), (es) => {
        const entries = es.map((e) => ({ amountMinor: e.amountMinor, day: `2024-02-${String(e.d).padStart(2, '0')}` }));
        const r = summariseCustomerCredit(entries, '2024-02-29');
        expect(r.balanceMinor).toBe(entries.reduce((s, e) => s + e.amountMinor, 0));
        if (r.balanceMinor > 0) expect(r.ageDays).toBeGreaterThanOrEqual(1);
        else expect(r.ageDays).toBeUndefined();
      }),
    );
  });
});
