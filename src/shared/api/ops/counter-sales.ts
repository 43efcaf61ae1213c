// Counter, selling side: catalogue and customers at the counter, finalising sales
// (gap-free invoice numbers per device), park and resume, the sales list, refunds and
// voids as credit notes, receipts and A4 invoices. Money is integer minor units in the
// shop currency, quantities milli-units (1 item = 1000), rates basis points (16% = 1600).
//
// Ranges of quantities, prices, discounts and payments are NOT checked by zod here: the
// core checks them with the counter rules (src/shared/counter) so the cashier gets a
// sentence ("Line 2 (Bread): the quantity must be more than 0") with the line in the
// error's issue path (`lines.1.quantityMilli`).
import { z } from 'zod';
import { PAYMENT_METHODS, TAX_MODES } from '../../schema/fields';
import { defineOperation } from '../operation';
import { overrideSchema } from './auth';

const idSchema = z.string().min(1, 'Missing id.').max(40);
const optionalRef = z.string().max(40).optional();
/** A whole number (range checked by the counter rules). */
const num = z.number({ error: 'Enter a number.' });
const dayKeySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a day as YYYY-MM-DD.');

export const paymentMethodSchema = z.enum(PAYMENT_METHODS);

export const discountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount'), amountMinor: num }).strict(),
  z.object({ kind: z.literal('percent'), bp: num }).strict(),
]);
export type DiscountInput = z.infer<typeof discountSchema>;

