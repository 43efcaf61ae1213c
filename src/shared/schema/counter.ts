// Counter domain (seed 002): products, customers, sales, credit notes, expenses,
// customer credit ledger and reminders, cash drawer, day closes, invoice counters.
// Conventions: see fields.ts (camelCase, `id` UUIDv7, integer minor units + currency,
// quantities in milli-units, rates in basis points, day = shop-zone 'YYYY-MM-DD',
// indexed optional references use '' for none, append-only = never updated).
//
// Sale arithmetic (money.ts, rounding half away from zero), stored so receipts and
// reports never recompute with different rounding:
//   line gross      = lineAmountMinor(unitPriceMinor, quantityMilli)
//   exclusive tax:  taxMinor = taxExclusive(gross - discountMinor, taxRateBp)
//                   totalMinor = gross - discountMinor + taxMinor
//   inclusive tax:  totalMinor = gross - discountMinor
//                   taxMinor = taxInclusive(totalMinor, taxRateBp)
//   sale: subtotalMinor = sum(gross), discountMinor = sum(line discounts) (a cart
//   discount is allocated onto lines first), taxMinor = sum(line tax),
//   totalMinor = sum(line totals) + roundingMinor (cash rounding), the amount payable;
//   sum(payments.amountMinor) == totalMinor once finalised; cash payments may carry
//   tenderedMinor and changeDueMinor = sum(tenderedMinor - amountMinor).
import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import {
  PAYMENT_METHODS,
  TAX_MODES,
  baseProps,
  bpField,
  colorField,
  countField,
  currencyField,
  dayField,
  moneyField,
  moneyNonNegField,
  nonEmptyText,
  refField,
  strEnum,
  stringArray,
  text,
  timeField,
  type CollectionSpec,
  type DeepMutable,
} from './fields';

type DocOf<S> = ExtractDocumentTypeFromTypedRxJsonSchema<DeepMutable<S>>;

const quantityMilliField = { type: 'integer', minimum: 1, maximum: 1_000_000_000, multipleOf: 1 } as const;
const paymentMethodField = strEnum(PAYMENT_METHODS);

// ---------------------------------------------------------------------------
// products

const productsLiteral = {
  title: 'products',
  description: 'Catalogue items sold at the counter.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    name: nonEmptyText(200),
    /** Stock keeping unit; '' if none. */
    sku: text(64),
    /** EAN/UPC or shop barcode; '' if none. */
    barcode: text(64),
    priceMinor: moneyNonNegField,
    currency: currencyField,
    /** Cost price, for margins. */
    costMinor: moneyNonNegField,
    taxRateBp: bpField,
    /** Free category label ('' = uncategorised). */
    category: text(80),
    favourite: { type: 'boolean' },
    /** Position on the quick-key grid (1..99). */
    quickKey: { type: 'integer', minimum: 1, maximum: 99 },
    unit: strEnum(['each', 'kg', 'g', 'l', 'm']),
    active: { type: 'boolean' },
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'name', 'sku', 'barcode', 'priceMinor', 'currency', 'taxRateBp', 'category', 'favourite', 'active'],
  indexes: [['active', 'name'], 'sku', 'barcode', ['category', 'name'], ['favourite', 'name'], 'updatedAt'],
} as const;
export type ProductDoc = DocOf<typeof productsLiteral>;
export const productsSchema: RxJsonSchema<ProductDoc> = productsLiteral;

// ---------------------------------------------------------------------------
// customers

const customersLiteral = {
  title: 'customers',
  description: 'Counter customers: contact details, credit limit and reminder preferences. Balances are derived from customerCreditEntries.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    name: nonEmptyText(200),
    /** E.164 where possible; '' if unknown. */
    phone: text(40),
    email: text(254),
    notes: text(2000),
    /** Maximum credit the customer may owe; absent = no credit allowed unless a manager overrides. */
    creditLimitMinor: moneyNonNegField,
    reminderOptOut: { type: 'boolean' },
    /** Denormalised from reminderLog for the list screen; reminderLog is the record. */
    reminderCount: countField,
    lastReminderAt: timeField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'name', 'phone', 'reminderOptOut', 'reminderCount'],
  indexes: ['name', 'phone', 'updatedAt'],
} as const;
export type CustomerDoc = DocOf<typeof customersLiteral>;
export const customersSchema: RxJsonSchema<CustomerDoc> = customersLiteral;

