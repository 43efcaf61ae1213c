// Totals of a sale: lines, line discounts, a sale-level discount, tax and cash rounding.
// Called by the UI for live totals while the cashier types and by the core, which
// recomputes authoritatively at finalise; both get the same integers.
//
// ROUNDING RULES (all amounts are integer minor units, all rounding is half away from
// zero, the single rule of ../money.ts):
//  1. Line amount (subtotal) = unit price x quantity / 1000, rounded once per line
//     (lineAmountMinor).
//  2. Line discount: an amount is taken as is; a percentage is rounded on the line
//     amount (basisPointsOf). Never more than the line amount.
//  3. Sale discount: a percentage is rounded once on the sum of the lines after their
//     own discounts; the resulting amount is then allocated across the lines in
//     proportion to those amounts with the largest-remainder method (allocateMinor), so
//     the allocations sum to the sale discount exactly and no line goes below zero.
//  4. Tax is computed and rounded PER LINE on the line's amount after all discounts:
//       exclusive: tax = round(taxable x rate / 10000), total = taxable + tax
//       inclusive: total = amount after discounts, tax = round(total x rate / (10000 + rate)),
//                  taxable = total - tax (tax is extracted, never added)
//  5. Every sale figure is the plain SUM of the rounded line figures (no re-rounding at
//     sale level); the tax breakdown per rate likewise sums the lines at that rate.
//     Optional cash rounding (an increment such as 5 = 0.05) is applied last to the
//     sum of the line totals and reported separately as roundingMinor.
//
// Matches the stored arithmetic documented in ../schema/counter.ts (a line's stored
// discountMinor is its own discount plus its share of the sale discount).
import type { TaxMode } from '../schema/fields';
import { MILLI_PER_UNIT, allocateMinor, basisPointsOf, lineAmountMinor, roundToIncrement, taxExclusive, taxInclusive, BP_PER_UNIT } from '../money';
import { CounterRuleError } from './errors';
import { amountText, assertCurrency, assertInteger, lineLabel, percentText, quantityText } from './format';

// ---------------------------------------------------------------------------
// Limits

/** Quantity must be > 0 and at most 1,000,000 units (in milli-units). */
export const MAX_QUANTITY_MILLI = 1_000_000 * MILLI_PER_UNIT;
/** Unit price must be >= 0 and at most 10^12 minor units. */
export const MAX_UNIT_PRICE_MINOR = 1_000_000_000_000;
/**
 * One line's amount (price x quantity) may not exceed 10^12 minor units either, so that
 * a full sale (1000 lines, tax up to 100%) stays far inside the safe integer range.
 */
export const MAX_LINE_AMOUNT_MINOR = 1_000_000_000_000;
/** Lines per sale (the sales schema's maxItems). */
export const MAX_LINES = 1000;
/** Tax rates and percentages are 0..10000 basis points (0..100%). */
export const MAX_RATE_BP = BP_PER_UNIT;

// ---------------------------------------------------------------------------
// Types

export type Discount = { kind: 'amount'; amountMinor: number } | { kind: 'percent'; bp: number };

export interface SaleLineInput {
  quantityMilli: number;
  unitPriceMinor: number;
  taxRateBp: number;
  discount?: Discount;
  /** Only used in messages ("Line 2 (Bread): ..."). */
  name?: string;
}

export interface SaleTotalsInput {
  currency: string;
  taxMode: TaxMode;
  lines: readonly SaleLineInput[];
  saleDiscount?: Discount;
  /** Cash rounding increment in minor units (5 = round to 0.05); 0 or absent = none. */
  cashRoundingIncrementMinor?: number;
}

export interface LineTotals {
  index: number;
  quantityMilli: number;
  unitPriceMinor: number;
  taxRateBp: number;
  /** Unit price x quantity, rounded. */
  subtotalMinor: number;
  /** The line's own discount. */
  lineDiscountMinor: number;
  /** This line's share of the sale discount. */
  saleDiscountMinor: number;
  /** lineDiscountMinor + saleDiscountMinor (what the sales schema stores as discountMinor). */
  discountMinor: number;
  /** Tax base: net of tax, after all discounts. */
  taxableMinor: number;
  taxMinor: number;
  /** taxable + tax: what the customer pays for the line. */
  totalMinor: number;
}

