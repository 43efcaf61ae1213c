// The insight tables, kept by the write hook, must always equal a from-scratch
// computation with createInsightsAccumulator over the documents: after random inserts,
// drafts finalised later, refunds, expense edits and voids, finalised sales rewritten or
// deleted as sync might, and rebuilds from scratch running while writes happen.
// The shop zone is Europe/London and the sales straddle the March DST change, so the
// weekday x hour heat map is checked across an offset change.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInsightsAccumulator, type InsightsResult } from '@shared/counter';
import { addDays, dayKey } from '@shared/dates';
import type { CreditNoteDoc, ExpenseDoc, SaleDoc } from '@shared/schema';
import { insightsResult } from './insights-tables';
import { startMoneyKit, type MoneyKit } from './test-kit';

const TZ = 'Europe/London';
const START = Date.UTC(2025, 2, 26, 5, 0, 0); // Wed 26 March 2025; clocks go forward on Sunday 30 March
const SPAN_DAYS = 9;
const FIRST_DAY = dayKey(START, TZ);
const LAST_DAY = addDays(FIRST_DAY, SPAN_DAYS);
const PRODUCTS = ['p-bread', 'p-milk', 'p-sugar', 'p-rice'];
const NAMES: Record<string, string> = { 'p-bread': 'Bread', 'p-milk': 'Milk', 'p-sugar': 'Sugar', 'p-rice': 'Rice' };

let t: MoneyKit;
let customers: string[];
let categories: string[];
const drafts: SaleDoc[] = [];
const expenseIds: string[] = [];

beforeAll(async () => {
  t = await startMoneyKit({ timezone: TZ });
  customers = [await t.customer('Ann'), await t.customer('Bob'), await t.customer('Cy')];
  const manager = t.ctx('manager');
  categories = [
    '',
    (await t.call('counter.expenseCategorySave', { name: 'Fuel', color: '#ff0000', keywordRules: ['fuel'] }, manager)).id,
    (await t.call('counter.expenseCategorySave', { name: 'Rent', color: '#00ff00', keywordRules: ['rent'] }, manager)).id,
  ];
});
afterAll(async () => {
  await t.close();
});

const lineArb = fc.record({
  product: fc.integer({ min: 0, max: PRODUCTS.length }), // PRODUCTS.length = an open item
  quantityMilli: fc.integer({ min: 1, max: 5 }).map((q) => q * 500),
  unitPriceMinor: fc.integer({ min: 1, max: 500 }).map((p) => p * 10),
});
const atArb = fc.integer({ min: 0, max: SPAN_DAYS * 86_400_000 - 1 }).map((ms) => START + ms);