// ---------------------------------------------------------------------------
// sales: one document per sale with its lines and payments (data rule 4)

const saleLineLiteral = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Stable id of the line inside the sale (credit notes point at it). */
    lineId: { type: 'string', minLength: 1, maxLength: 40 },
    /** '' for an open (non-catalogue) item. */
    productId: refField,
    name: nonEmptyText(200),
    sku: text(64),
    quantityMilli: quantityMilliField,
    unitPriceMinor: moneyNonNegField,
    discountMinor: moneyNonNegField,
    taxRateBp: bpField,
    taxMinor: moneyNonNegField,
    totalMinor: moneyNonNegField,
    note: text(500),
  },
  required: ['lineId', 'productId', 'name', 'sku', 'quantityMilli', 'unitPriceMinor', 'discountMinor', 'taxRateBp', 'taxMinor', 'totalMinor'],
} as const;

const paymentLiteral = {
  type: 'object',
  additionalProperties: false,
  properties: {
    method: paymentMethodField,
    /** Amount applied to the sale (for cash: not the tendered amount). */
    amountMinor: { type: 'integer', minimum: 1, maximum: 9007199254740991, multipleOf: 1 },
    /** Cash handed over (cash only); change = tenderedMinor - amountMinor. */
    tenderedMinor: moneyNonNegField,
    /** Card authorisation, mobile-money transaction code... */
    reference: text(100),
    /** For method customer_credit: the customerCreditEntries entry written with the sale. */
    creditEntryId: refField,
  },
  required: ['method', 'amountMinor'],
} as const;

const salesLiteral = {
  title: 'sales',
  description: 'A counter sale with embedded lines and payments. Editable while draft/parked; immutable once finalised (refunds and voids are creditNotes).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    deviceId: refField,
    registerId: refField,
    cashierId: refField,
    /** '' for a walk-in customer. */
    customerId: refField,
    status: strEnum(['draft', 'parked', 'finalised']),
    currency: currencyField,
    taxMode: strEnum(TAX_MODES),
    lines: { type: 'array', maxItems: 1000, items: saleLineLiteral },
    payments: { type: 'array', maxItems: 20, items: paymentLiteral },
    subtotalMinor: moneyNonNegField,
    discountMinor: moneyNonNegField,
    taxMinor: moneyNonNegField,
    /** Cash rounding added to the line totals (may be negative). */
    roundingMinor: moneyField,
    /** Amount payable: sum of line totals + roundingMinor. */
    totalMinor: moneyNonNegField,
    changeDueMinor: moneyNonNegField,
    /** '<shop prefix>-<device code>-<seq>', assigned on finalise; '' before. */
    invoiceNumber: text(40),
    /** Position in the device's gap-free series; 0 before finalise. */
    invoiceSeq: countField,
    /** Shop-zone day of the sale (of finalisation once finalised). */
    day: dayField,
    finalisedAt: timeField,
    /** Label shown in the parked-sales list. */
    parkedLabel: text(100),
    note: text(1000),
  },
  required: [
    'id', 'createdAt', 'updatedAt', 'deviceId', 'registerId', 'cashierId', 'customerId', 'status', 'currency', 'taxMode',
    'lines', 'payments', 'subtotalMinor', 'discountMinor', 'taxMinor', 'roundingMinor', 'totalMinor', 'changeDueMinor',
    'invoiceNumber', 'invoiceSeq', 'day',
  ],
  indexes: [
    ['deviceId', 'createdAt'],
    ['day', 'createdAt'],
    ['customerId', 'createdAt'],
    ['status', 'updatedAt'],
    ['deviceId', 'invoiceSeq'],
    'invoiceNumber',
    'updatedAt',
  ],
} as const;
export type SaleDoc = DocOf<typeof salesLiteral>;
export type SaleLine = SaleDoc['lines'][number];
export type SalePayment = SaleDoc['payments'][number];
export const salesSchema: RxJsonSchema<SaleDoc> = salesLiteral;

// ---------------------------------------------------------------------------
// creditNotes: refund (some lines) or void (whole sale) of a finalised sale

