// Insight tables: per day the sales totals, the weekday x hour heat map, products,
// payment methods, expense categories and customers, in the store's SQLite file.
// A period's insights are a few GROUP BYs over (days x products / customers / ...)
// rows instead of a scan of its sales: 90 days of a 1,000,000-sale store is
// thousands of rows, not 500,000 documents.
//
// Kept exact by the write hook (see derived.ts) on sales, creditNotes and expenses:
//  - a document that starts counting adds its contribution;
//  - a credit note or expense that stops counting or changes subtracts its previous
//    contribution (the hook sees the stored previous version) and adds the new one;
//  - a finalised sale that changes or disappears (rare: finalised sales are locked)
//    makes its day be recomputed from the source documents, because first/last
//    purchase times are minima and maxima, which cannot be subtracted.
// What counts: finalised sales, credit notes and expenses, not deleted, in the shop
// currency. Sale time = finalisedAt (else createdAt), weekday/hour in the shop zone.
// Semantics are those of createInsightsAccumulator (src/shared/counter/insights.ts);
// insights.test.ts checks equality after random inserts, updates and refunds.
import type Database from 'better-sqlite3';
import { createLocalTimeResolver, type InsightsResult, type ProductStat, type CustomerMetrics } from '@shared/counter';
import { allocateMinor, mulDiv } from '@shared/money';
import { PAYMENT_METHODS, type PaymentMethod } from '@shared/schema/fields';
import type { CreditNoteDoc, ExpenseDoc, SaleDoc } from '@shared/schema';
import type { WriteHookEvent } from '../../store/rxstorage-better-sqlite3';
import type { Derived, DerivedSpec } from './derived';
import type { Sources } from './context';

/** Bump when the tables or what counts change: the tables are rebuilt at the next start. */
export const INSIGHTS_VERSION = 1;

export interface InsightsConfig {
  currency: string;
  timeZone: string;
}

const DDL = [
  `CREATE TABLE IF NOT EXISTS cm_ins_day (day TEXT PRIMARY KEY, sales INTEGER NOT NULL, revenue INTEGER NOT NULL, walkins INTEGER NOT NULL,
     refunds_count INTEGER NOT NULL, refunds INTEGER NOT NULL, min_at INTEGER, max_at INTEGER) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS cm_ins_hour (day TEXT NOT NULL, weekday INTEGER NOT NULL, hour INTEGER NOT NULL, count INTEGER NOT NULL, total INTEGER NOT NULL,
     PRIMARY KEY (day, weekday, hour)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS cm_ins_product (day TEXT NOT NULL, pkey TEXT NOT NULL, product_id TEXT NOT NULL, name TEXT NOT NULL, qty INTEGER NOT NULL,
     revenue INTEGER NOT NULL, sales INTEGER NOT NULL, docs INTEGER NOT NULL, PRIMARY KEY (day, pkey)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS cm_ins_pay (day TEXT NOT NULL, method TEXT NOT NULL, amount INTEGER NOT NULL, count INTEGER NOT NULL, refund_amount INTEGER NOT NULL,
     PRIMARY KEY (day, method)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS cm_ins_expense (day TEXT NOT NULL, category_id TEXT NOT NULL, amount INTEGER NOT NULL, count INTEGER NOT NULL,
     PRIMARY KEY (day, category_id)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS cm_ins_customer (day TEXT NOT NULL, customer_id TEXT NOT NULL, visits INTEGER NOT NULL, value INTEGER NOT NULL, docs INTEGER NOT NULL,
     min_at INTEGER, max_at INTEGER, PRIMARY KEY (day, customer_id)) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS cm_ins_customer_by_customer ON cm_ins_customer (customer_id, day)`,
];
const TABLES = ['cm_ins_day', 'cm_ins_hour', 'cm_ins_product', 'cm_ins_pay', 'cm_ins_expense', 'cm_ins_customer'];

// ---------------------------------------------------------------------------
// Contributions

const minAt = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxAt = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

interface DayRow { sales: number; revenue: number; walkins: number; refundsCount: number; refunds: number; minAt: number | null; maxAt: number | null }
interface ProductRow { productId: string; name: string; qty: number; revenue: number; sales: number; docs: number }
interface PayRow { amount: number; count: number; refundAmount: number }
interface CustomerRow { visits: number; value: number; docs: number; minAt: number | null; maxAt: number | null }

