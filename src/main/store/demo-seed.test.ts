import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { ORDER_STATES, SELECTION_STATUSES, type CollectionDocTypes, type CollectionName } from '@shared/schema';
import { openDatabase, type CounterbookDatabase } from './database';
import { seedDemo, type SeedDemoResult } from './demo-seed';

const NOW = Date.UTC(2025, 5, 15, 12, 0); // fixed "now" for determinism
const DEVICE = '0190f0c8-0000-7000-8000-000000000001';

let db: CounterbookDatabase;
let result: SeedDemoResult;
const progress: [number, number][] = [];

async function all<N extends CollectionName>(name: N): Promise<CollectionDocTypes[N][]> {
  const docs = await db.collections[name].find().exec();
  return docs.map((d) => d.toJSON() as CollectionDocTypes[N]);
}

const byId = <T extends { id: string }>(docs: T[]) => new Map(docs.map((d) => [d.id, d]));

beforeAll(async () => {
  db = await openDatabase({ storage: getRxStorageMemory(), name: 'seedtest' + Math.random().toString(36).slice(2, 8) });
  result = await seedDemo(db, { sales: 500, seed: 7, now: NOW, deviceId: DEVICE, onProgress: (d, t) => progress.push([d, t]) });
});

afterAll(async () => {
  await db?.close();
});

