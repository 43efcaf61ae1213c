// Insights for a period, computed by streaming: createInsightsAccumulator() then add()
// each sale (addCreditNote, addExpense for the rest) and result() at the end. Memory is
// bounded by the number of distinct products, customers and expense categories, never
// by the number of sales, so the core can feed 1,000,000 sales from a cursor.
//
// - Heat map: sales count and amount per weekday (0 = Monday ... 6 = Sunday) and hour
//   (0..23) in the SHOP's time zone. Pass localWeekday/localHour if the store already
//   has them, otherwise `at` (epoch ms) and a timeZone; zone offsets are cached per
//   15-minute slot, so 1,000,000 sales cost a few thousand Intl calls, not a million.
// - Revenue figures are what customers paid (line and sale totals, tax included);
//   refunds (credit notes) reduce product, customer and period figures.
// - Product key: productId, or for open items without one, "name:<lower-case name>".
import { allocateMinor, mulDiv } from '../money';
import { isValidTimeZone, timeZoneOffsetMs } from '../dates';
import type { PaymentMethod } from '../schema/fields';
import { CounterRuleError } from './errors';
import { assertCurrency } from './format';
import { emptyByMethod, type ByMethod } from './payments';

export interface InsightLine {
  productId?: string;
  name?: string;
  quantityMilli: number;
  totalMinor: number;
}

export interface InsightSale {
  /** Epoch ms of the sale; needed unless localWeekday and localHour are given, and for customer first/last purchase. */
  at?: number;
  /** 0 = Monday ... 6 = Sunday, in the shop's time zone. */
  localWeekday?: number;
  /** 0..23 in the shop's time zone. */
  localHour?: number;
  currency?: string;
  totalMinor: number;
  /** '' or absent = walk-in. */
  customerId?: string;
  lines: readonly InsightLine[];
  payments: readonly { method: PaymentMethod; amountMinor: number }[];
}

export interface InsightCreditNote {
  currency?: string;
  totalMinor: number;
  customerId?: string;
  lines: readonly InsightLine[];
  refunds?: readonly { method: PaymentMethod; amountMinor: number }[];
}

export interface InsightExpense {
  currency?: string;
  amountMinor: number;
  /** '' = uncategorised. */
  categoryId: string;
}

export interface InsightsOptions {
  currency: string;
  /** IANA zone of the shop; required when sales come with `at` only. */
  timeZone?: string;
}

export interface ResultOptions {
  /** Length of the top-products lists (default 10). */
  topProducts?: number;
  /** How many customers to list, by lifetime value (default 100). */
  customers?: number;
}

export interface HeatCell {
  count: number;
  totalMinor: number;
}

export interface ProductStat {
  key: string;
  productId: string;
  name: string;
  quantityMilli: number;
  revenueMinor: number;
  /** Sales that contained the product. */
  salesCount: number;
}

export interface CustomerMetrics {
  customerId: string;
  visits: number;
  /** Sales totals minus refunds in the period. */
  lifetimeValueMinor: number;
  averageTicketMinor: number;
  firstPurchaseAt?: number;
  lastPurchaseAt?: number;
}

export interface InsightsResult {
  currency: string;
  salesCount: number;
  revenueMinor: number;
  refundsCount: number;
  refundsMinor: number;
  netRevenueMinor: number;
  averageTicketMinor: number;
  firstSaleAt?: number;
  lastSaleAt?: number;
  /** heatmap[weekday 0=Mon..6=Sun][hour 0..23]. */
  heatmap: HeatCell[][];
  /** Busiest cell by count (ties: earliest weekday, then hour); undefined without sales. */
  peak?: { weekday: number; hour: number; count: number; totalMinor: number };
  topProductsByRevenue: ProductStat[];
  topProductsByQuantity: ProductStat[];
  paymentMix: {
    method: PaymentMethod;
    amountMinor: number;
    count: number;
    /** Share of all sale payments in basis points; the shares sum to exactly 10000. */
    shareBp: number;
  }[];
  refundsByMethod: ByMethod;
  expensesByCategory: { categoryId: string; amountMinor: number; count: number }[];
  expensesTotalMinor: number;
  customerCount: number;
  repeatCustomerCount: number;
  walkInSalesCount: number;
  /** By lifetime value, descending (ties by customerId). */
  customers: CustomerMetrics[];
}

