// Insights for a period from the insight tables (insights-tables.ts), with names.
import { ApiError } from '@shared/api/errors';
import type { Insights } from '@shared/api/ops/counter-money';
import type { CustomerDoc, ExpenseCategoryDoc, ProductDoc } from '@shared/schema';
import type { MoneyContext } from './context';
import { insightsResult, type InsightsTables } from './insights-tables';

export class InsightsService {
  constructor(
    private readonly m: MoneyContext,
    private readonly tables: InsightsTables,
  ) {}

  status() {
    const s = this.tables.derived.status();
    return { state: s.state, doneDays: s.doneKeys, totalDays: s.totalKeys };
  }

  async insights(input: { from: string; to: string; topProducts: number; customers: number }): Promise<Insights> {
    const started = performance.now();
    const shop = await this.m.shopSettings();
    if (!(await this.tables.derived.whenReady(5_000))) {
      const s = this.status();
      const pct = s.totalDays > 0 ? Math.floor((100 * s.doneDays) / s.totalDays) : 0;
      throw new ApiError('UNAVAILABLE', `Insights are being prepared (${pct}% done, ${s.doneDays} of ${s.totalDays} days). Try again in a moment.`);
    }
    const totals = this.tables.totals(input.from, input.to);
    const r = insightsResult(shop.currency, totals, { topProducts: input.topProducts, customers: input.customers });

    const db = this.m.core.store.db;
    const productIds = [...new Set([...r.topProductsByRevenue, ...r.topProductsByQuantity].map((p) => p.productId).filter(Boolean))];
    const products = await db.collections.products.findByIds(productIds).exec();
    const productName = (p: { productId: string; name: string }) => (products.get(p.productId)?.toJSON() as ProductDoc | undefined)?.name ?? p.name;
    const categories = new Map((await db.collections.expenseCategories.find().exec()).map((c) => [c.id, c.toJSON() as ExpenseCategoryDoc]));
    const customerDocs = await db.collections.customers.findByIds(r.customers.map((c) => c.customerId)).exec();
    const allTime = this.tables.allTime(r.customers.map((c) => c.customerId));

    return {
      ...r,
      from: input.from,
      to: input.to,
      timeZone: shop.timeZone,
      topProductsByRevenue: r.topProductsByRevenue.map((p) => ({ ...p, name: productName(p) })),
      topProductsByQuantity: r.topProductsByQuantity.map((p) => ({ ...p, name: productName(p) })),
      expensesByCategory: r.expensesByCategory.map((e) => {
        const c = categories.get(e.categoryId);
        return { ...e, name: c?.name ?? (e.categoryId ? 'Unknown category' : 'Uncategorised'), color: c?.color ?? '#9e9e9e' };
      }),
      customers: r.customers.map((c) => ({
        ...c,
        name: (customerDocs.get(c.customerId)?.toJSON() as CustomerDoc | undefined)?.name ?? '',
        allTime: allTime.get(c.customerId) ?? { visits: 0, valueMinor: 0, lastPurchaseAt: null },
      })),
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }
}
