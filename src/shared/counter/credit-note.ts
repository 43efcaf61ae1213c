// Refunds and voids as credit notes that reference the original sale (data rule 5):
// full or partial lines, never more than sold minus what earlier credit notes already
// refunded.
//
// Amounts come from the ORIGINAL sale's stored line figures, never from today's
// prices, so discount and tax go back exactly as charged. Each line's figures are split
// into three independent non-negative parts, taxable (total - tax), tax and discount,
// and each part is refunded CUMULATIVELY:
//     refunded so far after c of Q units = round(part x c / Q)   (half away from zero)
//     this note = that - what earlier notes refunded
// so the note that brings a line to its full quantity gets the exact remainder and all
// notes of a line add up to the original figures exactly. Derived: total = taxable +
// tax; subtotal = taxable + discount (exclusive) or total + discount (inclusive).
// The sale's cash rounding goes back on the note that completes the refund of the
// whole sale, so all credit notes of a sale sum to the sale's total exactly.
import type { TaxMode } from '../schema/fields';
import { mulDiv } from '../money';
import { CounterRuleError } from './errors';
import { assertCurrency, assertInteger, lineLabel, quantityText } from './format';
import { assertQuantity, assertTaxMode, taxBreakdownOf, type TaxRateTotals } from './totals';

/** The figures of a finalised sale line as stored (schema SaleLine). */
export interface OriginalSaleLine {
  lineId: string;
  name?: string;
  quantityMilli: number;
  unitPriceMinor: number;
  /** Line discount plus its share of the sale discount. */
  discountMinor: number;
  taxRateBp: number;
  taxMinor: number;
  totalMinor: number;
}

export interface OriginalSale {
  currency: string;
  taxMode: TaxMode;
  lines: readonly OriginalSaleLine[];
  /** Cash rounding of the sale (default 0). */
  roundingMinor?: number;
}

/** An earlier credit note of the same sale (schema CreditNoteDoc, the fields used). */
export interface PreviousCreditNote {
  currency?: string;
  lines: readonly { saleLineId: string; quantityMilli: number; discountMinor: number; taxMinor: number; totalMinor: number }[];
  roundingMinor?: number;
}

export interface CreditRequestLine {
  /** 0-based index of the line in the original sale. */
  lineIndex: number;
  quantityMilli: number;
}

export interface CreditNoteInput {
  sale: OriginalSale;
  previous?: readonly PreviousCreditNote[];
  /** The lines and quantities to credit, or 'all' for everything not yet refunded (a void). */
  lines: readonly CreditRequestLine[] | 'all';
}