/** Increments for the insight tables, collected in memory and written in one go. */
export class Delta {
  readonly days = new Map<string, DayRow>();
  readonly hours = new Map<string, { day: string; weekday: number; hour: number; count: number; total: number }>();
  readonly products = new Map<string, { day: string; pkey: string } & ProductRow>();
  readonly pays = new Map<string, { day: string; method: string } & PayRow>();
  readonly expenses = new Map<string, { day: string; categoryId: string; amount: number; count: number }>();
  readonly customers = new Map<string, { day: string; customerId: string } & CustomerRow>();

  constructor(private readonly resolve: (at: number) => { weekday: number; hour: number }) {}

  private day(day: string): DayRow {
    let r = this.days.get(day);
    if (!r) this.days.set(day, (r = { sales: 0, revenue: 0, walkins: 0, refundsCount: 0, refunds: 0, minAt: null, maxAt: null }));
    return r;
  }

  private product(day: string, line: { productId: string; name: string }): ProductRow {
    const pkey = productKey(line);
    const k = `${day}|${pkey}`;
    let r = this.products.get(k);
    if (!r) this.products.set(k, (r = { day, pkey, productId: line.productId, name: line.name, qty: 0, revenue: 0, sales: 0, docs: 0 }));
    return r;
  }

  private pay(day: string, method: string): PayRow {
    const k = `${day}|${method}`;
    let r = this.pays.get(k);
    if (!r) this.pays.set(k, (r = { day, method, amount: 0, count: 0, refundAmount: 0 }));
    return r;
  }

  private customer(day: string, customerId: string): CustomerRow {
    const k = `${day}|${customerId}`;
    let r = this.customers.get(k);
    if (!r) this.customers.set(k, (r = { day, customerId, visits: 0, value: 0, docs: 0, minAt: null, maxAt: null }));
    return r;
  }

  /** sign: +1 adds the document, -1 takes it away (not for sales: their days are recomputed). */
  sale(s: SaleDoc, sign: 1 | -1): void {
    const at = saleTime(s);
    const d = this.day(s.day);
    d.sales += sign;
    d.revenue += sign * s.totalMinor;
    if (!s.customerId) d.walkins += sign;
    if (sign > 0) {
      d.minAt = minAt(d.minAt, at);
      d.maxAt = maxAt(d.maxAt, at);
    }
    const { weekday, hour } = this.resolve(at);
    const hk = `${s.day}|${weekday}|${hour}`;
    let h = this.hours.get(hk);
    if (!h) this.hours.set(hk, (h = { day: s.day, weekday, hour, count: 0, total: 0 }));
    h.count += sign;
    h.total += sign * s.totalMinor;
    const seen = new Set<string>();
    for (const l of s.lines) {
      const p = this.product(s.day, l);
      p.qty += sign * l.quantityMilli;
      p.revenue += sign * l.totalMinor;
      p.name = l.name;
      const pkey = productKey(l);
      if (!seen.has(pkey)) {
        seen.add(pkey);
        p.sales += sign;
        p.docs += sign;
      }
    }
    for (const pay of s.payments) {
      const r = this.pay(s.day, pay.method);
      r.amount += sign * pay.amountMinor;
      r.count += sign;
    }
    if (s.customerId) {
      const c = this.customer(s.day, s.customerId);
      c.visits += sign;
      c.value += sign * s.totalMinor;
      c.docs += sign;
      if (sign > 0) {
        c.minAt = minAt(c.minAt, at);
        c.maxAt = maxAt(c.maxAt, at);
      }
    }
  }

  creditNote(n: CreditNoteDoc, sign: 1 | -1): void {
    const d = this.day(n.day);
    d.refundsCount += sign;
    d.refunds += sign * n.totalMinor;
    const seen = new Set<string>();
    for (const l of n.lines) {
      const p = this.product(n.day, l);
      p.qty -= sign * l.quantityMilli;
      p.revenue -= sign * l.totalMinor;
      const pkey = productKey(l);
      if (!seen.has(pkey)) {
        seen.add(pkey);
        p.docs += sign;
      }
    }
    for (const r of n.refunds) this.pay(n.day, r.method).refundAmount += sign * r.amountMinor;
    if (n.customerId) {
      const c = this.customer(n.day, n.customerId);
      c.value -= sign * n.totalMinor;
      c.docs += sign;
    }
  }