const creditNoteLineLiteral = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** lineId of the sale line being credited. */
    saleLineId: { type: 'string', minLength: 1, maxLength: 40 },
    productId: refField,
    name: nonEmptyText(200),
    sku: text(64),
    quantityMilli: quantityMilliField,
    unitPriceMinor: moneyNonNegField,
    discountMinor: moneyNonNegField,
    taxRateBp: bpField,
    taxMinor: moneyNonNegField,
    totalMinor: moneyNonNegField,
    /** Goods returned to stock. */
    restock: { type: 'boolean' },
  },
  required: ['saleLineId', 'productId', 'name', 'sku', 'quantityMilli', 'unitPriceMinor', 'discountMinor', 'taxRateBp', 'taxMinor', 'totalMinor'],
} as const;

const creditNotesLiteral = {
  title: 'creditNotes',
  description: 'Refund or void of a finalised sale, numbered in the device credit-note series. Amounts are positive (what is credited back).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    kind: strEnum(['refund', 'void']),
    saleId: refField,
    /** Invoice number of the original sale, printed on the credit note. */
    saleInvoiceNumber: text(40),
    deviceId: refField,
    registerId: refField,
    cashierId: refField,
    customerId: refField,
    currency: currencyField,
    taxMode: strEnum(TAX_MODES),
    lines: { type: 'array', minItems: 1, maxItems: 1000, items: creditNoteLineLiteral },
    /** How the money went back (cash from the drawer, card reversal, customer credit...). */
    refunds: { type: 'array', maxItems: 20, items: paymentLiteral },
    subtotalMinor: moneyNonNegField,
    discountMinor: moneyNonNegField,
    taxMinor: moneyNonNegField,
    roundingMinor: moneyField,
    totalMinor: moneyNonNegField,
    reason: nonEmptyText(500),
    /** Manager who approved (over the cashier's limit); also in the audit log. */
    approvedBy: refField,
    /** '<shop prefix>-CN-<device code>-<seq>': its own gap-free series per device. */
    number: nonEmptyText(40),
    seq: { type: 'integer', minimum: 1, maximum: 9007199254740991, multipleOf: 1 },
    day: dayField,
  },
  required: [
    'id', 'createdAt', 'updatedAt', 'kind', 'saleId', 'saleInvoiceNumber', 'deviceId', 'registerId', 'cashierId', 'customerId', 'currency',
    'taxMode', 'lines', 'refunds', 'subtotalMinor', 'discountMinor', 'taxMinor', 'roundingMinor', 'totalMinor', 'reason', 'number', 'seq', 'day',
  ],
  indexes: ['saleId', ['deviceId', 'seq'], ['day', 'createdAt'], 'number', 'updatedAt'],
} as const;
export type CreditNoteDoc = DocOf<typeof creditNotesLiteral>;
export const creditNotesSchema: RxJsonSchema<CreditNoteDoc> = creditNotesLiteral;

// ---------------------------------------------------------------------------
// expenses and categories

const expensesLiteral = {
  title: 'expenses',
  description: 'Money spent by the shop. Cash expenses also write a drawerMovements cash_out entry (drawerMovementId).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    amountMinor: { type: 'integer', minimum: 1, maximum: 9007199254740991, multipleOf: 1 },
    currency: currencyField,
    /** '' = uncategorised. */
    categoryId: refField,
    description: nonEmptyText(500),
    vendor: text(200),
    reference: text(100),
    day: dayField,
    deviceId: refField,
    paidFrom: strEnum(['cash', 'other']),
    drawerMovementId: refField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'amountMinor', 'currency', 'categoryId', 'description', 'day', 'deviceId', 'paidFrom'],
  indexes: [['day', 'createdAt'], ['categoryId', 'day'], ['deviceId', 'createdAt'], 'updatedAt'],
} as const;
export type ExpenseDoc = DocOf<typeof expensesLiteral>;
export const expensesSchema: RxJsonSchema<ExpenseDoc> = expensesLiteral;