export interface InsightsAccumulator {
  add(sale: InsightSale): void;
  addCreditNote(note: InsightCreditNote): void;
  addExpense(expense: InsightExpense): void;
  result(options?: ResultOptions): InsightsResult;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const SLOT_MS = 900_000;

/**
 * Local weekday (0 = Monday) and hour of an instant in a zone, with a per-15-minute
 * cache of the zone offset (a slot whose offset changes inside it is computed exactly).
 */
export function createLocalTimeResolver(timeZone: string): (epochMs: number) => { weekday: number; hour: number } {
  if (!isValidTimeZone(timeZone)) {
    throw new CounterRuleError('invalid_setting', `"${timeZone}" is not a time zone; set the shop's time zone (for example Africa/Nairobi) in Settings.`, { field: 'timeZone' });
  }
  const cache = new Map<number, number | null>();
  // Sales usually arrive in time order: remember the last slot before asking the map.
  let lastSlot = Number.NaN;
  let lastOffset: number | null = null;
  return (epochMs) => {
    if (!Number.isFinite(epochMs)) throw new CounterRuleError('invalid_time', `A sale has no valid time (${String(epochMs)}).`, { field: 'at' });
    const slot = Math.floor(epochMs / SLOT_MS);
    let offset = slot === lastSlot ? lastOffset : cache.get(slot);
    if (offset === undefined) {
      const a = timeZoneOffsetMs(slot * SLOT_MS, timeZone);
      const b = timeZoneOffsetMs(slot * SLOT_MS + SLOT_MS - 1, timeZone);
      offset = a === b ? a : null;
      if (cache.size > 200_000) cache.clear();
      cache.set(slot, offset);
    }
    lastSlot = slot;
    lastOffset = offset;
    const local = epochMs + (offset ?? timeZoneOffsetMs(epochMs, timeZone));
    const days = Math.floor(local / DAY_MS);
    return { weekday: (((days + 3) % 7) + 7) % 7, hour: Math.floor((local - days * DAY_MS) / HOUR_MS) };
  };
}

function productKey(l: InsightLine): string {
  const productId = l.productId ?? '';
  return productId !== '' ? productId : `name:${(l.name ?? '').trim().toLowerCase()}`;
}

interface CustomerAcc {
  visits: number;
  value: number;
  first?: number;
  last?: number;
}

function checkInt(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new CounterRuleError('not_integer', `${what} must be a whole number of minor units, got ${String(n)}.`);
}

export function createInsightsAccumulator(options: InsightsOptions): InsightsAccumulator {
  const { currency } = options;
  assertCurrency(currency);
  const resolve = options.timeZone !== undefined ? createLocalTimeResolver(options.timeZone) : undefined;
  const heat: HeatCell[][] = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => ({ count: 0, totalMinor: 0 })));
  /** `mark`: serial of the last sale that counted the product (salesCount once per sale). */
  const products = new Map<string, ProductStat & { mark: number }>();
  const customers = new Map<string, CustomerAcc>();
  const expenses = new Map<string, { amountMinor: number; count: number }>();
  const payAmount = emptyByMethod();
  const payCount = emptyByMethod();
  const refundsByMethod = emptyByMethod();
  let salesCount = 0;
  let revenue = 0;
  let refundsCount = 0;
  let refunds = 0;
  let walkIns = 0;
  let firstAt: number | undefined;
  let lastAt: number | undefined;

  const sameCurrency = (c: string | undefined, what: string) => {
    if (c !== undefined && c !== currency) {
      throw new CounterRuleError('currency_mismatch', `${what} is in ${c} but these insights are in ${currency}.`);
    }
  };

  const product = (l: InsightLine): ProductStat & { mark: number } => {
    const key = productKey(l);
    let p = products.get(key);
    if (!p) {
      p = { key, productId: l.productId ?? '', name: l.name ?? '', quantityMilli: 0, revenueMinor: 0, salesCount: 0, mark: 0 };
      products.set(key, p);
    }
    return p;
  };

  return {
    add(sale) {
      sameCurrency(sale.currency, 'A sale');
      checkInt(sale.totalMinor, 'A sale total');
      let weekday = sale.localWeekday;
      let hour = sale.localHour;
      if (weekday === undefined || hour === undefined) {
        if (sale.at === undefined || !resolve) {
          throw new CounterRuleError('invalid_time', 'A sale needs its local weekday and hour, or its time and the shop time zone, for the heat map.', { field: 'at' });
        }
        ({ weekday, hour } = resolve(sale.at));
      }
      const cell = heat[weekday]?.[hour];
      if (!cell) throw new CounterRuleError('invalid_time', `Weekday ${weekday} / hour ${hour} is not a time of the week (weekday 0-6, hour 0-23).`, { field: 'localHour' });
      cell.count++;
      cell.totalMinor += sale.totalMinor;

      salesCount++;
      revenue += sale.totalMinor;
      if (sale.at !== undefined) {
        if (firstAt === undefined || sale.at < firstAt) firstAt = sale.at;
        if (lastAt === undefined || sale.at > lastAt) lastAt = sale.at;
      }

      // Each product counts once per sale in salesCount, even on several lines.
      const serial = salesCount;
      for (const l of sale.lines) {
        checkInt(l.totalMinor, 'A line total');
        const p = product(l);
        p.quantityMilli += l.quantityMilli;
        p.revenueMinor += l.totalMinor;
        if (p.mark !== serial) {
          p.mark = serial;
          p.salesCount++;
        }
      }
      for (const pay of sale.payments) {
        checkInt(pay.amountMinor, 'A payment');
        payAmount[pay.method] += pay.amountMinor;
        payCount[pay.method]++;
      }
      if (sale.customerId) {
        let c = customers.get(sale.customerId);
        if (!c) {
          c = { visits: 0, value: 0 };
          customers.set(sale.customerId, c);
        }
        c.visits++;
        c.value += sale.totalMinor;
        if (sale.at !== undefined) {
          if (c.first === undefined || sale.at < c.first) c.first = sale.at;
          if (c.last === undefined || sale.at > c.last) c.last = sale.at;
        }
      } else {
        walkIns++;
      }
    },

    addCreditNote(note) {
      sameCurrency(note.currency, 'A credit note');
      checkInt(note.totalMinor, 'A credit note total');
      refundsCount++;
      refunds += note.totalMinor;
      for (const l of note.lines) {
        checkInt(l.totalMinor, 'A credit note line total');
        const p = product(l);
        p.quantityMilli -= l.quantityMilli;
        p.revenueMinor -= l.totalMinor;
      }
      for (const r of note.refunds ?? []) {
        checkInt(r.amountMinor, 'A refund');
        refundsByMethod[r.method] += r.amountMinor;
      }
      if (note.customerId) {
        let c = customers.get(note.customerId);
        if (!c) {
          c = { visits: 0, value: 0 };
          customers.set(note.customerId, c);
        }
        c.value -= note.totalMinor;
      }
    },

    addExpense(expense) {
      sameCurrency(expense.currency, 'An expense');
      checkInt(expense.amountMinor, 'An expense');
      let e = expenses.get(expense.categoryId);
      if (!e) {
        e = { amountMinor: 0, count: 0 };
        expenses.set(expense.categoryId, e);
      }
      e.amountMinor += expense.amountMinor;
      e.count++;
    },

    result(opts = {}) {
      const topN = opts.topProducts ?? 10;
      const customerLimit = opts.customers ?? 100;
      for (const [what, n] of [['Revenue', revenue], ['Refunds', refunds]] as const) {
        if (!Number.isSafeInteger(n)) throw new CounterRuleError('invalid_amount', `${what} for this period is too large to add up exactly; choose a shorter period.`);
      }
      const all: ProductStat[] = [...products.values()].map(({ mark: _mark, ...p }) => p);
      const byKey = (a: ProductStat, b: ProductStat) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
      const topProductsByRevenue = [...all].sort((a, b) => b.revenueMinor - a.revenueMinor || byKey(a, b)).slice(0, topN);
      const topProductsByQuantity = [...all].sort((a, b) => b.quantityMilli - a.quantityMilli || byKey(a, b)).slice(0, topN);

      const methods = Object.keys(payAmount) as PaymentMethod[];
      const payTotal = methods.reduce((s, m) => s + Math.max(0, payAmount[m]), 0);
      const shares = payTotal > 0 ? allocateMinor(10_000, methods.map((m) => Math.max(0, payAmount[m]))) : methods.map(() => 0);
      const paymentMix = methods.map((method, i) => ({ method, amountMinor: payAmount[method], count: payCount[method], shareBp: shares[i]! }));

      const expensesByCategory = [...expenses.entries()]
        .map(([categoryId, e]) => ({ categoryId, ...e }))
        .sort((a, b) => b.amountMinor - a.amountMinor || (a.categoryId < b.categoryId ? -1 : 1));

      let repeat = 0;
      const customerList: CustomerMetrics[] = [];
      for (const [customerId, c] of customers) {
        if (c.visits > 1) repeat++;
        const m: CustomerMetrics = {
          customerId,
          visits: c.visits,
          lifetimeValueMinor: c.value,
          averageTicketMinor: c.visits > 0 ? mulDiv(c.value, 1, c.visits) : 0,
        };
        if (c.first !== undefined) m.firstPurchaseAt = c.first;
        if (c.last !== undefined) m.lastPurchaseAt = c.last;
        customerList.push(m);
      }
      customerList.sort((a, b) => b.lifetimeValueMinor - a.lifetimeValueMinor || (a.customerId < b.customerId ? -1 : 1));

      let peak: InsightsResult['peak'];
      heat.forEach((row, weekday) =>
        row.forEach((cell, hour) => {
          if (cell.count > 0 && (!peak || cell.count > peak.count)) peak = { weekday, hour, ...cell };
        }),
      );

      const out: InsightsResult = {
        currency,
        salesCount,
        revenueMinor: revenue,
        refundsCount,
        refundsMinor: refunds,
        netRevenueMinor: revenue - refunds,
        averageTicketMinor: salesCount > 0 ? mulDiv(revenue, 1, salesCount) : 0,
        heatmap: heat.map((row) => row.map((c) => ({ ...c }))),
        topProductsByRevenue,
        topProductsByQuantity,
        paymentMix,
        refundsByMethod: { ...refundsByMethod },
        expensesByCategory,
        expensesTotalMinor: expensesByCategory.reduce((s, e) => s + e.amountMinor, 0),
        customerCount: customers.size,
        repeatCustomerCount: repeat,
        walkInSalesCount: walkIns,
        customers: customerList.slice(0, customerLimit),
      };
      if (firstAt !== undefined) out.firstSaleAt = firstAt;
      if (lastAt !== undefined) out.lastSaleAt = lastAt;
      if (peak) out.peak = peak;
      return out;
    },
  };
}