  expense(e: ExpenseDoc, sign: 1 | -1): void {
    const k = `${e.day}|${e.categoryId}`;
    let r = this.expenses.get(k);
    if (!r) this.expenses.set(k, (r = { day: e.day, categoryId: e.categoryId, amount: 0, count: 0 }));
    r.amount += sign * e.amountMinor;
    r.count += sign;
  }
}

export function productKey(l: { productId?: string; name?: string }): string {
  const productId = l.productId ?? '';
  return productId !== '' ? productId : `name:${(l.name ?? '').trim().toLowerCase()}`;
}

export function saleTime(s: Pick<SaleDoc, 'finalisedAt' | 'createdAt'>): number {
  return s.finalisedAt ?? s.createdAt;
}

type Stmts = Record<'day' | 'hour' | 'product' | 'pay' | 'expense' | 'customer', Database.Statement>;

function prepare(db: Database.Database): Stmts {
  const lo = (c: string) => `min(coalesce(${c}, excluded.${c}), coalesce(excluded.${c}, ${c}))`;
  const hi = (c: string) => `max(coalesce(${c}, excluded.${c}), coalesce(excluded.${c}, ${c}))`;
  return {
    day: db.prepare(`INSERT INTO cm_ins_day (day, sales, revenue, walkins, refunds_count, refunds, min_at, max_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(day) DO UPDATE SET sales = sales + excluded.sales, revenue = revenue + excluded.revenue, walkins = walkins + excluded.walkins,
      refunds_count = refunds_count + excluded.refunds_count, refunds = refunds + excluded.refunds, min_at = ${lo('min_at')}, max_at = ${hi('max_at')}`),
    hour: db.prepare(`INSERT INTO cm_ins_hour (day, weekday, hour, count, total) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(day, weekday, hour) DO UPDATE SET count = count + excluded.count, total = total + excluded.total`),
    product: db.prepare(`INSERT INTO cm_ins_product (day, pkey, product_id, name, qty, revenue, sales, docs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(day, pkey) DO UPDATE SET name = excluded.name, qty = qty + excluded.qty, revenue = revenue + excluded.revenue,
      sales = sales + excluded.sales, docs = docs + excluded.docs`),
    pay: db.prepare(`INSERT INTO cm_ins_pay (day, method, amount, count, refund_amount) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(day, method) DO UPDATE SET amount = amount + excluded.amount, count = count + excluded.count, refund_amount = refund_amount + excluded.refund_amount`),
    expense: db.prepare(`INSERT INTO cm_ins_expense (day, category_id, amount, count) VALUES (?, ?, ?, ?)
      ON CONFLICT(day, category_id) DO UPDATE SET amount = amount + excluded.amount, count = count + excluded.count`),
    customer: db.prepare(`INSERT INTO cm_ins_customer (day, customer_id, visits, value, docs, min_at, max_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(day, customer_id) DO UPDATE SET visits = visits + excluded.visits, value = value + excluded.value, docs = docs + excluded.docs,
      min_at = ${lo('min_at')}, max_at = ${hi('max_at')}`),
  };
}

function flush(s: Stmts, d: Delta, skipDays: ReadonlySet<string>): void {
  for (const [day, r] of d.days) if (!skipDays.has(day)) s.day.run(day, r.sales, r.revenue, r.walkins, r.refundsCount, r.refunds, r.minAt, r.maxAt);
  for (const r of d.hours.values()) if (!skipDays.has(r.day)) s.hour.run(r.day, r.weekday, r.hour, r.count, r.total);
  for (const r of d.products.values()) if (!skipDays.has(r.day)) s.product.run(r.day, r.pkey, r.productId, r.name, r.qty, r.revenue, r.sales, r.docs);
  for (const r of d.pays.values()) if (!skipDays.has(r.day)) s.pay.run(r.day, r.method, r.amount, r.count, r.refundAmount);
  for (const r of d.expenses.values()) if (!skipDays.has(r.day)) s.expense.run(r.day, r.categoryId, r.amount, r.count);
  for (const r of d.customers.values()) if (!skipDays.has(r.day)) s.customer.run(r.day, r.customerId, r.visits, r.value, r.docs, r.minAt, r.maxAt);
}

