// Day close of one register: takings per payment method, the cash reconciliation and
// the Z report, from the day's documents.
//
// Expected cash in the drawer =
//     opening float
//   + cash applied to sales (payments are stored net of change)
//   - cash refunded on credit notes
//   + cash in   (includes cash credit repayments)
//   - cash out
//   - expenses paid from the drawer
//   +/- reversals of the above movements
// Drawer movements that MIRROR a document (kinds sale_cash and refund_cash, and any
// movement carrying an expenseId, saleId or creditNoteId) are not counted again: the
// documents are the source. Pass ALL the day's movements anyway: their plain sum is
// reported as ledgerCheck.drawerMovementsSumMinor and must equal the expected cash
// (ledgerCheck.differenceMinor = 0); anything else means a document or its drawer
// entry is missing.
//
// Signs of drawer movements follow the schema: > 0 into the drawer, < 0 out.
// In the report all "out" figures (refunds, cash out, expenses) are positive magnitudes.
import type { PaymentMethod } from '../schema/fields';
import { CounterRuleError } from './errors';
import { countCash, type CashCount, type Denomination, type DenominationCount } from './denominations';
import { amountText, assertCurrency, assertInteger } from './format';
import { checkSeries } from './invoice-number';
import { emptyByMethod, type ByMethod } from './payments';
import { taxBreakdownOf } from './totals';

export interface DayCloseSale {
  /** Only finalised sales count; drafts and parked sales are skipped (and counted in ignoredSalesCount). Absent = finalised. */
  status?: 'draft' | 'parked' | 'finalised';
  currency: string;
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  roundingMinor?: number;
  totalMinor: number;
  lines: readonly { taxRateBp: number; taxMinor: number; totalMinor: number }[];
  /** Applied amounts (cash net of change), as stored on the sale. */
  payments: readonly { method: PaymentMethod; amountMinor: number }[];
  invoiceSeq?: number;
  invoiceNumber?: string;
}

export interface DayCloseCreditNote {
  currency: string;
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  roundingMinor?: number;
  totalMinor: number;
  lines: readonly { taxRateBp: number; taxMinor: number; totalMinor: number }[];
  /** How the money went back, per method. */
  refunds: readonly { method: PaymentMethod; amountMinor: number }[];
  seq?: number;
  number?: string;
}

export type DrawerMovementKind = 'opening_float' | 'cash_in' | 'cash_out' | 'sale_cash' | 'refund_cash' | 'reversal';

export interface DayCloseDrawerMovement {
  kind: DrawerMovementKind;
  /** > 0 into the drawer, < 0 out. */
  amountMinor: number;
  currency?: string;
  saleId?: string;
  creditNoteId?: string;
  expenseId?: string;
  /** Set on a cash_in that is a customer's credit repayment. */
  creditEntryId?: string;
}

export interface DayCloseExpense {
  amountMinor: number;
  currency?: string;
  paidFrom: 'cash' | 'other';
}

export interface DayCloseInput {
  currency: string;
  sales: Iterable<DayCloseSale>;
  creditNotes?: Iterable<DayCloseCreditNote>;
  drawerMovements?: Iterable<DayCloseDrawerMovement>;
  expenses?: Iterable<DayCloseExpense>;
  /** The bill and coin count; absent = not counted yet (no difference is computed). */
  counted?: readonly DenominationCount[];
  /** Denomination table to validate the count against (default: the currency's). */
  denominationTable?: readonly Denomination[];
}

export interface TaxRateDayTotals {
  rateBp: number;
  salesTaxableMinor: number;
  salesTaxMinor: number;
  refundsTaxableMinor: number;
  refundsTaxMinor: number;
  netTaxableMinor: number;
  netTaxMinor: number;
}

export interface CashReconciliation {
  openingFloatMinor: number;
  cashSalesMinor: number;
  cashRefundsMinor: number;
  /** All cash in, including credit repayments. */
  cashInMinor: number;
  /** The part of cashInMinor that is customer credit repayments. */
  creditRepaymentsMinor: number;
  cashOutMinor: number;
  cashExpensesMinor: number;
  /** Signed sum of reversal movements (not mirroring a document). */
  adjustmentsMinor: number;
  expectedCashMinor: number;
  /** Present once counted. */
  count?: CashCount;
  countedCashMinor?: number;
  /** counted - expected (negative = short). Present once counted. */
  differenceMinor?: number;
}

