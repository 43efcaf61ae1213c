import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hourOfDay } from '../dates';
import { CounterRuleError } from './errors';
import { createInsightsAccumulator, createLocalTimeResolver, type InsightSale } from './insights';

const s = (weekday: number, hour: number, sale: Omit<InsightSale, 'localWeekday' | 'localHour'>): InsightSale => ({ localWeekday: weekday, localHour: hour, ...sale });

describe('insights', () => {
  it('aggregates a small period', () => {
    const acc = createInsightsAccumulator({ currency: 'KES' });
    acc.add(
      s(0, 9, {
        at: 1000,
        totalMinor: 3000,
        customerId: 'jane',
        lines: [
          { productId: 'milk', name: 'Milk', quantityMilli: 2000, totalMinor: 2000 },
          { productId: 'bread', name: 'Bread', quantityMilli: 1000, totalMinor: 1000 },
        ],
        payments: [{ method: 'cash', amountMinor: 3000 }],
      }),
    );
    acc.add(
      s(0, 9, {
        at: 2000,
        totalMinor: 5000,
        customerId: 'jane',
        lines: [
          { productId: 'milk', name: 'Milk', quantityMilli: 1000, totalMinor: 1000 },
          { productId: 'milk', name: 'Milk', quantityMilli: 1000, totalMinor: 1000 },
          { name: 'Repair ', quantityMilli: 1000, totalMinor: 3000 },
        ],
        payments: [
          { method: 'card', amountMinor: 4000 },
          { method: 'mobile_money', amountMinor: 1000 },
        ],
      }),
    );
    acc.add(s(5, 17, { at: 3000, totalMinor: 1000, lines: [{ productId: 'bread', quantityMilli: 1000, totalMinor: 1000 }], payments: [{ method: 'cash', amountMinor: 1000 }] }));
    acc.addCreditNote({ totalMinor: 1000, customerId: 'jane', lines: [{ productId: 'milk', quantityMilli: 1000, totalMinor: 1000 }], refunds: [{ method: 'cash', amountMinor: 1000 }] });
    acc.addExpense({ amountMinor: 700, categoryId: 'transport' });
    acc.addExpense({ amountMinor: 300, categoryId: 'transport' });
    acc.addExpense({ amountMinor: 2000, categoryId: 'rent' });
    const r = acc.result({ topProducts: 2 });

    expect(r).toMatchObject({
      salesCount: 3,
      revenueMinor: 9000,
      refundsCount: 1,
      refundsMinor: 1000,
      netRevenueMinor: 8000,
      averageTicketMinor: 3000,
      firstSaleAt: 1000,
      lastSaleAt: 3000,
      peak: { weekday: 0, hour: 9, count: 2, totalMinor: 8000 },
      walkInSalesCount: 1,
      customerCount: 1,
      repeatCustomerCount: 1,
      expensesTotalMinor: 3000,
      refundsByMethod: { cash: 1000, card: 0, mobile_money: 0, customer_credit: 0 },
    });
    expect(r.heatmap[5]![17]).toEqual({ count: 1, totalMinor: 1000 });
    // milk: 4 sold - 1 refunded = 3, revenue 4000 - 1000 = 3000; counted once per sale
    expect(r.topProductsByRevenue).toEqual([
      { key: 'milk', productId: 'milk', name: 'Milk', quantityMilli: 3000, revenueMinor: 3000, salesCount: 2 },
      { key: 'name:repair', productId: '', name: 'Repair ', quantityMilli: 1000, revenueMinor: 3000, salesCount: 1 },
    ]);
    expect(r.topProductsByQuantity.map((p) => [p.key, p.quantityMilli])).toEqual([
      ['milk', 3000],
      ['bread', 2000],
    ]);
    // 4000 cash, 4000 card, 1000 mobile money of 9000: 4444.4, 4444.4, 1111.1 bp -> largest remainder sums to 10000
    expect(r.paymentMix).toEqual([
      { method: 'cash', amountMinor: 4000, count: 2, shareBp: 4445 },
      { method: 'card', amountMinor: 4000, count: 1, shareBp: 4444 },
      { method: 'mobile_money', amountMinor: 1000, count: 1, shareBp: 1111 },
      { method: 'customer_credit', amountMinor: 0, count: 0, shareBp: 0 },
    ]);
    expect(r.expensesByCategory).toEqual([
      { categoryId: 'rent', amountMinor: 2000, count: 1 },
      { categoryId: 'transport', amountMinor: 1000, count: 2 },
    ]);
    expect(r.customers).toEqual([{ customerId: 'jane', visits: 2, lifetimeValueMinor: 7000, averageTicketMinor: 3500, firstPurchaseAt: 1000, lastPurchaseAt: 2000 }]);
  });

  it('an empty period', () => {
    const r = createInsightsAccumulator({ currency: 'USD' }).result();
    expect(r).toMatchObject({ salesCount: 0, averageTicketMinor: 0, customers: [], topProductsByRevenue: [] });
    expect(r.peak).toBeUndefined();
    expect(r.paymentMix.every((m) => m.shareBp === 0)).toBe(true);
  });

  it('computes weekday and hour in the shop time zone', () => {
    const acc = createInsightsAccumulator({ currency: 'KES', timeZone: 'Africa/Nairobi' });
    // Sunday 2024-03-10 22:30 UTC = Monday 01:30 in Nairobi (UTC+3)
    acc.add({ at: Date.UTC(2024, 2, 10, 22, 30), totalMinor: 100, lines: [], payments: [] });
    expect(acc.result().heatmap[0]![1]).toEqual({ count: 1, totalMinor: 100 });
  });

  it('refuses what it cannot place or mixes up', () => {
    const acc = createInsightsAccumulator({ currency: 'KES' });
    expect(() => acc.add({ at: 1, totalMinor: 1, lines: [], payments: [] })).toThrow(
      'A sale needs its local weekday and hour, or its time and the shop time zone, for the heat map.',
    );
    expect(() => acc.add({ localWeekday: 7, localHour: 0, totalMinor: 1, lines: [], payments: [] })).toThrow(
      'Weekday 7 / hour 0 is not a time of the week (weekday 0-6, hour 0-23).',
    );
    expect(() => acc.add({ currency: 'USD', localWeekday: 0, localHour: 0, totalMinor: 1, lines: [], payments: [] })).toThrow(
      'A sale is in USD but these insights are in KES.',
    );
    expect(() => createInsightsAccumulator({ currency: 'KES', timeZone: 'Mars/Olympus' })).toThrow(CounterRuleError);
    expect(() => createInsightsAccumulator({ currency: 'KES', timeZone: 'Mars/Olympus' })).toThrow(
      '"Mars/Olympus" is not a time zone; set the shop\'s time zone (for example Africa/Nairobi) in Settings.',
    );
  });
});