type Op =
  | { t: 'sale'; at: number; lines: { product: number; quantityMilli: number; unitPriceMinor: number }[]; pay: 'cash' | 'card' | 'split' | 'credit'; customer: number; draft: boolean }
  | { t: 'finaliseDraft'; pick: number; at: number }
  | { t: 'refund'; pick: number; at: number }
  | { t: 'expense'; at: number; amount: number; category: number; cash: boolean }
  | { t: 'expenseUpdate'; pick: number; amount: number; category: number; at: number }
  | { t: 'expenseVoid'; pick: number }
  | { t: 'syncRewrite'; pick: number; customer: number; at: number }
  | { t: 'syncDelete'; pick: number }
  | { t: 'rebuild' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('sale' as const), at: atArb, lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }), pay: fc.constantFrom('cash' as const, 'card' as const, 'split' as const, 'credit' as const), customer: fc.integer({ min: 0, max: 3 }), draft: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('finaliseDraft' as const), pick: fc.nat(), at: atArb }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('refund' as const), pick: fc.nat(), at: atArb }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('expense' as const), at: atArb, amount: fc.integer({ min: 1, max: 100_000 }), category: fc.integer({ min: 0, max: 2 }), cash: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('expenseUpdate' as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 100_000 }), category: fc.integer({ min: 0, max: 2 }), at: atArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('expenseVoid' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('syncRewrite' as const), pick: fc.nat(), customer: fc.integer({ min: 0, max: 3 }), at: atArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('syncDelete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ t: 'rebuild' as const }) },
);

async function finalisedSales(): Promise<SaleDoc[]> {
  return (await t.core.store.db.collections.sales.find({ selector: { status: 'finalised' } }).exec()).map((d) => d.toJSON() as SaleDoc);
}

async function apply(op: Op): Promise<void> {
  const db = t.core.store.db;
  const cashier = t.ctx('cashier');
  switch (op.t) {
    case 'sale': {
      const lines = op.lines.map((l) => ({
        ...(l.product < PRODUCTS.length ? { productId: PRODUCTS[l.product]!, name: NAMES[PRODUCTS[l.product]!]! } : { name: 'Open item' }),
        quantityMilli: l.quantityMilli,
        unitPriceMinor: l.unitPriceMinor,
      }));
      const total = lines.reduce((s, l) => s + Math.round((l.unitPriceMinor * l.quantityMilli) / 1000), 0);
      const customerId = op.customer > 0 ? customers[op.customer - 1]! : undefined;
      const pay = op.pay === 'credit' && !customerId ? 'card' : op.pay;
      const payments =
        pay === 'split' && total > 1
          ? [{ method: 'cash' as const, amountMinor: Math.floor(total / 2) }, { method: 'mobile_money' as const, amountMinor: total - Math.floor(total / 2) }]
          : [{ method: pay === 'credit' ? ('customer_credit' as const) : pay === 'split' ? ('cash' as const) : pay, amountMinor: total }];
      const sale = await t.sale({ lines, payments, at: op.at, ...(customerId ? { customerId } : {}), ...(op.draft ? { status: 'draft' as const } : {}) });
      if (op.draft) drafts.push(sale);
      return;
    }
    case 'finaliseDraft': {
      if (drafts.length === 0) return;
      const [draft] = drafts.splice(op.pick % drafts.length, 1);
      await t.core.writes.run({ action: 'test.finalise', actor: { userId: 'user-cashier', name: 'c' } }, (tx) =>
        tx.update('sales', draft!.id, { status: 'finalised', finalisedAt: op.at, day: dayKey(op.at, TZ), invoiceNumber: `D-${draft!.id.slice(-6)}`, invoiceSeq: 900_000 + drafts.length }),
      );
      return;
    }
    case 'refund': {
      const sales = await finalisedSales();
      if (sales.length === 0) return;
      const sale = sales[op.pick % sales.length]!;
      const idx = op.pick % sale.lines.length;
      const amount = sale.lines[idx]!.totalMinor;
      if (amount <= 0) return;
      await t.refund(sale, [idx], [{ method: op.pick % 2 ? 'cash' : 'card', amountMinor: amount }], op.at);
      return;
    }
    case 'expense': {
      const e = await t.call('counter.expenseCreate', { amountMinor: op.amount, description: 'Something', categoryId: categories[op.category]!, paidFrom: op.cash ? 'cash' : 'other', day: dayKey(op.at, TZ) }, cashier);
      expenseIds.push(e.id);
      return;
    }
    case 'expenseUpdate': {
      if (expenseIds.length === 0) return;
      await t.call('counter.expenseUpdate', { id: expenseIds[op.pick % expenseIds.length]!, amountMinor: op.amount, categoryId: categories[op.category]!, day: dayKey(op.at, TZ) }, cashier);
      return;
    }
    case 'expenseVoid': {
      if (expenseIds.length === 0) return;
      const [id] = expenseIds.splice(op.pick % expenseIds.length, 1);
      await t.call('counter.expenseVoid', { id: id!, reason: 'Entered twice' }, cashier);
      return;
    }
    case 'syncRewrite': {
      // A finalised sale arriving changed from another device (bypasses the write path, as sync does).
      const sales = await finalisedSales();
      if (sales.length === 0) return;
      const sale = sales[op.pick % sales.length]!;
      const customerId = op.customer > 0 ? customers[op.customer - 1]! : '';
      await db.collections.sales.upsert({ ...sale, customerId, finalisedAt: op.at, day: dayKey(op.at, TZ), updatedAt: Date.now() });
      return;
    }
    case 'syncDelete': {
      const sales = await finalisedSales();
      if (sales.length === 0) return;
      await db.collections.sales.findOne(sales[op.pick % sales.length]!.id).remove();
      return;
    }
    case 'rebuild':
      // Slowed down so that the next writes land while it runs, on days before and after its cursor.
      t.money().insightsTables.derived.sliceMs = 0;
      t.money().insightsTables.derived.stepDelayMs = 15;
      t.money().insightsTables.derived.invalidate();
      return;
  }
}

/** From scratch: every document of the period through the shared accumulator. */
async function expected(from: string, to: string): Promise<InsightsResult> {
  const c = t.core.store.db.collections;
  const range = { selector: { day: { $gte: from, $lte: to } } };
  const acc = createInsightsAccumulator({ currency: 'KES', timeZone: TZ });
  for (const d of await c.sales.find(range).exec()) {
    const s = d.toJSON() as SaleDoc;
    if (s.status !== 'finalised') continue;
    acc.add({ at: s.finalisedAt ?? s.createdAt, currency: s.currency, totalMinor: s.totalMinor, customerId: s.customerId, lines: s.lines, payments: s.payments });
  }
  for (const d of await c.creditNotes.find(range).exec()) acc.addCreditNote(d.toJSON() as CreditNoteDoc);
  for (const d of await c.expenses.find(range).exec()) acc.addExpense(d.toJSON() as ExpenseDoc);
  return acc.result({ topProducts: 1000, customers: 1000 });
}

async function actual(from: string, to: string): Promise<InsightsResult> {
  const tables = t.money().insightsTables;
  expect(await tables.derived.whenReady(30_000)).toBe(true);
  return insightsResult('KES', tables.totals(from, to), { topProducts: 1000, customers: 1000 });
}

describe('insight tables', () => {
  it('equal a from-scratch computation with createInsightsAccumulator after random writes', async () => {
    const dayArb = fc.integer({ min: 0, max: SPAN_DAYS }).map((i) => addDays(FIRST_DAY, i));
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), dayArb, dayArb, async (ops, a, b) => {
        for (const op of ops) {
          await apply(op);
          // While a rebuild runs, give it turns so that it advances between the writes.
          if (!t.money().insightsTables.derived.ready) await new Promise((r) => setTimeout(r, 10));
        }
        const [from, to] = a <= b ? [a, b] : [b, a];
        for (const [f, l] of [[FIRST_DAY, LAST_DAY], [from, to], [a, a]] as const) {
          expect(await actual(f, l)).toEqual(await expected(f, l));
        }
      }),
      { numRuns: 30 },
    );
    // Something was really counted (the comparison is not between two empty results).
    const all = await actual(FIRST_DAY, LAST_DAY);
    expect(all.salesCount).toBeGreaterThan(5);
    expect(all.refundsCount).toBeGreaterThan(0);
    expect(all.expensesByCategory.length).toBeGreaterThan(0);
    expect(all.customers.length).toBeGreaterThan(0);
    expect(all.heatmap.flat().filter((c) => c.count > 0).length).toBeGreaterThan(5);

    // And a rebuild from scratch gives the same tables.
    await t.money().insightsTables.derived.rebuild();
    expect(await actual(FIRST_DAY, LAST_DAY)).toEqual(all);
  });

  it('serves counter.insights with names, and rebuilds when the version changes at start', async () => {
    const manager = t.ctx('manager');
    const r = await t.call('counter.insights', { from: FIRST_DAY, to: LAST_DAY, topProducts: 3 }, manager);
    expect(r.topProductsByRevenue.length).toBeLessThanOrEqual(3);
    expect(r.timeZone).toBe(TZ);
    const exp = await expected(FIRST_DAY, LAST_DAY);
    expect(r.salesCount).toBe(exp.salesCount);
    expect(r.netRevenueMinor).toBe(exp.netRevenueMinor);
    for (const p of r.topProductsByRevenue) if (p.productId) expect(p.name).toBe(NAMES[p.productId]);
    expect(r.expensesByCategory.map((e) => e.name)).not.toContain('Unknown category');
    for (const c of r.customers) expect(['Ann', 'Bob', 'Cy']).toContain(c.name);
    expect(await t.fail('counter.insights', { from: FIRST_DAY, to: LAST_DAY }, t.ctx('cashier'))).toMatchObject({ code: 'FORBIDDEN' });

    // A stored version that differs (an older app) makes the tables be rebuilt from scratch.
    const sqlite = t.core.store.sqlite;
    sqlite.prepare("UPDATE cm_meta SET value = json_set(value, '$.version', 0) WHERE name = 'insights'").run();
    sqlite.exec("INSERT OR REPLACE INTO cm_ins_day (day, sales, revenue, walkins, refunds_count, refunds) VALUES ('2025-03-27', 999, 999, 0, 0, 0)");
    const { Derived } = await import('./derived');
    const tables = t.money().insightsTables;
    const fresh = new Derived(sqlite, tables.spec(), t.core.logger);
    expect(fresh.ready).toBe(false);
    tables.derived = fresh;
    fresh.start();
    expect(await fresh.whenReady(30_000)).toBe(true);
    expect(await actual(FIRST_DAY, LAST_DAY)).toEqual(exp);
  });
});
