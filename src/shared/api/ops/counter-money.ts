// Counter, money around the counter and insights: expenses and their categories,
// customer credit (repayments, reversals, who owes, reminders), the cash drawer, the
// day close (Z report, shop daily report, PDF), insights for a period and exports.
//
// Money is integer minor units in the shop currency (data rule 1); days are shop-zone
// 'YYYY-MM-DD'. Balances are derived from append-only entries (data rule 3):
// corrections are reversal entries, never edits. Everything that writes goes through
// the core's single write path (audit entry, lock rules: a closed day refuses changes).
import { z } from 'zod';
import { PAYMENT_METHODS } from '../../schema/fields';
import { defineOperation } from '../operation';
import { overrideSchema } from './auth';

const id = z.string().min(1, 'Missing id.').max(40);
const minor = z.number().int('Use whole minor units (cents).').min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const positiveMinor = z
  .number({ error: 'Enter an amount.' })
  .int('Use whole minor units (cents).')
  .positive('The amount must be more than 0.')
  .max(Number.MAX_SAFE_INTEGER, 'That amount is too large.');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a day as YYYY-MM-DD.')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'That day does not exist.');
const time = z.number().int();
const byMethodSchema = z.object({ cash: minor, card: minor, mobile_money: minor, customer_credit: minor });
const paymentMethod = z.enum(PAYMENT_METHODS);
const reason = z.string().trim().min(3, 'Say why (at least 3 characters).').max(500);

// ---------------------------------------------------------------------------
// Expenses

export const expenseSchema = z.object({
  id: z.string(),
  day: z.string(),
  amountMinor: minor,
  currency: z.string(),
  categoryId: z.string(),
  /** '' when uncategorised or the category is gone. */
  categoryName: z.string(),
  categoryColor: z.string(),
  description: z.string(),
  vendor: z.string(),
  reference: z.string(),
  paidFrom: z.enum(['cash', 'other']),
  deviceId: z.string(),
  /** The drawer's cash_out entry of a cash expense ('' otherwise). */
  drawerMovementId: z.string(),
  createdBy: z.string(),
  createdAt: time,
  updatedAt: time,
});
export type Expense = z.infer<typeof expenseSchema>;

export const expenseCategorySchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  keywordRules: z.array(z.string()),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export type ExpenseCategory = z.infer<typeof expenseCategorySchema>;

const suggestionSchema = z.object({ categoryId: z.string(), categoryName: z.string(), keyword: z.string() });

const expenseFields = {
  amountMinor: positiveMinor,
  description: z.string().trim().min(1, 'Say what the money was spent on.').max(500),
  /** Absent: the category suggested by the keyword rules (or none); '' = uncategorised. */
  categoryId: z.string().max(40).optional(),
  vendor: z.string().trim().max(200).optional(),
  reference: z.string().trim().max(100).optional(),
  /** 'cash' takes the money from this register's drawer (a cash_out drawer entry). */
  paidFrom: z.enum(['cash', 'other']),
  /** Default: today in the shop's time zone. Never in the future. */
  day: day.optional(),
};

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #1e88e5.');

// ---------------------------------------------------------------------------
// Customer credit

export const creditEntrySchema = z.object({
  id: z.string(),
  customerId: z.string(),
  kind: z.enum(['sale', 'repayment', 'adjustment', 'reversal']),
  /** > 0 the customer owes more, < 0 less. */
  amountMinor: minor,
  currency: z.string(),
  saleId: z.string(),
  reversesId: z.string(),
  /** Set on entries that a later reversal cancelled. */
  reversedBy: z.string(),
  paymentMethod: z.string(),
  reference: z.string(),
  note: z.string(),
  balanceAfterMinor: minor.nullable(),
  day: z.string(),
  deviceId: z.string(),
  createdBy: z.string(),
  createdAt: time,
});
export type CreditEntry = z.infer<typeof creditEntrySchema>;

const creditMoveResult = z.object({
  entry: creditEntrySchema,
  /** What the customer owes after this entry (< 0: paid in advance). */
  balanceMinor: minor,
  /** The drawer entry written with it (cash), or null. */
  drawerMovementId: z.string().nullable(),
});