describe('insights properties', () => {
  const weekdayIndex: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  it('the cached local time resolver agrees with Intl in zones with DST and odd offsets', () => {
    const zones = ['Africa/Nairobi', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
    const resolvers = new Map(zones.map((z) => [z, createLocalTimeResolver(z)]));
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, at) => {
        const wd = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short' }).format(at);
        expect(resolvers.get(zone)!(at)).toEqual({ weekday: weekdayIndex[wd], hour: hourOfDay(at, zone) });
      }),
      { numRuns: 2000 },
    );
  });

  it('around DST switches, minute by minute', () => {
    const resolve = createLocalTimeResolver('America/New_York');
    const start = Date.UTC(2024, 2, 10, 5, 0); // 2024-03-10 00:00 EST; clocks jump 02:00 -> 03:00
    for (let t = start; t < start + 6 * 3_600_000; t += 60_000) {
      expect(resolve(t).hour).toBe(hourOfDay(t, 'America/New_York'));
    }
  });

  it('streaming gives the same figures as adding everything up at once', () => {
    const saleArb = fc.record({
      localWeekday: fc.integer({ min: 0, max: 6 }),
      localHour: fc.integer({ min: 0, max: 23 }),
      customerId: fc.constantFrom('', 'a', 'b', 'c'),
      lines: fc.array(fc.record({ productId: fc.constantFrom('p1', 'p2', 'p3', 'p4'), quantityMilli: fc.integer({ min: 1, max: 5000 }), totalMinor: fc.integer({ min: 0, max: 10000 }) }), {
        maxLength: 4,
      }),
      method: fc.constantFrom('cash' as const, 'card' as const, 'mobile_money' as const, 'customer_credit' as const),
    });
    fc.assert(
      fc.property(fc.array(saleArb, { maxLength: 60 }), (specs) => {
        const acc = createInsightsAccumulator({ currency: 'USD' });
        const sales = specs.map((sp) => {
          const totalMinor = sp.lines.reduce((a, l) => a + l.totalMinor, 0);
          return { ...sp, totalMinor, payments: totalMinor > 0 ? [{ method: sp.method, amountMinor: totalMinor }] : [] };
        });
        for (const sale of sales) acc.add(sale);
        const r = acc.result({ topProducts: 10, customers: 10 });
        const revenue = sales.reduce((a, x) => a + x.totalMinor, 0);
        expect(r.revenueMinor).toBe(revenue);
        expect(r.heatmap.flat().reduce((a, c) => a + c.count, 0)).toBe(sales.length);
        expect(r.heatmap.flat().reduce((a, c) => a + c.totalMinor, 0)).toBe(revenue);
        expect(r.topProductsByRevenue.reduce((a, p) => a + p.revenueMinor, 0)).toBe(revenue);
        expect(r.paymentMix.reduce((a, m) => a + m.amountMinor, 0)).toBe(revenue);
        expect(r.paymentMix.reduce((a, m) => a + m.shareBp, 0)).toBe(revenue > 0 ? 10000 : 0);
        expect(r.customers.reduce((a, c) => a + c.visits, 0) + r.walkInSalesCount).toBe(sales.length);
        for (const p of r.topProductsByRevenue) {
          const lines = sales.flatMap((x) => x.lines.filter((l) => l.productId === p.productId));
          expect(p.quantityMilli).toBe(lines.reduce((a, l) => a + l.quantityMilli, 0));
        }
      }),
      { numRuns: 300 },
    );
  });
});