/** One cart line as the counter screen holds it. */
export const cartLineSchema = z
  .object({
    /** Catalogue product; absent for an open item (a name and a price typed in). */
    productId: optionalRef,
    name: z.string().trim().min(1, 'Every line needs a name.').max(200),
    sku: z.string().max(64).optional(),
    quantityMilli: num,
    unitPriceMinor: num,
    taxRateBp: num,
    discount: discountSchema.optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
export type CartLine = z.infer<typeof cartLineSchema>;

export const paymentInputSchema = z
  .object({
    method: paymentMethodSchema,
    /** Cash: what the customer handed over (change is given back). Others: the amount charged. */
    amountMinor: num,
    reference: z.string().trim().max(100).optional(),
  })
  .strict();
export type PaymentInputDto = z.infer<typeof paymentInputSchema>;

// ---------------------------------------------------------------------------
// Views (plain data sent to the UI)

export const productSchema = z.object({
  id: z.string(),
  name: z.string(),
  sku: z.string(),
  barcode: z.string(),
  priceMinor: z.number().int(),
  currency: z.string(),
  costMinor: z.number().int().optional(),
  taxRateBp: z.number().int(),
  category: z.string(),
  favourite: z.boolean(),
  quickKey: z.number().int().optional(),
  unit: z.enum(['each', 'kg', 'g', 'l', 'm']),
  active: z.boolean(),
  updatedAt: z.number().int(),
});
export type Product = z.infer<typeof productSchema>;

export const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  notes: z.string(),
  creditLimitMinor: z.number().int().optional(),
  reminderOptOut: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Customer = z.infer<typeof customerSchema>;

export const saleLineSchema = z.object({
  lineId: z.string(),
  productId: z.string(),
  name: z.string(),
  sku: z.string(),
  quantityMilli: z.number().int(),
  unitPriceMinor: z.number().int(),
  /** The line's own discount plus its share of the sale discount. */
  discountMinor: z.number().int(),
  taxRateBp: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  note: z.string().optional(),
});

export const salePaymentSchema = z.object({
  method: paymentMethodSchema,
  /** Applied to the sale (cash: net of change). */
  amountMinor: z.number().int(),
  /** Cash: what was handed over. */
  tenderedMinor: z.number().int().optional(),
  reference: z.string().optional(),
  creditEntryId: z.string().optional(),
});

export const taxBreakdownSchema = z.array(z.object({ rateBp: z.number().int(), taxableMinor: z.number().int(), taxMinor: z.number().int(), totalMinor: z.number().int() }));

export const saleSchema = z.object({
  id: z.string(),
  status: z.enum(['draft', 'parked', 'finalised']),
  deviceId: z.string(),
  registerId: z.string(),
  cashierId: z.string(),
  cashierName: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  currency: z.string(),
  taxMode: z.enum(TAX_MODES),
  lines: z.array(saleLineSchema),
  payments: z.array(salePaymentSchema),
  subtotalMinor: z.number().int(),
  discountMinor: z.number().int(),
  taxMinor: z.number().int(),
  roundingMinor: z.number().int(),
  totalMinor: z.number().int(),
  changeDueMinor: z.number().int(),
  taxBreakdown: taxBreakdownSchema,
  /** '' until finalised. */
  invoiceNumber: z.string(),
  invoiceSeq: z.number().int(),
  day: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  finalisedAt: z.number().int().optional(),
  parkedLabel: z.string().optional(),
  note: z.string().optional(),
});
export type Sale = z.infer<typeof saleSchema>;

export const saleSummarySchema = z.object({
  id: z.string(),
  invoiceNumber: z.string(),
  invoiceSeq: z.number().int(),
  day: z.string(),
  createdAt: z.number().int(),
  deviceId: z.string(),
  cashierId: z.string(),
  cashierName: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  currency: z.string(),
  totalMinor: z.number().int(),
  taxMinor: z.number().int(),
  lineCount: z.number().int(),
  methods: z.array(paymentMethodSchema),
});
export type SaleSummary = z.infer<typeof saleSummarySchema>;

export const creditNoteSchema = z.object({
  id: z.string(),
  kind: z.enum(['refund', 'void']),
  number: z.string(),
  seq: z.number().int(),
  saleId: z.string(),
  saleInvoiceNumber: z.string(),
  deviceId: z.string(),
  cashierId: z.string(),
  cashierName: z.string(),
  customerId: z.string(),
  currency: z.string(),
  taxMode: z.enum(TAX_MODES),
  lines: z.array(
    z.object({
      saleLineId: z.string(),
      productId: z.string(),
      name: z.string(),
      sku: z.string(),
      quantityMilli: z.number().int(),
      unitPriceMinor: z.number().int(),
      discountMinor: z.number().int(),
      taxRateBp: z.number().int(),
      taxMinor: z.number().int(),
      totalMinor: z.number().int(),
      restock: z.boolean(),
    }),
  ),
  refunds: z.array(salePaymentSchema),
  subtotalMinor: z.number().int(),
  discountMinor: z.number().int(),
  taxMinor: z.number().int(),
  roundingMinor: z.number().int(),
  totalMinor: z.number().int(),
  taxBreakdown: taxBreakdownSchema,
  reason: z.string(),
  approvedBy: z.string(),
  day: z.string(),
  createdAt: z.number().int(),
});
export type CreditNote = z.infer<typeof creditNoteSchema>;

export const lineRefundStateSchema = z.object({
  lineIndex: z.number().int(),
  lineId: z.string(),
  soldMilli: z.number().int(),
  refundedMilli: z.number().int(),
  remainingMilli: z.number().int(),
});

export const parkedSaleSchema = z.object({
  id: z.string(),
  label: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  cashierId: z.string(),
  cashierName: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  currency: z.string(),
  lineCount: z.number().int(),
  totalMinor: z.number().int(),
});
export type ParkedSale = z.infer<typeof parkedSaleSchema>;

/** A cart as saved by park and returned by resume (line discounts as amounts: see counter.resume). */
export const cartSchema = z.object({
  saleId: z.string(),
  lines: z.array(cartLineSchema),
  customerId: z.string(),
  customerName: z.string(),
  label: z.string(),
  note: z.string(),
  totalMinor: z.number().int(),
  currency: z.string(),
});
export type Cart = z.infer<typeof cartSchema>;

const receiptAmountsSchema = z.object({
  subtotalMinor: z.number().int(),
  discountMinor: z.number().int(),
  taxMinor: z.number().int(),
  roundingMinor: z.number().int(),
  totalMinor: z.number().int(),
});

export const receiptDocumentSchema = z.object({
  kind: z.enum(['sale', 'credit_note']),
  title: z.string(),
  shop: z.object({ name: z.string(), legalName: z.string(), address: z.string(), phone: z.string(), email: z.string(), taxId: z.string() }),
  number: z.string(),
  /** For a credit note: the invoice it credits. */
  originalNumber: z.string(),
  issuedAt: z.number().int(),
  /** 'YYYY-MM-DD HH:mm' in the shop's time zone. */
  issuedAtText: z.string(),
  cashierName: z.string(),
  customerName: z.string(),
  currency: z.string(),
  taxMode: z.enum(TAX_MODES),
  lines: z.array(
    z.object({
      name: z.string(),
      quantityMilli: z.number().int(),
      unitPriceMinor: z.number().int(),
      /** Quantity x unit price, before discounts (exclusive mode: net of tax). */
      amountMinor: z.number().int(),
      discountMinor: z.number().int(),
      taxRateBp: z.number().int(),
      taxMinor: z.number().int(),
      /** What the customer pays for the line (after discounts, with tax). */
      totalMinor: z.number().int(),
    }),
  ),
  amounts: receiptAmountsSchema,
  taxBreakdown: taxBreakdownSchema,
  payments: z.array(z.object({ method: paymentMethodSchema, label: z.string(), amountMinor: z.number().int(), tenderedMinor: z.number().int().optional(), reference: z.string().optional() })),
  changeDueMinor: z.number().int(),
  reason: z.string(),
  footer: z.string(),
});
export type ReceiptDocument = z.infer<typeof receiptDocumentSchema>;

const documentRef = z
  .object({ saleId: idSchema.optional(), creditNoteId: idSchema.optional() })
  .strict()
  .refine((v) => !!v.saleId !== !!v.creditNoteId, { message: 'Give either saleId or creditNoteId.', path: ['saleId'] });

const productFields = {
  name: z.string().trim().min(1, 'Enter the product name.').max(200, 'Keep the name under 200 characters.'),
  sku: z.string().trim().max(64),
  barcode: z.string().trim().max(64),
  priceMinor: z.number().int('Enter the price in minor units (a whole number).').min(0, 'The price cannot be negative.').max(1_000_000_000_000, 'That price is too large.'),
  costMinor: z.number().int('Enter the cost in minor units (a whole number).').min(0, 'The cost cannot be negative.').max(1_000_000_000_000, 'That cost is too large.'),
  taxRateBp: z.number().int('Enter the tax rate in basis points (16% = 1600).').min(0, 'The tax rate cannot be negative.').max(10_000, 'The tax rate cannot be over 100%.'),
  category: z.string().trim().max(80),
  favourite: z.boolean(),
  quickKey: z.number().int().min(1, 'Quick keys are 1 to 99.').max(99, 'Quick keys are 1 to 99.').nullable(),
  unit: z.enum(['each', 'kg', 'g', 'l', 'm']),
};

const customerFields = {
  name: z.string().trim().min(1, "Enter the customer's name.").max(200),
  phone: z.string().trim().max(40),
  email: z.union([z.literal(''), z.email('Enter a valid e-mail address or leave it empty.').max(254)]),
  notes: z.string().max(2000),
  creditLimitMinor: z.number().int('Enter the limit in minor units.').min(0, 'A credit limit cannot be negative.').max(1_000_000_000_000).nullable(),
  reminderOptOut: z.boolean(),
};

const searchLimit = z.number().int().min(1).max(50).default(20);

export const counterSalesOps = {
  // ------------------------------------------------------------------ catalogue
  'counter.products': defineOperation({
    summary: 'Search the catalogue as you type (name, SKU, barcode, category), best matches first, at most 50.',
    kind: 'query',
    permission: 'counter.sell',
    input: z
      .object({ query: z.string().max(100).default(''), category: z.string().max(80).optional(), includeInactive: z.boolean().default(false), limit: searchLimit })
      .strict(),
    output: z.object({ items: z.array(productSchema) }),
  }),
  'counter.productByBarcode': defineOperation({
    summary: 'The active product with this barcode (or SKU), for a scanner; NOT_FOUND when there is none.',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({ barcode: z.string().trim().min(1, 'Scan or type a barcode.').max(64) }).strict(),
    output: productSchema,
  }),
  'counter.quickKeys': defineOperation({
    summary: 'Favourite products for the quick-key grid, by key position then name.',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({}).strict(),
    output: z.array(productSchema),
  }),
  'counter.createProduct': defineOperation({
    summary: 'Adds a product to the catalogue (price in the shop currency).',
    kind: 'command',
    permission: 'catalog.manage',
    input: z
      .object({
        id: optionalRef,
        name: productFields.name,
        sku: productFields.sku.default(''),
        barcode: productFields.barcode.default(''),
        priceMinor: productFields.priceMinor,
        costMinor: productFields.costMinor.optional(),
        taxRateBp: productFields.taxRateBp.optional(),
        category: productFields.category.default(''),
        favourite: productFields.favourite.default(false),
        quickKey: productFields.quickKey.optional(),
        unit: productFields.unit.default('each'),
      })
      .strict(),
    output: productSchema,
  }),
  'counter.updateProduct': defineOperation({
    summary: 'Changes a product (only the fields given). quickKey null clears the key; active true re-activates.',
    kind: 'command',
    permission: 'catalog.manage',
    input: z
      .object({
        productId: idSchema,
        name: productFields.name.optional(),
        sku: productFields.sku.optional(),
        barcode: productFields.barcode.optional(),
        priceMinor: productFields.priceMinor.optional(),
        costMinor: productFields.costMinor.optional(),
        taxRateBp: productFields.taxRateBp.optional(),
        category: productFields.category.optional(),
        favourite: productFields.favourite.optional(),
        quickKey: productFields.quickKey.optional(),
        unit: productFields.unit.optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    output: productSchema,
  }),
  'counter.deactivateProduct': defineOperation({
    summary: 'Takes a product off sale (kept for history; updateProduct with active true brings it back).',
    kind: 'command',
    permission: 'catalog.manage',
    input: z.object({ productId: idSchema }).strict(),
    output: productSchema,
  }),

  // ------------------------------------------------------------------ customers
  'counter.customers': defineOperation({
    summary: 'Search customers by name or phone as you type, at most 50.',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({ query: z.string().max(100).default(''), limit: searchLimit }).strict(),
    output: z.object({ items: z.array(customerSchema) }),
  }),
  'counter.createCustomer': defineOperation({
    summary: 'Adds a customer at the counter. Only a manager may set a credit limit.',
    kind: 'command',
    permission: 'counter.sell',
    input: z
      .object({
        id: optionalRef,
        name: customerFields.name,
        phone: customerFields.phone.default(''),
        email: customerFields.email.default(''),
        notes: customerFields.notes.default(''),
        creditLimitMinor: customerFields.creditLimitMinor.optional(),
        reminderOptOut: customerFields.reminderOptOut.default(false),
      })
      .strict(),
    output: customerSchema,
  }),
  'counter.updateCustomer': defineOperation({
    summary: 'Changes a customer (only the fields given; creditLimitMinor null removes the limit). Only a manager may change a credit limit.',
    kind: 'command',
    permission: 'counter.sell',
    input: z
      .object({
        customerId: idSchema,
        name: customerFields.name.optional(),
        phone: customerFields.phone.optional(),
        email: customerFields.email.optional(),
        notes: customerFields.notes.optional(),
        creditLimitMinor: customerFields.creditLimitMinor.optional(),
        reminderOptOut: customerFields.reminderOptOut.optional(),
      })
      .strict(),
    output: customerSchema,
  }),

  // ------------------------------------------------------------------ selling
  'counter.finalise': defineOperation({
    summary:
      "Finalises a sale: recomputes the totals, checks payments, assigns this device's next invoice number and saves the sale, its credit-ledger and drawer entries in one transaction. Idempotent per saleId.",
    kind: 'command',
    permission: 'counter.sell',
    input: z
      .object({
        /** Made by the client (UUIDv7) when the cart starts; retrying with the same id returns the saved sale. */
        saleId: idSchema,
        lines: z.array(cartLineSchema).min(1, 'Add at least one item before finalising.'),
        saleDiscount: discountSchema.optional(),
        payments: z.array(paymentInputSchema),
        customerId: optionalRef,
        note: z.string().max(1000).optional(),
        /** A manager's sign-off: a discount over the shop limit, a changed catalogue price, credit over the limit. */
        override: overrideSchema.optional(),
      })
      .strict(),
    output: z.object({ sale: saleSchema, alreadyFinalised: z.boolean() }),
  }),
  'counter.park': defineOperation({
    summary: 'Saves the cart as a parked sale (no number) on this device; parking the same saleId again replaces it.',
    kind: 'command',
    permission: 'counter.sell',
    input: z
      .object({
        saleId: idSchema,
        lines: z.array(cartLineSchema).min(1, 'There is nothing to park: the cart is empty.'),
        saleDiscount: discountSchema.optional(),
        customerId: optionalRef,
        label: z.string().trim().max(100).default(''),
        note: z.string().max(1000).optional(),
      })
      .strict(),
    output: parkedSaleSchema,
  }),
  'counter.parked': defineOperation({
    summary: 'Parked sales of this device, oldest first.',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({}).strict(),
    output: z.array(parkedSaleSchema),
  }),
  'counter.resume': defineOperation({
    summary:
      'Returns a parked cart. By default removes it from the parked list; with keep true it stays parked until finalise (same saleId) replaces it or it is discarded.',
    kind: 'command',
    permission: 'counter.sell',
    input: z.object({ saleId: idSchema, keep: z.boolean().default(false) }).strict(),
    output: cartSchema,
  }),
  'counter.discardParked': defineOperation({
    summary: 'Deletes a parked sale.',
    kind: 'command',
    permission: 'counter.sell',
    input: z.object({ saleId: idSchema }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'counter.sales': defineOperation({
    summary:
      'Finalised sales, newest first, by day and/or device (neither: this device), with cursor pagination. deviceId "all" with a day lists every register.',
    kind: 'query',
    permission: 'counter.sell',
    input: z
      .object({
        day: dayKeySchema.optional(),
        deviceId: z.string().max(40).optional(),
        cursor: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: z.object({ items: z.array(saleSummarySchema), nextCursor: z.string().nullable() }),
  }),
  'counter.sale': defineOperation({
    summary: 'One sale with its credit notes and what each line can still be refunded.',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({ saleId: idSchema }).strict(),
    output: z.object({
      sale: saleSchema,
      creditNotes: z.array(creditNoteSchema),
      lines: z.array(lineRefundStateSchema),
      refundedMinor: z.number().int(),
      fullyRefunded: z.boolean(),
    }),
  }),
  'counter.saleByNumber': defineOperation({
    summary: 'Finds a finalised sale by its invoice number (for a refund from a printed receipt).',
    kind: 'query',
    permission: 'counter.sell',
    input: z.object({ invoiceNumber: z.string().trim().min(1, 'Enter the invoice number.').max(40) }).strict(),
    output: saleSchema,
  }),

  // ------------------------------------------------------------------ refunds
  'counter.refund': defineOperation({
    summary:
      "Refunds lines of a finalised sale (or 'all': a void) as a credit note in this device's credit-note series, with the drawer or credit-ledger entry. Idempotent per creditNoteId.",
    kind: 'command',
    permission: 'counter.refund',
    input: z
      .object({
        /** Made by the client so a retry returns the same note; made by the core when absent. */
        creditNoteId: optionalRef,
        saleId: idSchema,
        lines: z.union([z.literal('all'), z.array(z.object({ lineIndex: num, quantityMilli: num }).strict()).min(1, 'Choose at least one line to refund.')]),
        reason: z.string().trim().min(3, 'Say why (at least 3 characters).').max(500),
        refundMethod: paymentMethodSchema,
        reference: z.string().trim().max(100).optional(),
        restock: z.boolean().default(true),
        override: overrideSchema.optional(),
      })
      .strict(),
    output: z.object({ creditNote: creditNoteSchema, alreadyRecorded: z.boolean() }),
  }),

  // ------------------------------------------------------------------ documents
  'counter.receipt': defineOperation({
    summary: 'Receipt of a sale or credit note for a 58 mm (32 columns) or 80 mm (48 columns) printer: text lines and a structured copy.',
    kind: 'query',
    permission: 'counter.sell',
    input: z
      .object({ saleId: idSchema.optional(), creditNoteId: idSchema.optional(), width: z.union([z.literal(58), z.literal(80)]).default(80) })
      .strict()
      .refine((v) => !!v.saleId !== !!v.creditNoteId, { message: 'Give either saleId or creditNoteId.', path: ['saleId'] }),
    output: z.object({ columns: z.number().int(), text: z.string(), lines: z.array(z.string()), document: receiptDocumentSchema }),
  }),
  'counter.invoicePdf': defineOperation({
    summary: "A4 invoice (or credit note) PDF with the shop's branding, base64-encoded.",
    kind: 'query',
    permission: 'counter.sell',
    input: documentRef,
    output: z.object({ fileName: z.string(), mimeType: z.literal('application/pdf'), byteLength: z.number().int(), base64: z.string() }),
  }),
} as const;
