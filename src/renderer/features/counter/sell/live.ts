// Live totals and payment feedback while the cashier types, with the very functions the
// core uses at finalise (src/shared/counter), so the figures and the messages match.
import { useMemo } from 'react';
import { computeSaleTotals, summarisePayments, tryCounter, type CounterRuleIssue, type PaymentSummary, type SaleTotals } from '@shared/counter';
import { parseAmount } from '../format';
import type { CounterShop } from '../shop';
import { useCart } from './cart-store';

export interface LiveSale {
  totals: SaleTotals | null;
  /** Why the totals cannot be computed (points at a line or the sale discount). */
  totalsIssue: CounterRuleIssue | null;
  summary: PaymentSummary | null;
  /** Per payment row key: what is wrong with it. */
  paymentIssues: Map<string, string>;
  /** A problem of the payments as a whole. */
  paymentsIssue: string | null;
  /** Per payment row key: the amount applied to the sale. */
  applied: Map<string, number>;
}

export function useLiveSale(shop: CounterShop): LiveSale {
  const items = useCart((s) => s.items);
  const saleDiscount = useCart((s) => s.saleDiscount);
  const payments = useCart((s) => s.payments);

  return useMemo(() => {
    const { currency, taxMode } = shop;
    const computed = tryCounter(() =>
      computeSaleTotals({
        currency,
        taxMode,
        lines: items.map((i) => ({ quantityMilli: i.quantityMilli, unitPriceMinor: i.unitPriceMinor, taxRateBp: i.taxRateBp, name: i.name, ...(i.discount ? { discount: i.discount } : {}) })),
        ...(saleDiscount ? { saleDiscount } : {}),
        cashRoundingIncrementMinor: shop.cashRoundingMinor > 1 ? shop.cashRoundingMinor : 0,
      }),
    );
    const paymentIssues = new Map<string, string>();
    const applied = new Map<string, number>();
    if (!computed.ok) return { totals: null, totalsIssue: computed.error, summary: null, paymentIssues, paymentsIssue: null, applied };

    const rows: { key: string; method: (typeof payments)[number]['method']; amountMinor: number }[] = [];
    for (const p of payments) {
      if (!p.amountText.trim()) continue;
      const parsed = parseAmount(p.amountText, currency);
      if (parsed.ok) rows.push({ key: p.key, method: p.method, amountMinor: parsed.value });
      else paymentIssues.set(p.key, parsed.message);
    }
    const summary = tryCounter(() => summarisePayments({ currency, totalMinor: computed.value.totalMinor, payments: rows }));
    let paymentsIssue: string | null = null;
    if (!summary.ok) {
      const row = summary.error.lineIndex !== undefined ? rows[summary.error.lineIndex] : undefined;
      if (row) paymentIssues.set(row.key, summary.error.message);
      else paymentsIssue = summary.error.message;
    }
    if (summary.ok) summary.value.payments.forEach((p, i) => applied.set(rows[i]!.key, p.amountMinor));
    return { totals: computed.value, totalsIssue: null, summary: summary.ok ? summary.value : null, paymentIssues, paymentsIssue, applied };
  }, [items, saleDiscount, payments, shop]);
}