export interface TaxRateTotals {
  rateBp: number;
  taxableMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface SaleTotals {
  currency: string;
  taxMode: TaxMode;
  lines: LineTotals[];
  subtotalMinor: number;
  lineDiscountMinor: number;
  saleDiscountMinor: number;
  discountMinor: number;
  taxableMinor: number;
  taxMinor: number;
  /** Sum of the line totals. */
  linesTotalMinor: number;
  /** Cash rounding added to linesTotalMinor (may be negative). */
  roundingMinor: number;
  /** Amount payable: linesTotalMinor + roundingMinor. */
  totalMinor: number;
  /** One entry per tax rate used, ascending by rate. */
  taxBreakdown: TaxRateTotals[];
}

// ---------------------------------------------------------------------------
// Validation helpers (also used by credit-note.ts)

export function assertTaxMode(mode: unknown): asserts mode is TaxMode {
  if (mode !== 'inclusive' && mode !== 'exclusive') {
    throw new CounterRuleError('invalid_tax_mode', `Tax mode must be "inclusive" or "exclusive", got "${String(mode)}".`, { field: 'taxMode' });
  }
}

export function assertQuantity(quantityMilli: unknown, index: number, name?: string, field = 'quantityMilli'): asserts quantityMilli is number {
  const where = { lineIndex: index, field };
  const label = lineLabel(index, name);
  assertInteger(quantityMilli, `${label}: the quantity in thousandths`, where);
  if (quantityMilli <= 0) {
    throw new CounterRuleError('quantity_not_positive', `${label}: the quantity must be more than 0 (got ${quantityText(quantityMilli)}).`, where);
  }
  if (quantityMilli > MAX_QUANTITY_MILLI) {
    throw new CounterRuleError(
      'quantity_too_large',
      `${label}: the quantity ${quantityText(quantityMilli)} is too large; at most ${quantityText(MAX_QUANTITY_MILLI)} per line.`,
      where,
    );
  }
}

function assertUnitPrice(price: unknown, index: number, currency: string, name?: string): asserts price is number {
  const where = { lineIndex: index, field: 'unitPriceMinor' };
  const label = lineLabel(index, name);
  assertInteger(price, `${label}: the price in minor units`, where);
  if (price < 0) {
    throw new CounterRuleError('price_negative', `${label}: the price cannot be negative (got ${amountText(price, currency)}).`, where);
  }
  if (price > MAX_UNIT_PRICE_MINOR) {
    throw new CounterRuleError(
      'price_too_large',
      `${label}: the price ${amountText(price, currency)} is too large; at most ${amountText(MAX_UNIT_PRICE_MINOR, currency)}.`,
      where,
    );
  }
}

export function assertTaxRate(rate: unknown, index: number, name?: string): asserts rate is number {
  const where = { lineIndex: index, field: 'taxRateBp' };
  const label = lineLabel(index, name);
  assertInteger(rate, `${label}: the tax rate in basis points`, where);
  if (rate < 0 || rate > MAX_RATE_BP) {
    throw new CounterRuleError('invalid_tax_rate', `${label}: the tax rate ${percentText(rate)} must be between 0% and 100%.`, where);
  }
}

/**
 * The discount in minor units on `baseMinor`. `what` names it in messages ("Line 2:
 * the discount", "The sale discount"); `baseWhat` names the base ("the line amount").
 */
function discountAmount(
  discount: Discount | undefined,
  baseMinor: number,
  currency: string,
  what: string,
  baseWhat: string,
  where: { lineIndex?: number; field: string },
): number {
  if (discount === undefined) return 0;
  if (discount === null || typeof discount !== 'object') {
    throw new CounterRuleError('invalid_discount', `${what} must be an amount or a percentage.`, where);
  }
  if (discount.kind === 'amount') {
    assertInteger(discount.amountMinor, `${what} in minor units`, where);
    if (discount.amountMinor < 0) {
      throw new CounterRuleError('discount_negative', `${what} cannot be negative (got ${amountText(discount.amountMinor, currency)}).`, where);
    }
    if (discount.amountMinor > baseMinor) {
      throw new CounterRuleError(
        'discount_exceeds_amount',
        `${what} ${amountText(discount.amountMinor, currency)} is more than ${baseWhat} ${amountText(baseMinor, currency)}.`,
        where,
      );
    }
    return discount.amountMinor;
  }
  if (discount.kind === 'percent') {
    assertInteger(discount.bp, `${what} in basis points`, where);
    if (discount.bp < 0) {
      throw new CounterRuleError('discount_negative', `${what} cannot be negative (got ${percentText(discount.bp)}).`, where);
    }
    if (discount.bp > MAX_RATE_BP) {
      throw new CounterRuleError('percent_too_large', `${what} of ${percentText(discount.bp)} is more than 100%.`, where);
    }
    return basisPointsOf(baseMinor, discount.bp);
  }
  throw new CounterRuleError('invalid_discount', `${what} must be an amount or a percentage.`, where);
}

/** Tax of one line from its amount after all discounts (rule 4). */
export function lineTax(amountAfterDiscountsMinor: number, rateBp: number, taxMode: TaxMode): { taxableMinor: number; taxMinor: number; totalMinor: number } {
  if (taxMode === 'inclusive') {
    const taxMinor = taxInclusive(amountAfterDiscountsMinor, rateBp);
    return { taxableMinor: amountAfterDiscountsMinor - taxMinor, taxMinor, totalMinor: amountAfterDiscountsMinor };
  }
  const taxMinor = taxExclusive(amountAfterDiscountsMinor, rateBp);
  return { taxableMinor: amountAfterDiscountsMinor, taxMinor, totalMinor: amountAfterDiscountsMinor + taxMinor };
}

/** Groups line figures by tax rate, ascending. */
export function taxBreakdownOf(lines: readonly { taxRateBp: number; taxableMinor: number; taxMinor: number; totalMinor: number }[]): TaxRateTotals[] {
  const byRate = new Map<number, TaxRateTotals>();
  for (const l of lines) {
    let r = byRate.get(l.taxRateBp);
    if (!r) {
      r = { rateBp: l.taxRateBp, taxableMinor: 0, taxMinor: 0, totalMinor: 0 };
      byRate.set(l.taxRateBp, r);
    }
    r.taxableMinor += l.taxableMinor;
    r.taxMinor += l.taxMinor;
    r.totalMinor += l.totalMinor;
  }
  return [...byRate.values()].sort((a, b) => a.rateBp - b.rateBp);
}

// ---------------------------------------------------------------------------

/**
 * Totals of a sale (see the rounding rules at the top of this file). Throws
 * CounterRuleError for bad input; an empty sale gives all zeros.
 */
export function computeSaleTotals(input: SaleTotalsInput): SaleTotals {
  const { currency, taxMode } = input;
  assertCurrency(currency);
  assertTaxMode(taxMode);
  const inputLines = input.lines;
  if (inputLines.length > MAX_LINES) {
    throw new CounterRuleError('too_many_lines', `A sale can have at most ${MAX_LINES} lines; this one has ${inputLines.length}. Split it into two sales.`, {
      field: 'lines',
    });
  }

  // 1-2. line amounts and line discounts
  const subtotals: number[] = [];
  const lineDiscounts: number[] = [];
  const afterLine: number[] = [];
  inputLines.forEach((line, i) => {
    const label = lineLabel(i, line.name);
    assertQuantity(line.quantityMilli, i, line.name);
    assertUnitPrice(line.unitPriceMinor, i, currency, line.name);
    assertTaxRate(line.taxRateBp, i, line.name);
    if (BigInt(line.unitPriceMinor) * BigInt(line.quantityMilli) > BigInt(MAX_LINE_AMOUNT_MINOR) * BigInt(MILLI_PER_UNIT)) {
      throw new CounterRuleError(
        'line_amount_too_large',
        `${label}: ${quantityText(line.quantityMilli)} x ${amountText(line.unitPriceMinor, currency)} is too large for one line; at most ${amountText(MAX_LINE_AMOUNT_MINOR, currency)}.`,
        { lineIndex: i, field: 'quantityMilli' },
      );
    }
    const subtotal = lineAmountMinor(line.unitPriceMinor, line.quantityMilli);
    const discount = discountAmount(line.discount, subtotal, currency, `${label}: the discount`, 'the line amount', { lineIndex: i, field: 'discount' });
    subtotals.push(subtotal);
    lineDiscounts.push(discount);
    afterLine.push(subtotal - discount);
  });

  // 3. sale discount, allocated by largest remainder
  const base = afterLine.reduce((s, x) => s + x, 0);
  const saleDiscount = discountAmount(input.saleDiscount, base, currency, 'The sale discount', 'the amount of the sale', { field: 'saleDiscount' });
  const saleShares = saleDiscount === 0 ? afterLine.map(() => 0) : allocateMinor(saleDiscount, afterLine);

  // 4. tax per line
  const lines: LineTotals[] = inputLines.map((line, i) => {
    const subtotalMinor = subtotals[i]!;
    const lineDiscountMinor = lineDiscounts[i]!;
    const saleDiscountMinor = saleShares[i]!;
    const tax = lineTax(afterLine[i]! - saleDiscountMinor, line.taxRateBp, taxMode);
    return {
      index: i,
      quantityMilli: line.quantityMilli,
      unitPriceMinor: line.unitPriceMinor,
      taxRateBp: line.taxRateBp,
      subtotalMinor,
      lineDiscountMinor,
      saleDiscountMinor,
      discountMinor: lineDiscountMinor + saleDiscountMinor,
      ...tax,
    };
  });

  // 5. sums of the rounded lines, then cash rounding
  const total = (f: (l: LineTotals) => number) => lines.reduce((s, l) => s + f(l), 0);
  const linesTotalMinor = total((l) => l.totalMinor);
  const increment = input.cashRoundingIncrementMinor ?? 0;
  assertInteger(increment, 'The cash rounding increment', { field: 'cashRoundingIncrementMinor' });
  if (increment < 0) {
    throw new CounterRuleError('invalid_amount', `The cash rounding increment cannot be negative (got ${amountText(increment, currency)}).`, {
      field: 'cashRoundingIncrementMinor',
    });
  }
  const roundingMinor = roundToIncrement(linesTotalMinor, increment) - linesTotalMinor;
  return {
    currency,
    taxMode,
    lines,
    subtotalMinor: total((l) => l.subtotalMinor),
    lineDiscountMinor: total((l) => l.lineDiscountMinor),
    saleDiscountMinor: saleDiscount,
    discountMinor: total((l) => l.discountMinor),
    taxableMinor: total((l) => l.taxableMinor),
    taxMinor: total((l) => l.taxMinor),
    linesTotalMinor,
    roundingMinor,
    totalMinor: linesTotalMinor + roundingMinor,
    taxBreakdown: taxBreakdownOf(lines),
  };
}