// ---------------------------------------------------------------------------

export interface InsightsTotals {
  day: { sales: number; revenue: number; walkins: number; refundsCount: number; refunds: number; minAt: number | null; maxAt: number | null };
  hours: { weekday: number; hour: number; count: number; total: number }[];
  products: { pkey: string; productId: string; name: string; qty: number; revenue: number; sales: number }[];
  pays: { method: string; amount: number; count: number; refundAmount: number }[];
  expenses: { categoryId: string; amount: number; count: number }[];
  customers: { customerId: string; visits: number; value: number; minAt: number | null; maxAt: number | null }[];
}

export class InsightsTables {
  private stmts: Stmts | null = null;
  private deletes: Database.Statement[] | null = null;
  private resolver: ((at: number) => { weekday: number; hour: number }) | null = null;
  private resolverZone = '';
  derived!: Derived;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly sources: Sources,
    private readonly config: () => InsightsConfig | null,
  ) {}

  spec(): DerivedSpec {
    return {
      name: 'insights',
      version: INSIGHTS_VERSION,
      ddl: DDL,
      tables: TABLES,
      config: () => {
        const c = this.config();
        return c ? JSON.stringify([c.currency, c.timeZone]) : null;
      },
      nextKey: (after) => {
        const s = this.sources;
        const next = [s.salesByDay, s.creditNotesByDay, s.expensesByDay]
          .map((src) => src.nextValue(after ?? undefined, 'day'))
          .filter((d): d is string => d !== undefined)
          .sort();
        return next[0];
      },
      countKeys: () => {
        const days = new Set<string>();
        for (const src of [this.sources.salesByDay, this.sources.creditNotesByDay, this.sources.expensesByDay]) {
          for (let d = src.nextValue(undefined, 'day'); d !== undefined; d = src.nextValue(d, 'day')) days.add(d);
        }
        return days.size;
      },
      recomputeKey: (day) => this.recomputeDay(day),
    };
  }

  private statements(): Stmts {
    return (this.stmts ??= prepare(this.sqlite));
  }

  private resolve(): (at: number) => { weekday: number; hour: number } {
    const c = this.config();
    const zone = c?.timeZone ?? 'UTC';
    if (!this.resolver || this.resolverZone !== zone) {
      this.resolver = createLocalTimeResolver(zone);
      this.resolverZone = zone;
    }
    return this.resolver;
  }

  private counts(doc: { _deleted?: boolean; currency: string; status?: string } | undefined, collection: string): boolean {
    if (!doc || doc._deleted) return false;
    if (doc.currency !== this.config()?.currency) return false;
    return collection !== 'sales' || doc.status === 'finalised';
  }

  /** Replaces a day's rows with what its documents contribute now. */
  recomputeDay(day: string): void {
    this.deletes ??= TABLES.map((t) => this.sqlite.prepare(`DELETE FROM ${t} WHERE day = ?`));
    for (const d of this.deletes) d.run(day);
    const delta = new Delta(this.resolve());
    for (const s of this.sources.salesByDay.all([day])) if (this.counts(s, 'sales')) delta.sale(s, 1);
    for (const n of this.sources.creditNotesByDay.all([day])) if (this.counts(n, 'creditNotes')) delta.creditNote(n, 1);
    for (const e of this.sources.expensesByDay.all([day])) if (this.counts(e, 'expenses')) delta.expense(e, 1);
    flush(this.statements(), delta, new Set());
  }

  /** The write hook's part for sales, credit notes and expenses. */
  onWrite(event: WriteHookEvent): void {
    const coll = event.collectionName;
    if (coll !== 'sales' && coll !== 'creditNotes' && coll !== 'expenses') return;
    if (!this.config()) return;
    const covers = (day: string) => this.derived.covers(day);
    const recompute = new Set<string>();
    const delta = new Delta(this.resolve());
    for (const { document, previous } of event.writes) {
      const doc = document as unknown as SaleDoc & CreditNoteDoc & ExpenseDoc & { _deleted?: boolean };
      const prev = previous as unknown as (SaleDoc & CreditNoteDoc & ExpenseDoc & { _deleted?: boolean }) | undefined;
      const prevCounts = this.counts(prev, coll);
      const docCounts = this.counts(doc, coll);
      if (coll === 'sales' && prevCounts) {
        if (covers(prev!.day)) recompute.add(prev!.day);
        if (docCounts && covers(doc.day)) recompute.add(doc.day);
        continue;
      }
      if (prevCounts && covers(prev!.day)) apply(delta, coll, prev!, -1);
      if (docCounts && covers(doc.day)) apply(delta, coll, doc, 1);
    }
    flush(this.statements(), delta, recompute);
    for (const day of recompute) this.recomputeDay(day);
  }

  /** Sums of the period's rows. */
  totals(from: string, to: string): InsightsTotals {
    const db = this.sqlite;
    const day = db
      .prepare(
        `SELECT coalesce(SUM(sales),0) AS sales, coalesce(SUM(revenue),0) AS revenue, coalesce(SUM(walkins),0) AS walkins, coalesce(SUM(refunds_count),0) AS refundsCount,
         coalesce(SUM(refunds),0) AS refunds, MIN(min_at) AS minAt, MAX(max_at) AS maxAt FROM cm_ins_day WHERE day BETWEEN ? AND ?`,
      )
      .get(from, to) as InsightsTotals['day'];
    const hours = db
      .prepare('SELECT weekday, hour, SUM(count) AS count, SUM(total) AS total FROM cm_ins_hour WHERE day BETWEEN ? AND ? GROUP BY weekday, hour')
      .all(from, to) as InsightsTotals['hours'];
    const products = db
      .prepare(
        `SELECT pkey, MAX(product_id) AS productId, MAX(name) AS name, SUM(qty) AS qty, SUM(revenue) AS revenue, SUM(sales) AS sales
         FROM cm_ins_product WHERE day BETWEEN ? AND ? GROUP BY pkey HAVING SUM(docs) > 0`,
      )
      .all(from, to) as InsightsTotals['products'];
    const pays = db
      .prepare('SELECT method, SUM(amount) AS amount, SUM(count) AS count, SUM(refund_amount) AS refundAmount FROM cm_ins_pay WHERE day BETWEEN ? AND ? GROUP BY method')
      .all(from, to) as InsightsTotals['pays'];
    const expenses = db
      .prepare('SELECT category_id AS categoryId, SUM(amount) AS amount, SUM(count) AS count FROM cm_ins_expense WHERE day BETWEEN ? AND ? GROUP BY category_id HAVING SUM(count) > 0')
      .all(from, to) as InsightsTotals['expenses'];
    const customers = db
      .prepare(
        `SELECT customer_id AS customerId, SUM(visits) AS visits, SUM(value) AS value, MIN(min_at) AS minAt, MAX(max_at) AS maxAt
         FROM cm_ins_customer WHERE day BETWEEN ? AND ? GROUP BY customer_id HAVING SUM(docs) > 0`,
      )
      .all(from, to) as InsightsTotals['customers'];
    return { day, hours, products, pays, expenses, customers };
  }

  /** All-time visits, value and last purchase of some customers. */
  allTime(customerIds: readonly string[]): Map<string, { visits: number; valueMinor: number; lastPurchaseAt: number | null }> {
    const out = new Map<string, { visits: number; valueMinor: number; lastPurchaseAt: number | null }>();
    const stmt = this.sqlite.prepare('SELECT SUM(visits) AS visits, SUM(value) AS value, MAX(max_at) AS maxAt FROM cm_ins_customer WHERE customer_id = ?');
    for (const id of customerIds) {
      const r = stmt.get(id) as { visits: number | null; value: number | null; maxAt: number | null };
      out.set(id, { visits: r.visits ?? 0, valueMinor: r.value ?? 0, lastPurchaseAt: r.maxAt });
    }
    return out;
  }
}