const expenseCategoriesLiteral = {
  title: 'expenseCategories',
  description: 'Expense categories with keyword rules that suggest a category from the description.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    name: nonEmptyText(80),
    color: colorField,
    /** Case-insensitive keywords; a description containing one suggests this category. */
    keywordRules: stringArray(100, 200),
    active: { type: 'boolean' },
    sortOrder: { type: 'integer', minimum: 0, maximum: 10000 },
  },
  required: ['id', 'createdAt', 'updatedAt', 'name', 'color', 'keywordRules', 'active'],
  indexes: ['name', 'updatedAt'],
} as const;
export type ExpenseCategoryDoc = DocOf<typeof expenseCategoriesLiteral>;
export const expenseCategoriesSchema: RxJsonSchema<ExpenseCategoryDoc> = expenseCategoriesLiteral;

// ---------------------------------------------------------------------------
// customerCreditEntries: append-only ledger; balance owed = sum(amountMinor)

const customerCreditEntriesLiteral = {
  title: 'customerCreditEntries',
  description:
    'Append-only customer credit ledger. amountMinor > 0 increases what the customer owes (sale on credit), < 0 decreases it (repayment). Balance = sum per customer. Corrections are reversal entries.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    customerId: refField,
    kind: strEnum(['sale', 'repayment', 'adjustment', 'reversal']),
    amountMinor: moneyField,
    currency: currencyField,
    /** The credit sale ('' if none). */
    saleId: refField,
    /** For kind reversal: the entry it cancels. */
    reversesId: refField,
    /** For repayments: how the customer paid. */
    paymentMethod: strEnum(['cash', 'card', 'mobile_money']),
    reference: text(100),
    note: text(500),
    /** Balance this device computed after the entry (printed on the receipt). Informational only: offline devices can interleave entries, the sum is the truth. */
    balanceAfterMinor: moneyField,
    day: dayField,
    deviceId: refField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'customerId', 'kind', 'amountMinor', 'currency', 'saleId', 'day', 'deviceId'],
  indexes: [['customerId', 'createdAt'], 'saleId', ['day', 'createdAt'], 'updatedAt'],
} as const;
export type CustomerCreditEntryDoc = DocOf<typeof customerCreditEntriesLiteral>;
export const customerCreditEntriesSchema: RxJsonSchema<CustomerCreditEntryDoc> = customerCreditEntriesLiteral;

const reminderLogLiteral = {
  title: 'reminderLog',
  description: 'Append-only trace of every credit reminder attempt.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    customerId: refField,
    channel: strEnum(['whatsapp', 'sms', 'email', 'call']),
    status: strEnum(['queued', 'sent', 'failed', 'skipped']),
    /** Amount owed when the reminder was sent. */
    balanceMinor: moneyField,
    currency: currencyField,
    message: text(2000),
    error: text(500),
    deviceId: refField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'customerId', 'channel', 'status', 'balanceMinor', 'currency', 'deviceId'],
  indexes: [['customerId', 'createdAt'], 'updatedAt'],
} as const;
export type ReminderLogDoc = DocOf<typeof reminderLogLiteral>;
export const reminderLogSchema: RxJsonSchema<ReminderLogDoc> = reminderLogLiteral;

// ---------------------------------------------------------------------------
// drawerMovements: append-only; cash in drawer = sum(amountMinor) per device and day

const drawerMovementsLiteral = {
  title: 'drawerMovements',
  description:
    'Append-only cash drawer ledger per device and day. amountMinor > 0 into the drawer, < 0 out. Expected cash = sum. sale_cash is written with each finalised sale paid (partly) in cash (net of change).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    deviceId: refField,
    registerId: refField,
    day: dayField,
    kind: strEnum(['opening_float', 'cash_in', 'cash_out', 'sale_cash', 'refund_cash', 'reversal']),
    amountMinor: moneyField,
    currency: currencyField,
    reason: text(500),
    saleId: refField,
    creditNoteId: refField,
    expenseId: refField,
    /** Cash credit repayment that came into the drawer. */
    creditEntryId: refField,
    reversesId: refField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'deviceId', 'registerId', 'day', 'kind', 'amountMinor', 'currency'],
  indexes: [['deviceId', 'day', 'createdAt'], ['day', 'createdAt'], 'updatedAt'],
} as const;
export type DrawerMovementDoc = DocOf<typeof drawerMovementsLiteral>;
export const drawerMovementsSchema: RxJsonSchema<DrawerMovementDoc> = drawerMovementsLiteral;