export const owingCustomerSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  phone: z.string(),
  balanceMinor: minor,
  /** Day of the oldest debt still unpaid (repayments settle the oldest first). */
  oldestUnpaidDay: z.string(),
  ageDays: z.number().int(),
  lastEntryAt: time.nullable(),
  reminderOptOut: z.boolean(),
  reminderCount: z.number().int(),
  lastReminderAt: time.nullable(),
  creditLimitMinor: minor.nullable(),
});
export type OwingCustomer = z.infer<typeof owingCustomerSchema>;

const reminderPrepared = z.union([
  z.object({
    ok: z.literal(true),
    text: z.string(),
    /** https://wa.me/<number>?text=... ; null when the phone number is missing or unusable (then phoneProblem says why). */
    whatsappUrl: z.string().nullable(),
    phoneProblem: z.object({ reason: z.string(), message: z.string() }).nullable(),
    balanceMinor: minor,
    ageDays: z.number().int(),
  }),
  z.object({ ok: z.literal(false), reason: z.enum(['opted_out', 'nothing_owed']), message: z.string() }),
]);

export const reminderLogEntrySchema = z.object({
  id: z.string(),
  customerId: z.string(),
  channel: z.enum(['whatsapp', 'sms', 'email', 'call']),
  status: z.enum(['queued', 'sent', 'failed', 'skipped']),
  balanceMinor: minor,
  currency: z.string(),
  message: z.string(),
  error: z.string(),
  createdBy: z.string(),
  createdAt: time,
});

// ---------------------------------------------------------------------------
// Drawer

export const drawerMovementSchema = z.object({
  id: z.string(),
  day: z.string(),
  deviceId: z.string(),
  registerId: z.string(),
  kind: z.enum(['opening_float', 'cash_in', 'cash_out', 'sale_cash', 'refund_cash', 'reversal']),
  /** > 0 into the drawer, < 0 out. */
  amountMinor: minor,
  currency: z.string(),
  reason: z.string(),
  saleId: z.string(),
  creditNoteId: z.string(),
  expenseId: z.string(),
  creditEntryId: z.string(),
  reversesId: z.string(),
  /** Set when a later reversal cancelled this entry. */
  reversedBy: z.string(),
  createdBy: z.string(),
  createdAt: time,
});
export type DrawerMovement = z.infer<typeof drawerMovementSchema>;

const cashReconciliationSchema = z.object({
  openingFloatMinor: minor,
  cashSalesMinor: minor,
  cashRefundsMinor: minor,
  cashInMinor: minor,
  creditRepaymentsMinor: minor,
  cashOutMinor: minor,
  cashExpensesMinor: minor,
  adjustmentsMinor: minor,
  expectedCashMinor: minor,
  count: z.object({ currency: z.string(), countedMinor: minor, denominations: z.array(z.object({ valueMinor: minor, count: z.number().int() })) }).optional(),
  countedCashMinor: minor.optional(),
  differenceMinor: minor.optional(),
});

// ---------------------------------------------------------------------------
// Day close

export const zReportSchema = z.object({
  currency: z.string(),
  salesCount: z.number().int(),
  ignoredSalesCount: z.number().int(),
  grossSalesMinor: minor,
  discountsMinor: minor,
  salesTaxMinor: minor,
  roundingMinor: minor,
  salesTotalMinor: minor,
  refundsCount: z.number().int(),
  refundsTotalMinor: minor,
  refundsTaxMinor: minor,
  netSalesMinor: minor,
  netTaxMinor: minor,
  taxByRate: z.array(
    z.object({
      rateBp: z.number().int(),
      salesTaxableMinor: minor,
      salesTaxMinor: minor,
      refundsTaxableMinor: minor,
      refundsTaxMinor: minor,
      netTaxableMinor: minor,
      netTaxMinor: minor,
    }),
  ),
  payments: z.object({ sales: byMethodSchema, refunds: byMethodSchema, net: byMethodSchema }),
  cash: cashReconciliationSchema,
  expenses: z.object({ count: z.number().int(), cashMinor: minor, otherMinor: minor }),
  invoices: z.object({
    firstSeq: z.number().int().optional(),
    lastSeq: z.number().int().optional(),
    firstNumber: z.string().optional(),
    lastNumber: z.string().optional(),
    missingSeqs: z.array(z.number().int()),
    duplicateSeqs: z.array(z.number().int()),
  }),
  creditNotes: z.object({ firstNumber: z.string().optional(), lastNumber: z.string().optional() }),
  ledgerCheck: z.object({ drawerMovementsSumMinor: minor, differenceMinor: minor }),
});
export type ZReportDto = z.infer<typeof zReportSchema>;