describe('seedDemo (500 sales)', () => {
  it('fills every domain', () => {
    const c = result.counts;
    expect(c.sales).toBe(502); // 500 finalised + 2 parked today
    expect(c.products).toBeGreaterThanOrEqual(50);
    expect(c.customers).toBe(200);
    for (const n of ['users', 'invitations', 'clientManagers', 'expenseCategories', 'expenses', 'drawerMovements', 'dayCloses', 'customerCreditEntries', 'orders', 'orderGroups', 'analyzedDomains', 'siteSelections', 'orderItems', 'orderHistory', 'writerLedger', 'managerEarnings', 'payouts', 'shopProfile', 'devices', 'invoiceCounters'] as const) {
      expect(c[n], n).toBeGreaterThan(0);
    }
    expect(progress.at(-1)).toEqual([500, 500]);
  });

  it('sales add up and are numbered without gaps', async () => {
    const sales = (await all('sales')).filter((s) => s.status === 'finalised');
    expect(sales).toHaveLength(500);
    for (const s of sales) {
      expect(s.lines.length).toBeGreaterThanOrEqual(1);
      expect(s.lines.length).toBeLessThanOrEqual(5);
      expect(s.payments.reduce((a, p) => a + p.amountMinor, 0)).toBe(s.totalMinor);
      expect(s.lines.reduce((a, l) => a + l.totalMinor, 0) + s.roundingMinor).toBe(s.totalMinor);
      expect(s.lines.reduce((a, l) => a + l.taxMinor, 0)).toBe(s.taxMinor);
      const change = s.payments.reduce((a, p) => a + (p.tenderedMinor !== undefined ? p.tenderedMinor - p.amountMinor : 0), 0);
      expect(change).toBe(s.changeDueMinor);
      expect(s.deviceId).toBe(DEVICE);
      expect(s.finalisedAt! >= s.createdAt).toBe(true);
    }
    const seqs = sales.map((s) => s.invoiceSeq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(new Set(sales.map((s) => s.invoiceNumber)).size).toBe(500);
    const counter = await db.invoiceCounters.findOne(DEVICE).exec();
    expect(counter?.lastInvoiceSeq).toBe(500);
    // time order follows the series
    const ordered = [...sales].sort((a, b) => a.invoiceSeq - b.invoiceSeq);
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]!.finalisedAt! >= ordered[i - 1]!.finalisedAt!).toBe(true);
    // several payment kinds, including split and credit
    const methods = new Set(sales.flatMap((s) => s.payments.map((p) => p.method)));
    expect([...methods].sort()).toEqual(['card', 'cash', 'customer_credit', 'mobile_money']);
    expect(sales.some((s) => s.payments.length > 1)).toBe(true);
  });

  it('credit entries match customers and credit sales', async () => {
    const customers = byId(await all('customers'));
    const entries = await all('customerCreditEntries');
    const entriesById = byId(entries);
    for (const e of entries) expect(customers.has(e.customerId), `customer of ${e.id}`).toBe(true);
    const sales = await all('sales');
    for (const s of sales) {
      if (s.customerId) expect(customers.has(s.customerId)).toBe(true);
      for (const p of s.payments.filter((x) => x.method === 'customer_credit')) {
        const e = entriesById.get(p.creditEntryId!);
        expect(e?.kind).toBe('sale');
        expect(e?.amountMinor).toBe(p.amountMinor);
        expect(e?.saleId).toBe(s.id);
        expect(e?.customerId).toBe(s.customerId);
      }
    }
    // no customer owes a negative amount or more than the credit limit
    const owed = new Map<string, number>();
    for (const e of entries) owed.set(e.customerId, (owed.get(e.customerId) ?? 0) + e.amountMinor);
    for (const [cid, bal] of owed) {
      expect(bal).toBeGreaterThanOrEqual(0);
      expect(bal).toBeLessThanOrEqual(customers.get(cid)!.creditLimitMinor ?? 0);
    }
    expect(entries.some((e) => e.kind === 'repayment')).toBe(true);
  });

  it('drawer, expenses and day closes reconcile', async () => {
    const moves = await all('drawerMovements');
    const closes = await all('dayCloses');
    const expenses = await all('expenses');
    const categories = byId(await all('expenseCategories'));
    const perDay = new Map<string, number>();
    for (const m of moves) perDay.set(m.day, (perDay.get(m.day) ?? 0) + m.amountMinor);
    expect(closes.length).toBe(183);
    for (const c of closes) {
      expect(c.expectedCashMinor).toBe(perDay.get(c.day));
      expect(c.denominations.reduce((a, d) => a + d.valueMinor * d.count, 0)).toBe(c.countedCashMinor);
      expect(c.differenceMinor).toBe(c.countedCashMinor - c.expectedCashMinor);
    }
    const sales = (await all('sales')).filter((s) => s.status === 'finalised');
    const daySales = new Map<string, number>();
    for (const s of sales) daySales.set(s.day, (daySales.get(s.day) ?? 0) + s.totalMinor);
    for (const c of closes) expect(c.salesTotalMinor).toBe(daySales.get(c.day) ?? 0);
    const movesById = byId(moves);
    for (const e of expenses) {
      if (e.categoryId) expect(categories.has(e.categoryId)).toBe(true);
      if (e.paidFrom === 'cash') expect(movesById.get(e.drawerMovementId!)?.amountMinor).toBe(-e.amountMinor);
    }
    for (const c of categories.values()) expect(c.keywordRules.length).toBeGreaterThan(0);
  });

  it('credit notes point at their sales', async () => {
    const sales = byId(await all('sales'));
    const notes = await all('creditNotes');
    for (const n of notes) {
      const s = sales.get(n.saleId);
      expect(s).toBeDefined();
      expect(n.totalMinor).toBeLessThanOrEqual(s!.totalMinor);
      expect(n.refunds.reduce((a, r) => a + r.amountMinor, 0)).toBe(n.totalMinor);
    }
    expect(notes.map((n) => n.seq).sort((a, b) => a - b)).toEqual(notes.map((_, i) => i + 1));
  });

  it('orders: every state, groups, selections and items are linked', async () => {
    const orders = byId(await all('orders'));
    const groups = byId(await all('orderGroups'));
    const domains = byId(await all('analyzedDomains'));
    const selections = await all('siteSelections');
    const selectionsById = byId(selections);
    const items = await all('orderItems');
    const users = byId(await all('users'));
    expect(new Set([...orders.values()].map((o) => o.state))).toEqual(new Set(ORDER_STATES));
    expect(new Set(selections.map((s) => s.status))).toEqual(new Set(SELECTION_STATUSES));
    expect(new Set([...users.values()].map((u) => u.role))).toEqual(new Set(['admin', 'manager', 'cashier', 'writer', 'client']));
    for (const g of groups.values()) {
      expect(orders.has(g.orderId)).toBe(true);
      expect(users.get(g.clientId)?.role).toBe('client');
    }
    for (const s of selections) {
      expect(groups.has(s.groupId), `group of selection ${s.id}`).toBe(true);
      expect(groups.get(s.groupId)!.orderId).toBe(s.orderId);
      expect(domains.has(s.domainId)).toBe(true);
      if (s.alternateOf) expect(selectionsById.has(s.alternateOf)).toBe(true);
    }
    for (const i of items) {
      const sel = selectionsById.get(i.selectionId);
      expect(sel?.status).toBe('approved');
      expect(sel?.orderItemId).toBe(i.id);
      expect(groups.has(i.groupId)).toBe(true);
      if (i.writerId) expect(users.get(i.writerId)?.role).toBe('writer');
    }
    const history = await all('orderHistory');
    for (const o of orders.values()) {
      const h = history.filter((x) => x.orderId === o.id);
      expect(h.length).toBe(ORDER_STATES.indexOf(o.state) + 1);
    }
  });

  it('writer balances never go negative', async () => {
    const ledger = await all('writerLedger');
    const bal = new Map<string, { pending: number; available: number }>();
    for (const e of ledger.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))) {
      const b = bal.get(e.writerId) ?? { pending: 0, available: 0 };
      b.pending += e.pendingDeltaMinor;
      b.available += e.availableDeltaMinor;
      bal.set(e.writerId, b);
    }
    for (const b of bal.values()) {
      expect(b.pending).toBeGreaterThanOrEqual(0);
      expect(b.available).toBeGreaterThanOrEqual(0);
    }
    expect(ledger.some((e) => e.kind === 'release')).toBe(true);
    expect(ledger.some((e) => e.kind === 'payout')).toBe(true);
  });

  it('is deterministic', async () => {
    const other = await openDatabase({ storage: getRxStorageMemory(), name: 'seedtest2' + Math.random().toString(36).slice(2, 8) });
    try {
      await seedDemo(other, { sales: 500, seed: 7, now: NOW, deviceId: DEVICE });
      for (const name of ['sales', 'orders', 'siteSelections', 'customerCreditEntries'] as const) {
        const a = (await db.collections[name].find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toJSON());
        const b = (await other.collections[name].find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toJSON());
        expect(b).toEqual(a);
      }
    } finally {
      await other.close();
    }
  });
});