// ---------------------------------------------------------------------------
// dayCloses: Z report; immutable once written (data rule 6)

const byMethodLiteral = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cashMinor: moneyField,
    cardMinor: moneyField,
    mobileMoneyMinor: moneyField,
    customerCreditMinor: moneyField,
  },
  required: ['cashMinor', 'cardMinor', 'mobileMoneyMinor', 'customerCreditMinor'],
} as const;

const dayClosesLiteral = {
  title: 'dayCloses',
  description: 'End-of-day close (Z report) of one device/register. Once written the day is closed and immutable; corrections land in an open day.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    deviceId: refField,
    registerId: refField,
    day: dayField,
    currency: currencyField,
    /** Takings per payment method (sales minus refunds). */
    expected: byMethodLiteral,
    openingFloatMinor: moneyField,
    cashInMinor: moneyField,
    cashOutMinor: moneyField,
    /** Cash that should be in the drawer: sum of the day's drawerMovements. */
    expectedCashMinor: moneyField,
    countedCashMinor: moneyNonNegField,
    denominations: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          valueMinor: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
          count: countField,
        },
        required: ['valueMinor', 'count'],
      },
    },
    /** counted - expected (negative = short). */
    differenceMinor: moneyField,
    salesCount: countField,
    salesTotalMinor: moneyField,
    taxTotalMinor: moneyField,
    refundsCount: countField,
    refundsTotalMinor: moneyField,
    firstInvoiceSeq: countField,
    lastInvoiceSeq: countField,
    note: text(1000),
    closedBy: refField,
    closedAt: timeField,
  },
  required: [
    'id', 'createdAt', 'updatedAt', 'deviceId', 'registerId', 'day', 'currency', 'expected', 'openingFloatMinor', 'cashInMinor', 'cashOutMinor',
    'expectedCashMinor', 'countedCashMinor', 'denominations', 'differenceMinor', 'salesCount', 'salesTotalMinor', 'taxTotalMinor',
    'refundsCount', 'refundsTotalMinor', 'closedBy', 'closedAt',
  ],
  indexes: [['deviceId', 'day'], ['day', 'deviceId'], 'updatedAt'],
} as const;
export type DayCloseDoc = DocOf<typeof dayClosesLiteral>;
export const dayClosesSchema: RxJsonSchema<DayCloseDoc> = dayClosesLiteral;

// ---------------------------------------------------------------------------
// invoiceCounters: one per device (id = deviceId), written only by that device

const invoiceCountersLiteral = {
  title: 'invoiceCounters',
  description:
    'Per-device numbering state for the gap-free invoice and credit-note series. id = deviceId; only that device writes it, in the same transaction as the sale it numbers. Replicated so a restored device continues its series.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    deviceId: refField,
    lastInvoiceSeq: countField,
    lastCreditNoteSeq: countField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'deviceId', 'lastInvoiceSeq', 'lastCreditNoteSeq'],
  indexes: ['updatedAt'],
} as const;
export type InvoiceCounterDoc = DocOf<typeof invoiceCountersLiteral>;
export const invoiceCountersSchema: RxJsonSchema<InvoiceCounterDoc> = invoiceCountersLiteral;

// ---------------------------------------------------------------------------

export const counterCollections = {
  products: { schema: productsSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<ProductDoc>,
  customers: { schema: customersSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<CustomerDoc>,
  sales: { schema: salesSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<SaleDoc>,
  creditNotes: { schema: creditNotesSchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<CreditNoteDoc>,
  expenses: { schema: expensesSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<ExpenseDoc>,
  expenseCategories: { schema: expenseCategoriesSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<ExpenseCategoryDoc>,
  customerCreditEntries: { schema: customerCreditEntriesSchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<CustomerCreditEntryDoc>,
  reminderLog: { schema: reminderLogSchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<ReminderLogDoc>,
  drawerMovements: { schema: drawerMovementsSchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<DrawerMovementDoc>,
  dayCloses: { schema: dayClosesSchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<DayCloseDoc>,
  invoiceCounters: { schema: invoiceCountersSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<InvoiceCounterDoc>,
} as const;