function apply(delta: Delta, coll: string, doc: SaleDoc & CreditNoteDoc & ExpenseDoc, sign: 1 | -1): void {
  if (coll === 'sales') delta.sale(doc, sign);
  else if (coll === 'creditNotes') delta.creditNote(doc, sign);
  else delta.expense(doc, sign);
}

/** The same figures as createInsightsAccumulator().result(), from the period's totals. */
export function insightsResult(currency: string, t: InsightsTotals, opts: { topProducts?: number; customers?: number } = {}): InsightsResult {
  const topN = opts.topProducts ?? 10;
  const customerLimit = opts.customers ?? 100;
  const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => ({ count: 0, totalMinor: 0 })));
  for (const h of t.hours) {
    const cell = heatmap[h.weekday]?.[h.hour];
    if (cell) {
      cell.count += h.count;
      cell.totalMinor += h.total;
    }
  }
  const all: ProductStat[] = t.products.map((p) => ({ key: p.pkey, productId: p.productId, name: p.name, quantityMilli: p.qty, revenueMinor: p.revenue, salesCount: p.sales }));
  const byKey = (a: ProductStat, b: ProductStat) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const topProductsByRevenue = [...all].sort((a, b) => b.revenueMinor - a.revenueMinor || byKey(a, b)).slice(0, topN);
  const topProductsByQuantity = [...all].sort((a, b) => b.quantityMilli - a.quantityMilli || byKey(a, b)).slice(0, topN);

  const methods = [...PAYMENT_METHODS] as PaymentMethod[];
  const pay = new Map(t.pays.map((p) => [p.method, p]));
  const amounts = methods.map((m) => pay.get(m)?.amount ?? 0);
  const payTotal = amounts.reduce((s, a) => s + Math.max(0, a), 0);
  const shares = payTotal > 0 ? allocateMinor(10_000, amounts.map((a) => Math.max(0, a))) : methods.map(() => 0);
  const paymentMix = methods.map((method, i) => ({ method, amountMinor: amounts[i]!, count: pay.get(method)?.count ?? 0, shareBp: shares[i]! }));
  const refundsByMethod = Object.fromEntries(methods.map((m) => [m, pay.get(m)?.refundAmount ?? 0])) as Record<PaymentMethod, number>;

  const expensesByCategory = t.expenses
    .map((e) => ({ categoryId: e.categoryId, amountMinor: e.amount, count: e.count }))
    .sort((a, b) => b.amountMinor - a.amountMinor || (a.categoryId < b.categoryId ? -1 : 1));

  let repeat = 0;
  const customers: CustomerMetrics[] = t.customers.map((c) => {
    if (c.visits > 1) repeat++;
    const m: CustomerMetrics = { customerId: c.customerId, visits: c.visits, lifetimeValueMinor: c.value, averageTicketMinor: c.visits > 0 ? mulDiv(c.value, 1, c.visits) : 0 };
    if (c.minAt !== null) m.firstPurchaseAt = c.minAt;
    if (c.maxAt !== null) m.lastPurchaseAt = c.maxAt;
    return m;
  });
  customers.sort((a, b) => b.lifetimeValueMinor - a.lifetimeValueMinor || (a.customerId < b.customerId ? -1 : 1));

  let peak: InsightsResult['peak'];
  heatmap.forEach((row, weekday) =>
    row.forEach((cell, hour) => {
      if (cell.count > 0 && (!peak || cell.count > peak.count)) peak = { weekday, hour, ...cell };
    }),
  );
  const d = t.day;
  const out: InsightsResult = {
    currency,
    salesCount: d.sales,
    revenueMinor: d.revenue,
    refundsCount: d.refundsCount,
    refundsMinor: d.refunds,
    netRevenueMinor: d.revenue - d.refunds,
    averageTicketMinor: d.sales > 0 ? mulDiv(d.revenue, 1, d.sales) : 0,
    heatmap,
    topProductsByRevenue,
    topProductsByQuantity,
    paymentMix,
    refundsByMethod,
    expensesByCategory,
    expensesTotalMinor: expensesByCategory.reduce((s, e) => s + e.amountMinor, 0),
    customerCount: customers.length,
    repeatCustomerCount: repeat,
    walkInSalesCount: d.walkins,
    customers: customers.slice(0, customerLimit),
  };
  if (d.minAt !== null) out.firstSaleAt = d.minAt;
  if (d.maxAt !== null) out.lastSaleAt = d.maxAt;
  if (peak) out.peak = peak;
  return out;
}