export const dayCloseSchema = z.object({
  id: z.string(),
  day: z.string(),
  deviceId: z.string(),
  registerId: z.string(),
  registerName: z.string(),
  currency: z.string(),
  expected: z.object({ cashMinor: minor, cardMinor: minor, mobileMoneyMinor: minor, customerCreditMinor: minor }),
  openingFloatMinor: minor,
  cashInMinor: minor,
  cashOutMinor: minor,
  expectedCashMinor: minor,
  countedCashMinor: minor,
  denominations: z.array(z.object({ valueMinor: minor, count: z.number().int() })),
  /** counted - expected (negative = short). */
  differenceMinor: minor,
  salesCount: z.number().int(),
  salesTotalMinor: minor,
  taxTotalMinor: minor,
  refundsCount: z.number().int(),
  refundsTotalMinor: minor,
  firstInvoiceSeq: z.number().int().nullable(),
  lastInvoiceSeq: z.number().int().nullable(),
  note: z.string(),
  closedBy: z.string(),
  closedByName: z.string(),
  closedAt: time,
});
export type DayClose = z.infer<typeof dayCloseSchema>;

const denominationSchema = z.object({ valueMinor: minor, kind: z.enum(['note', 'coin']) });

// ---------------------------------------------------------------------------
// Insights

const heatCell = z.object({ count: z.number().int(), totalMinor: minor });
const productStat = z.object({
  key: z.string(),
  productId: z.string(),
  name: z.string(),
  quantityMilli: z.number().int(),
  revenueMinor: minor,
  salesCount: z.number().int(),
});
const customerMetric = z.object({
  customerId: z.string(),
  /** '' when the customer record is not on this device. */
  name: z.string(),
  visits: z.number().int(),
  /** Sales minus refunds in the period. */
  lifetimeValueMinor: minor,
  averageTicketMinor: minor,
  firstPurchaseAt: time.optional(),
  lastPurchaseAt: time.optional(),
  /** Since the first sale on record, all periods. */
  allTime: z.object({ visits: z.number().int(), valueMinor: minor, lastPurchaseAt: time.nullable() }),
});

export const insightsSchema = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  timeZone: z.string(),
  salesCount: z.number().int(),
  revenueMinor: minor,
  refundsCount: z.number().int(),
  refundsMinor: minor,
  netRevenueMinor: minor,
  averageTicketMinor: minor,
  firstSaleAt: time.optional(),
  lastSaleAt: time.optional(),
  /** heatmap[weekday 0=Monday..6=Sunday][hour 0..23], shop time zone. */
  heatmap: z.array(z.array(heatCell)),
  peak: z.object({ weekday: z.number().int(), hour: z.number().int(), count: z.number().int(), totalMinor: minor }).optional(),
  topProductsByRevenue: z.array(productStat),
  topProductsByQuantity: z.array(productStat),
  paymentMix: z.array(z.object({ method: paymentMethod, amountMinor: minor, count: z.number().int(), shareBp: z.number().int() })),
  refundsByMethod: byMethodSchema,
  expensesByCategory: z.array(z.object({ categoryId: z.string(), name: z.string(), color: z.string(), amountMinor: minor, count: z.number().int() })),
  expensesTotalMinor: minor,
  customerCount: z.number().int(),
  repeatCustomerCount: z.number().int(),
  walkInSalesCount: z.number().int(),
  customers: z.array(customerMetric),
  tookMs: z.number(),
});
export type Insights = z.infer<typeof insightsSchema>;

export const insightsStatusSchema = z.object({
  state: z.enum(['ready', 'building']),
  /** While building: days done / days to do. */
  doneDays: z.number().int(),
  totalDays: z.number().int(),
});

// ---------------------------------------------------------------------------
// Exports

export const EXPORT_KINDS = ['sales', 'sale_lines', 'expenses', 'credit'] as const;

/** Pushed while an export runs ('export.progress'). */
export const exportProgressSchema = z.object({ id: z.string(), done: z.number().int(), total: z.number().int() });