export interface CreditNoteLineTotals {
  lineIndex: number;
  saleLineId: string;
  quantityMilli: number;
  unitPriceMinor: number;
  taxRateBp: number;
  subtotalMinor: number;
  discountMinor: number;
  taxableMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface CreditNoteTotals {
  currency: string;
  taxMode: TaxMode;
  lines: CreditNoteLineTotals[];
  subtotalMinor: number;
  discountMinor: number;
  taxableMinor: number;
  taxMinor: number;
  linesTotalMinor: number;
  roundingMinor: number;
  /** What goes back to the customer: linesTotalMinor + roundingMinor. */
  totalMinor: number;
  taxBreakdown: TaxRateTotals[];
  /** True when, with this note, every line of the sale is fully refunded. */
  completesSale: boolean;
}

export interface LineRefundState {
  lineIndex: number;
  saleLineId: string;
  soldMilli: number;
  refundedMilli: number;
  remainingMilli: number;
  /** Already refunded by earlier notes. */
  refundedTaxableMinor: number;
  refundedTaxMinor: number;
  refundedDiscountMinor: number;
}

function validateSale(sale: OriginalSale): void {
  assertCurrency(sale.currency);
  assertTaxMode(sale.taxMode);
  sale.lines.forEach((l, i) => {
    assertQuantity(l.quantityMilli, i, l.name);
    for (const [k, v] of [
      ['discountMinor', l.discountMinor],
      ['taxMinor', l.taxMinor],
      ['totalMinor', l.totalMinor],
      ['unitPriceMinor', l.unitPriceMinor],
    ] as const) {
      assertInteger(v, `${lineLabel(i, l.name)}: the stored ${k}`, { lineIndex: i, field: k });
      if (v < 0) throw new CounterRuleError('invalid_amount', `${lineLabel(i, l.name)}: the sale's stored ${k} is negative; this sale cannot be refunded automatically.`, { lineIndex: i, field: k });
    }
    if (l.taxMinor > l.totalMinor) {
      throw new CounterRuleError('invalid_amount', `${lineLabel(i, l.name)}: the sale's stored tax is more than the line total; this sale cannot be refunded automatically.`, { lineIndex: i });
    }
  });
}

/** What each line of the sale has sold and already refunded (for the refund screen). */
export function refundState(sale: OriginalSale, previous: readonly PreviousCreditNote[] = []): LineRefundState[] {
  validateSale(sale);
  const byId = new Map<string, LineRefundState>();
  const states = sale.lines.map((l, i) => {
    const s: LineRefundState = {
      lineIndex: i,
      saleLineId: l.lineId,
      soldMilli: l.quantityMilli,
      refundedMilli: 0,
      remainingMilli: l.quantityMilli,
      refundedTaxableMinor: 0,
      refundedTaxMinor: 0,
      refundedDiscountMinor: 0,
    };
    byId.set(l.lineId, s);
    return s;
  });
  for (const note of previous) {
    if (note.currency !== undefined && note.currency !== sale.currency) {
      throw new CounterRuleError('currency_mismatch', `An earlier credit note is in ${note.currency} but the sale is in ${sale.currency}.`);
    }
    for (const nl of note.lines) {
      const s = byId.get(nl.saleLineId);
      if (!s) {
        throw new CounterRuleError('unknown_line', `An earlier credit note refers to a line that is not on this sale (${nl.saleLineId}).`);
      }
      s.refundedMilli += nl.quantityMilli;
      s.refundedTaxableMinor += nl.totalMinor - nl.taxMinor;
      s.refundedTaxMinor += nl.taxMinor;
      s.refundedDiscountMinor += nl.discountMinor;
    }
  }
  for (const s of states) {
    s.remainingMilli = s.soldMilli - s.refundedMilli;
    if (s.remainingMilli < 0) {
      const l = sale.lines[s.lineIndex]!;
      throw new CounterRuleError(
        'refund_exceeds_remaining',
        `${lineLabel(s.lineIndex, l.name)}: earlier credit notes refunded ${quantityText(s.refundedMilli)} but only ${quantityText(s.soldMilli)} were sold.`,
        { lineIndex: s.lineIndex },
      );
    }
  }
  return states;
}

/** Refund of one part: cumulative proportional, clamped so it never goes negative or past the original. */
function partRefund(original: number, soldMilli: number, cumulativeMilli: number, alreadyRefunded: number): number {
  const target = mulDiv(original, cumulativeMilli, soldMilli);
  return Math.min(Math.max(0, target - alreadyRefunded), Math.max(0, original - alreadyRefunded));
}

/** Figures of a credit note for the requested lines (see the rules at the top of this file). */
export function computeCreditNote(input: CreditNoteInput): CreditNoteTotals {
  const { sale } = input;
  const previous = input.previous ?? [];
  const states = refundState(sale, previous);

  let requests: CreditRequestLine[];
  if (input.lines === 'all') {
    requests = states.filter((s) => s.remainingMilli > 0).map((s) => ({ lineIndex: s.lineIndex, quantityMilli: s.remainingMilli }));
    if (requests.length === 0) {
      throw new CounterRuleError('refund_exceeds_remaining', 'This sale has already been fully refunded; there is nothing left to credit.');
    }
  } else {
    requests = [...input.lines];
    if (requests.length === 0) throw new CounterRuleError('nothing_to_refund', 'Choose at least one line and a quantity to refund.');
  }

  const seen = new Set<number>();
  const lines: CreditNoteLineTotals[] = requests.map((r, k) => {
    assertInteger(r.lineIndex, `Refund line ${k + 1}: the line number`, { lineIndex: k, field: 'lineIndex' });
    const l = sale.lines[r.lineIndex];
    if (r.lineIndex < 0 || !l) {
      throw new CounterRuleError('unknown_line', `Line ${r.lineIndex + 1} is not on this sale (it has ${sale.lines.length} line${sale.lines.length === 1 ? '' : 's'}).`, {
        lineIndex: r.lineIndex,
        field: 'lineIndex',
      });
    }
    const label = lineLabel(r.lineIndex, l.name);
    if (seen.has(r.lineIndex)) {
      throw new CounterRuleError('duplicate_line', `${label} is listed twice; enter its refund quantity once.`, { lineIndex: r.lineIndex, field: 'lineIndex' });
    }
    seen.add(r.lineIndex);
    assertQuantity(r.quantityMilli, r.lineIndex, l.name);
    const s = states[r.lineIndex]!;
    if (r.quantityMilli > s.remainingMilli) {
      throw new CounterRuleError(
        'refund_exceeds_remaining',
        s.remainingMilli === 0
          ? `${label}: all ${quantityText(s.soldMilli)} sold have already been refunded.`
          : `${label}: only ${quantityText(s.remainingMilli)} of ${quantityText(s.soldMilli)} sold can still be refunded (${quantityText(s.refundedMilli)} already refunded); you asked for ${quantityText(r.quantityMilli)}.`,
        { lineIndex: r.lineIndex, field: 'quantityMilli' },
      );
    }
    const cumulative = s.refundedMilli + r.quantityMilli;
    const taxableMinor = partRefund(l.totalMinor - l.taxMinor, l.quantityMilli, cumulative, s.refundedTaxableMinor);
    const taxMinor = partRefund(l.taxMinor, l.quantityMilli, cumulative, s.refundedTaxMinor);
    const discountMinor = partRefund(l.discountMinor, l.quantityMilli, cumulative, s.refundedDiscountMinor);
    const totalMinor = taxableMinor + taxMinor;
    return {
      lineIndex: r.lineIndex,
      saleLineId: l.lineId,
      quantityMilli: r.quantityMilli,
      unitPriceMinor: l.unitPriceMinor,
      taxRateBp: l.taxRateBp,
      subtotalMinor: (sale.taxMode === 'inclusive' ? totalMinor : taxableMinor) + discountMinor,
      discountMinor,
      taxableMinor,
      taxMinor,
      totalMinor,
    };
  });

  const requested = new Map(requests.map((r) => [r.lineIndex, r.quantityMilli]));
  const completesSale = states.every((s) => s.remainingMilli === (requested.get(s.lineIndex) ?? 0));
  const previousRounding = previous.reduce((sum, n) => sum + (n.roundingMinor ?? 0), 0);
  const roundingMinor = completesSale ? (sale.roundingMinor ?? 0) - previousRounding : 0;

  const total = (f: (l: CreditNoteLineTotals) => number) => lines.reduce((sum, l) => sum + f(l), 0);
  const linesTotalMinor = total((l) => l.totalMinor);
  return {
    currency: sale.currency,
    taxMode: sale.taxMode,
    lines,
    subtotalMinor: total((l) => l.subtotalMinor),
    discountMinor: total((l) => l.discountMinor),
    taxableMinor: total((l) => l.taxableMinor),
    taxMinor: total((l) => l.taxMinor),
    linesTotalMinor,
    roundingMinor,
    totalMinor: linesTotalMinor + roundingMinor,
    taxBreakdown: taxBreakdownOf(lines),
    completesSale,
  };
}