export interface ZReport {
  currency: string;
  salesCount: number;
  ignoredSalesCount: number;
  /** Sum of line subtotals before discounts. */
  grossSalesMinor: number;
  discountsMinor: number;
  salesTaxMinor: number;
  roundingMinor: number;
  /** Sum of sale totals (what was charged). */
  salesTotalMinor: number;
  refundsCount: number;
  refundsTotalMinor: number;
  refundsTaxMinor: number;
  /** salesTotal - refundsTotal. */
  netSalesMinor: number;
  netTaxMinor: number;
  taxByRate: TaxRateDayTotals[];
  payments: {
    sales: ByMethod;
    refunds: ByMethod;
    /** Takings per method: sales - refunds. */
    net: ByMethod;
  };
  cash: CashReconciliation;
  expenses: { count: number; cashMinor: number; otherMinor: number };
  invoices: { firstSeq?: number; lastSeq?: number; firstNumber?: string; lastNumber?: string; missingSeqs: number[]; duplicateSeqs: number[] };
  creditNotes: { firstNumber?: string; lastNumber?: string };
  ledgerCheck: { drawerMovementsSumMinor: number; differenceMinor: number };
}

function checkCurrency(docCurrency: string | undefined, currency: string, what: string): void {
  if (docCurrency !== undefined && docCurrency !== currency) {
    throw new CounterRuleError('currency_mismatch', `${what} is in ${docCurrency} but the register closes in ${currency}; close each currency separately.`);
  }
}

function checkAmount(n: number, what: string): void {
  assertInteger(n, `${what}: the amount in minor units`);
}

function addPayments(into: ByMethod, payments: readonly { method: PaymentMethod; amountMinor: number }[], what: string): void {
  for (const p of payments) {
    checkAmount(p.amountMinor, what);
    if (!(p.method in into)) throw new CounterRuleError('invalid_payment_method', `${what}: "${String(p.method)}" is not a payment method.`);
    into[p.method] += p.amountMinor;
  }
}

const isMirror = (m: DayCloseDrawerMovement): boolean =>
  m.kind === 'sale_cash' || m.kind === 'refund_cash' || !!m.expenseId || !!m.saleId || !!m.creditNoteId;