export const exportResultSchema = z.object({
  id: z.string(),
  kind: z.enum(EXPORT_KINDS),
  format: z.enum(['csv', 'xlsx']),
  /** Absolute path of the file in <data folder>/exports. */
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  /** Data rows written (without the header). */
  rows: z.number().int(),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

// ---------------------------------------------------------------------------

export const counterMoneyOps = {
  // Expenses ----------------------------------------------------------------
  'counter.expenseCreate': defineOperation({
    summary: 'Records an expense (cash ones also take the money out of this register’s drawer).',
    kind: 'command',
    permission: 'counter.expenses',
    input: z.object(expenseFields).strict(),
    output: expenseSchema,
  }),
  'counter.expenseUpdate': defineOperation({
    summary: 'Corrects an expense while its day is open (a closed day needs a manager override).',
    kind: 'command',
    permission: 'counter.expenses',
    input: z
      .object({ id, ...expenseFields, amountMinor: positiveMinor.optional(), description: expenseFields.description.optional(), paidFrom: expenseFields.paidFrom.optional(), override: overrideSchema.optional() })
      .strict(),
    output: expenseSchema,
  }),
  'counter.expenseVoid': defineOperation({
    summary: 'Voids an expense of an open day (a cash one puts the money back in the drawer by a reversal entry).',
    kind: 'command',
    permission: 'counter.expenses',
    input: z.object({ id, reason, override: overrideSchema.optional() }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'counter.expenseList': defineOperation({
    summary: 'Expenses of a period, newest first, optionally of one category or register.',
    kind: 'query',
    permission: 'counter.expenses',
    input: z
      .object({ from: day, to: day, categoryId: z.string().max(40).optional(), deviceId: z.string().max(40).optional(), limit: z.number().int().min(1).max(5000).default(500) })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'The period ends before it starts.', path: ['to'] }),
    output: z.object({ items: z.array(expenseSchema), count: z.number().int(), totalMinor: minor, truncated: z.boolean() }),
  }),
  'counter.expenseCategories': defineOperation({
    summary: 'Expense categories with their colours and keyword rules.',
    kind: 'query',
    permission: 'counter.expenses',
    input: z.object({ includeInactive: z.boolean().default(false) }).strict(),
    output: z.array(expenseCategorySchema),
  }),
  'counter.expenseCategorySave': defineOperation({
    summary: 'Creates (no id) or changes an expense category.',
    kind: 'command',
    permission: 'counter.insights',
    input: z
      .object({
        id: id.optional(),
        name: z.string().trim().min(1, 'Enter a name.').max(80),
        color: colour,
        keywordRules: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
        active: z.boolean().default(true),
        sortOrder: z.number().int().min(0).max(10000).optional(),
      })
      .strict(),
    output: expenseCategorySchema,
  }),
  'counter.expenseCategoryArchive': defineOperation({
    summary: 'Hides a category from new expenses (old expenses keep it).',
    kind: 'command',
    permission: 'counter.insights',
    input: z.object({ id }).strict(),
    output: expenseCategorySchema,
  }),
  'counter.suggestCategory': defineOperation({
    summary: 'The category the keyword rules suggest for a description, or null.',
    kind: 'query',
    permission: 'counter.expenses',
    input: z.object({ description: z.string().max(500) }).strict(),
    output: z.object({ suggestion: suggestionSchema.nullable() }),
  }),

  // Customer credit -----------------------------------------------------------
  'counter.creditRepayment': defineOperation({
    summary:
      'A customer pays back credit: a ledger entry, and for cash a drawer cash-in, in one write. More than is owed is refused unless `advance` is set (the excess is then kept as a prepayment).',
    kind: 'command',
    permission: 'counter.sell',
    input: z
      .object({
        customerId: id,
        amountMinor: positiveMinor,
        method: z.enum(['cash', 'card', 'mobile_money']),
        reference: z.string().trim().max(100).optional(),
        note: z.string().trim().max(500).optional(),
        advance: z.boolean().default(false),
      })
      .strict(),
    output: creditMoveResult,
  }),
  'counter.creditReverse': defineOperation({
    summary: 'Cancels a credit ledger entry by a reversal entry (a cash repayment also pays the cash back out of today’s drawer).',
    kind: 'command',
    permission: 'balances.manage',
    input: z.object({ entryId: id, reason }).strict(),
    output: creditMoveResult,
  }),
  'counter.creditOwing': defineOperation({
    summary: 'Customers who owe: balance, oldest unpaid day and age, reminders sent. Largest balance first.',
    kind: 'query',
    permission: 'counter.sell',
    input: z
      .object({ search: z.string().trim().max(100).optional(), minAgeDays: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(5000).default(500) })
      .strict(),
    output: z.object({ currency: z.string(), today: z.string(), count: z.number().int(), totalOwedMinor: minor, customers: z.array(owingCustomerSchema) }),
  }),
  'counter.creditStatement': defineOperation({
    summary: 'One customer’s credit: balance, age and ledger entries (newest first).',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({ customerId: id, limit: z.number().int().min(1).max(5000).default(200) }).strict(),
    output: z.object({
      customerId: z.string(),
      name: z.string(),
      phone: z.string(),
      reminderOptOut: z.boolean(),
      reminderCount: z.number().int(),
      lastReminderAt: time.nullable(),
      creditLimitMinor: minor.nullable(),
      currency: z.string(),
      balanceMinor: minor,
      oldestUnpaidDay: z.string().nullable(),
      ageDays: z.number().int().nullable(),
      entryCount: z.number().int(),
      entries: z.array(creditEntrySchema),
    }),
  }),
  'counter.reminderPrepare': defineOperation({
    summary: 'The reminder text for a customer who owes, and a WhatsApp link with it. Refused (ok: false) when they opted out or owe nothing.',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({ customerId: id, template: z.string().max(2000).optional() }).strict(),
    output: reminderPrepared,
  }),
  'counter.reminderLog': defineOperation({
    summary: 'Records a reminder attempt (reminder log, the customer’s count and last sent). Refused for customers who opted out.',
    kind: 'command',
    permission: 'counter.sell',
    input: z
      .object({
        customerId: id,
        channel: z.enum(['whatsapp', 'sms', 'email', 'call']).default('whatsapp'),
        status: z.enum(['sent', 'failed', 'skipped']).default('sent'),
        message: z.string().max(2000).default(''),
        error: z.string().max(500).optional(),
      })
      .strict(),
    output: z.object({ id: z.string(), reminderCount: z.number().int(), lastReminderAt: time.nullable() }),
  }),
  'counter.reminderHistory': defineOperation({
    summary: 'The reminders logged for a customer, newest first.',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({ customerId: id }).strict(),
    output: z.array(reminderLogEntrySchema),
  }),

  // Drawer ----------------------------------------------------------------
  'counter.drawerFloat': defineOperation({
    summary: 'Records today’s opening float of this register (once a day; correct it with counter.drawerReverse).',
    kind: 'command',
    permission: 'counter.drawer',
    input: z.object({ amountMinor: positiveMinor, reason: z.string().trim().max(500).optional() }).strict(),
    output: drawerMovementSchema,
  }),
  'counter.drawerCash': defineOperation({
    summary: 'Cash put into (in) or taken out of (out) this register’s drawer with a reason. Opens the drawer without a sale: a manager signs it off (their session, or `override`).',
    kind: 'command',
    permission: 'counter.drawer',
    input: z.object({ direction: z.enum(['in', 'out']), amountMinor: positiveMinor, reason, override: overrideSchema.optional() }).strict(),
    output: drawerMovementSchema,
  }),
  'counter.drawerReverse': defineOperation({
    summary: 'Cancels a float, cash-in or cash-out entry by a reversal entry (a manager signs off all but the float).',
    kind: 'command',
    permission: 'counter.drawer',
    input: z.object({ movementId: id, reason, override: overrideSchema.optional() }).strict(),
    output: drawerMovementSchema,
  }),
  'counter.drawerState': defineOperation({
    summary: 'This register’s drawer for a day (default today): its entries and the cash that should be in it.',
    kind: 'query',
    permission: 'counter.drawer',
    input: z.object({ day: day.optional() }).strict(),
    output: z.object({
      day: z.string(),
      deviceId: z.string(),
      registerId: z.string(),
      currency: z.string(),
      closed: z.boolean(),
      openingFloatMinor: minor,
      expectedCashMinor: minor,
      cash: cashReconciliationSchema,
      movements: z.array(drawerMovementSchema),
    }),
  }),

  // Day close ----------------------------------------------------------------
  'counter.dayCloseDraft': defineOperation({
    summary: 'The Z report of this register for a day (default today): takings per payment method and the cash to count.',
    kind: 'query',
    permission: 'counter.close_day',
    input: z.object({ day: day.optional() }).strict(),
    output: z.object({
      day: z.string(),
      deviceId: z.string(),
      registerId: z.string(),
      registerName: z.string(),
      currency: z.string(),
      report: zReportSchema,
      /** The bills and coins to count, largest first. */
      denominations: z.array(denominationSchema),
      /** The close, when the day is already closed. */
      close: dayCloseSchema.nullable(),
      /** Parked or draft sales left, missing invoice numbers, drawer entries that do not add up. */
      warnings: z.array(z.string()),
    }),
  }),
  'counter.closeDay': defineOperation({
    summary: 'Closes this register’s day with the bill and coin count: writes the Z report; the day is then locked.',
    kind: 'command',
    permission: 'counter.close_day',
    input: z
      .object({
        day,
        counts: z.array(z.object({ valueMinor: z.number().int().positive(), count: z.number().int().min(0, 'Counts start at 0.') }).strict()).max(50),
        note: z.string().trim().max(1000).optional(),
      })
      .strict(),
    output: dayCloseSchema,
  }),
  'counter.shopDayReport': defineOperation({
    summary: 'The shop’s day: every register’s close added up, and which registers have not closed.',
    kind: 'query',
    permission: 'counter.close_day',
    input: z.object({ day }).strict(),
    output: z.object({
      day: z.string(),
      currency: z.string(),
      registers: z.array(
        z.object({
          deviceId: z.string(),
          name: z.string(),
          code: z.string(),
          registerId: z.string(),
          /** Finalised sales of that day on this register. */
          salesCount: z.number().int(),
          close: dayCloseSchema.nullable(),
        }),
      ),
      /** Registers that sold that day but have not closed it. */
      missing: z.array(z.object({ deviceId: z.string(), name: z.string(), salesCount: z.number().int() })),
      complete: z.boolean(),
      totals: z.object({
        expected: z.object({ cashMinor: minor, cardMinor: minor, mobileMoneyMinor: minor, customerCreditMinor: minor }),
        expectedCashMinor: minor,
        countedCashMinor: minor,
        differenceMinor: minor,
        salesCount: z.number().int(),
        salesTotalMinor: minor,
        taxTotalMinor: minor,
        refundsCount: z.number().int(),
        refundsTotalMinor: minor,
      }),
    }),
  }),
  'counter.zReportPdf': defineOperation({
    summary: 'The Z report of a close as an A4 PDF (base64).',
    kind: 'query',
    permission: 'counter.close_day',
    input: z.object({ dayCloseId: id }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),

  // Insights and exports ---------------------------------------------------------
  'counter.insights': defineOperation({
    summary: 'Sales by weekday and hour, top products, payment mix, expenses by category and customer metrics for a period of days.',
    kind: 'query',
    permission: 'counter.insights',
    input: z
      .object({
        from: day,
        to: day,
        topProducts: z.number().int().min(1).max(1000).default(10),
        customers: z.number().int().min(0).max(1000).default(100),
      })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'The period ends before it starts.', path: ['to'] }),
    output: insightsSchema,
  }),
  'counter.insightsStatus': defineOperation({
    summary: 'Whether the insight tables are ready or being rebuilt (with progress).',
    kind: 'query',
    permission: 'counter.insights',
    input: z.object({}).strict(),
    output: insightsStatusSchema,
  }),
  'counter.export': defineOperation({
    summary:
      'Writes a CSV or XLSX file of sales (one row per sale or credit note: kind "sales"; one row per line: "sale_lines"), expenses or customer credit entries for a period into <data folder>/exports. Progress: "export.progress" events with the id.',
    kind: 'command',
    permission: 'counter.insights',
    input: z
      .object({
        kind: z.enum(EXPORT_KINDS),
        format: z.enum(['csv', 'xlsx']),
        from: day,
        to: day,
        /** Your id for the progress events (default: a new one, returned). */
        id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
      })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'The period ends before it starts.', path: ['to'] }),
    output: exportResultSchema,
  }),
} as const;
