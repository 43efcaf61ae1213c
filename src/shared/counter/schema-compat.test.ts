// Compile-time check that stored documents can be passed straight to the counter
// functions (tsc -b tsconfig.tools.json type-checks this file).
import { describe, expect, it } from 'vitest';
import type {
  CreditNoteDoc,
  CustomerCreditEntryDoc,
  DrawerMovementDoc,
  ExpenseCategoryDoc,
  ExpenseDoc,
  InvoiceCounterDoc,
  SaleDoc,
} from '../schema/counter';
import type { CreditLedgerEntry } from './credit-balance';
import type { OriginalSale, PreviousCreditNote } from './credit-note';
import type { DayCloseCreditNote, DayCloseDrawerMovement, DayCloseExpense, DayCloseSale } from './day-close';
import type { ExpenseCategoryRules } from './expense-rules';
import type { InsightCreditNote, InsightExpense, InsightSale } from './insights';
import type { SeriesCounter } from './invoice-number';

type Assignable<From, To> = [From] extends [To] ? true : false;
const checks: true[] = [
  true satisfies Assignable<SaleDoc, OriginalSale>,
  true satisfies Assignable<SaleDoc, DayCloseSale>,
  true satisfies Assignable<SaleDoc, Omit<InsightSale, 'at'>>,
  true satisfies Assignable<CreditNoteDoc, PreviousCreditNote>,
  true satisfies Assignable<CreditNoteDoc, DayCloseCreditNote>,
  true satisfies Assignable<CreditNoteDoc, InsightCreditNote>,
  true satisfies Assignable<DrawerMovementDoc, DayCloseDrawerMovement>,
  true satisfies Assignable<ExpenseDoc, DayCloseExpense>,
  true satisfies Assignable<ExpenseDoc, InsightExpense>,
  true satisfies Assignable<ExpenseCategoryDoc, ExpenseCategoryRules>,
  true satisfies Assignable<CustomerCreditEntryDoc, CreditLedgerEntry>,
  true satisfies Assignable<InvoiceCounterDoc, SeriesCounter>,
];

describe('schema compatibility', () => {
  it('stored documents fit the counter function inputs (checked by tsc)', () => {
    expect(checks.every(Boolean)).toBe(true);
  });
});