/** The Z report of a register's day (see the cash rule at the top of this file). */
export function buildZReport(input: DayCloseInput): ZReport {
  const { currency } = input;
  assertCurrency(currency);

  // Sales
  const salesByMethod = emptyByMethod();
  const taxLines: { taxRateBp: number; taxableMinor: number; taxMinor: number; totalMinor: number; refund: boolean }[] = [];
  let salesCount = 0;
  let ignoredSalesCount = 0;
  let gross = 0;
  let discounts = 0;
  let salesTax = 0;
  let rounding = 0;
  let salesTotal = 0;
  const seqs: number[] = [];
  let first: { seq: number; number?: string } | undefined;
  let last: { seq: number; number?: string } | undefined;
  for (const s of input.sales) {
    if (s.status !== undefined && s.status !== 'finalised') {
      ignoredSalesCount++;
      continue;
    }
    const what = s.invoiceNumber ? `Sale ${s.invoiceNumber}` : `Sale ${salesCount + 1}`;
    checkCurrency(s.currency, currency, what);
    for (const n of [s.subtotalMinor, s.discountMinor, s.taxMinor, s.totalMinor, s.roundingMinor ?? 0]) checkAmount(n, what);
    salesCount++;
    gross += s.subtotalMinor;
    discounts += s.discountMinor;
    salesTax += s.taxMinor;
    rounding += s.roundingMinor ?? 0;
    salesTotal += s.totalMinor;
    addPayments(salesByMethod, s.payments, what);
    for (const l of s.lines) taxLines.push({ taxRateBp: l.taxRateBp, taxableMinor: l.totalMinor - l.taxMinor, taxMinor: l.taxMinor, totalMinor: l.totalMinor, refund: false });
    if (s.invoiceSeq !== undefined && s.invoiceSeq > 0) {
      seqs.push(s.invoiceSeq);
      const ref = s.invoiceNumber ? { seq: s.invoiceSeq, number: s.invoiceNumber } : { seq: s.invoiceSeq };
      if (!first || s.invoiceSeq < first.seq) first = ref;
      if (!last || s.invoiceSeq > last.seq) last = ref;
    }
  }

  // Credit notes
  const refundsByMethod = emptyByMethod();
  let refundsCount = 0;
  let refundsTotal = 0;
  let refundsTax = 0;
  let firstCn: { seq: number; number?: string } | undefined;
  let lastCn: { seq: number; number?: string } | undefined;
  for (const n of input.creditNotes ?? []) {
    const what = n.number ? `Credit note ${n.number}` : `Credit note ${refundsCount + 1}`;
    checkCurrency(n.currency, currency, what);
    for (const v of [n.subtotalMinor, n.discountMinor, n.taxMinor, n.totalMinor]) checkAmount(v, what);
    refundsCount++;
    refundsTotal += n.totalMinor;
    refundsTax += n.taxMinor;
    addPayments(refundsByMethod, n.refunds, what);
    for (const l of n.lines) taxLines.push({ taxRateBp: l.taxRateBp, taxableMinor: l.totalMinor - l.taxMinor, taxMinor: l.taxMinor, totalMinor: l.totalMinor, refund: true });
    if (n.seq !== undefined) {
      const ref = n.number ? { seq: n.seq, number: n.number } : { seq: n.seq };
      if (!firstCn || n.seq < firstCn.seq) firstCn = ref;
      if (!lastCn || n.seq > lastCn.seq) lastCn = ref;
    }
  }

  // Drawer
  let openingFloat = 0;
  let cashIn = 0;
  let repayments = 0;
  let cashOut = 0;
  let adjustments = 0;
  let drawerSum = 0;
  for (const m of input.drawerMovements ?? []) {
    const what = `Drawer entry (${m.kind.replace('_', ' ')})`;
    checkCurrency(m.currency, currency, what);
    checkAmount(m.amountMinor, what);
    drawerSum += m.amountMinor;
    if (isMirror(m)) continue;
    const wrongSign = (m.kind === 'opening_float' || m.kind === 'cash_in') ? m.amountMinor < 0 : m.kind === 'cash_out' ? m.amountMinor > 0 : false;
    if (wrongSign) {
      throw new CounterRuleError(
        'invalid_amount',
        `${what} of ${amountText(m.amountMinor, currency)} has the wrong sign: money into the drawer is positive, money out is negative.`,
      );
    }
    if (m.kind === 'opening_float') openingFloat += m.amountMinor;
    else if (m.kind === 'cash_in') {
      cashIn += m.amountMinor;
      if (m.creditEntryId) repayments += m.amountMinor;
    } else if (m.kind === 'cash_out') cashOut -= m.amountMinor;
    else adjustments += m.amountMinor;
  }

  // Expenses
  let expensesCount = 0;
  let cashExpenses = 0;
  let otherExpenses = 0;
  for (const e of input.expenses ?? []) {
    const what = `Expense ${expensesCount + 1}`;
    checkCurrency(e.currency, currency, what);
    checkAmount(e.amountMinor, what);
    if (e.amountMinor < 0) throw new CounterRuleError('invalid_amount', `${what}: an expense cannot be negative (${amountText(e.amountMinor, currency)}).`);
    expensesCount++;
    if (e.paidFrom === 'cash') cashExpenses += e.amountMinor;
    else otherExpenses += e.amountMinor;
  }

  const net = emptyByMethod();
  for (const k of Object.keys(net) as PaymentMethod[]) net[k] = salesByMethod[k] - refundsByMethod[k];

  const expectedCash = openingFloat + salesByMethod.cash - refundsByMethod.cash + cashIn - cashOut - cashExpenses + adjustments;
  const cash: CashReconciliation = {
    openingFloatMinor: openingFloat,
    cashSalesMinor: salesByMethod.cash,
    cashRefundsMinor: refundsByMethod.cash,
    cashInMinor: cashIn,
    creditRepaymentsMinor: repayments,
    cashOutMinor: cashOut,
    cashExpensesMinor: cashExpenses,
    adjustmentsMinor: adjustments,
    expectedCashMinor: expectedCash,
  };
  if (input.counted) {
    const count = countCash(currency, input.counted, input.denominationTable ? { table: input.denominationTable } : {});
    cash.count = count;
    cash.countedCashMinor = count.countedMinor;
    cash.differenceMinor = count.countedMinor - expectedCash;
  }

  // Tax per rate: sales, refunds, net
  const salesRates = taxBreakdownOf(taxLines.filter((l) => !l.refund));
  const refundRates = taxBreakdownOf(taxLines.filter((l) => l.refund));
  const rates = [...new Set([...salesRates, ...refundRates].map((r) => r.rateBp))].sort((a, b) => a - b);
  const taxByRate = rates.map((rateBp) => {
    const s = salesRates.find((r) => r.rateBp === rateBp);
    const r = refundRates.find((x) => x.rateBp === rateBp);
    const salesTaxableMinor = s?.taxableMinor ?? 0;
    const salesTaxMinor = s?.taxMinor ?? 0;
    const refundsTaxableMinor = r?.taxableMinor ?? 0;
    const refundsTaxMinor = r?.taxMinor ?? 0;
    return {
      rateBp,
      salesTaxableMinor,
      salesTaxMinor,
      refundsTaxableMinor,
      refundsTaxMinor,
      netTaxableMinor: salesTaxableMinor - refundsTaxableMinor,
      netTaxMinor: salesTaxMinor - refundsTaxMinor,
    };
  });

  const series = first ? checkSeries(seqs, first.seq) : undefined;
  const invoices: ZReport['invoices'] = { missingSeqs: series?.missing ?? [], duplicateSeqs: series?.duplicates ?? [] };
  if (first) {
    invoices.firstSeq = first.seq;
    if (first.number) invoices.firstNumber = first.number;
  }
  if (last) {
    invoices.lastSeq = last.seq;
    if (last.number) invoices.lastNumber = last.number;
  }
  const creditNotes: ZReport['creditNotes'] = {};
  if (firstCn?.number) creditNotes.firstNumber = firstCn.number;
  if (lastCn?.number) creditNotes.lastNumber = lastCn.number;

  return {
    currency,
    salesCount,
    ignoredSalesCount,
    grossSalesMinor: gross,
    discountsMinor: discounts,
    salesTaxMinor: salesTax,
    roundingMinor: rounding,
    salesTotalMinor: salesTotal,
    refundsCount,
    refundsTotalMinor: refundsTotal,
    refundsTaxMinor: refundsTax,
    netSalesMinor: salesTotal - refundsTotal,
    netTaxMinor: salesTax - refundsTax,
    taxByRate,
    payments: { sales: salesByMethod, refunds: refundsByMethod, net },
    cash,
    expenses: { count: expensesCount, cashMinor: cashExpenses, otherMinor: otherExpenses },
    invoices,
    creditNotes,
    ledgerCheck: { drawerMovementsSumMinor: drawerSum, differenceMinor: drawerSum - expectedCash },
  };
}

/** The figures of a counted Z report in the dayCloses schema's field names. */
export function dayCloseFields(report: ZReport): {
  expected: { cashMinor: number; cardMinor: number; mobileMoneyMinor: number; customerCreditMinor: number };
  openingFloatMinor: number;
  cashInMinor: number;
  cashOutMinor: number;
  expectedCashMinor: number;
  countedCashMinor: number;
  denominations: DenominationCount[];
  differenceMinor: number;
  salesCount: number;
  salesTotalMinor: number;
  taxTotalMinor: number;
  refundsCount: number;
  refundsTotalMinor: number;
  firstInvoiceSeq?: number;
  lastInvoiceSeq?: number;
} {
  const c = report.cash;
  if (!c.count || c.countedCashMinor === undefined || c.differenceMinor === undefined) {
    throw new CounterRuleError('invalid_count', 'Count the cash in the drawer before closing the day.', { field: 'counted' });
  }
  const n = report.payments.net;
  return {
    expected: { cashMinor: n.cash, cardMinor: n.card, mobileMoneyMinor: n.mobile_money, customerCreditMinor: n.customer_credit },
    openingFloatMinor: c.openingFloatMinor,
    cashInMinor: c.cashInMinor,
    // Everything else that left the drawer: cash out and cash expenses (refunds are in expected.cashMinor).
    cashOutMinor: c.cashOutMinor + c.cashExpensesMinor,
    expectedCashMinor: c.expectedCashMinor,
    countedCashMinor: c.countedCashMinor,
    denominations: c.count.denominations,
    differenceMinor: c.differenceMinor,
    salesCount: report.salesCount,
    salesTotalMinor: report.salesTotalMinor,
    taxTotalMinor: report.salesTaxMinor,
    refundsCount: report.refundsCount,
    refundsTotalMinor: report.refundsTotalMinor,
    ...(report.invoices.firstSeq !== undefined ? { firstInvoiceSeq: report.invoices.firstSeq } : {}),
    ...(report.invoices.lastSeq !== undefined ? { lastInvoiceSeq: report.invoices.lastSeq } : {}),
  };
}
