import { z } from 'zod';
import { defineOperation } from '../operation';

const imageDataUrl = z
  .string()
  .max(1_500_000, 'Images must be under about 1 MB.')
  .regex(/^data:image\/(png|jpeg|svg\+xml|webp);base64,/, 'Use a PNG, JPEG, SVG or WebP image.');
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #1f6f78.');

export const shopProfileSchema = z.object({
  shopName: z.string(),
  legalName: z.string(),
  address: z.string(),
  phone: z.string(),
  email: z.string(),
  taxId: z.string(),
  currency: z.string(),
  timezone: z.string(),
  locale: z.string(),
  invoicePrefix: z.string(),
  taxMode: z.enum(['inclusive', 'exclusive']),
  defaultTaxRateBp: z.number().int(),
  cashRoundingMinor: z.number().int(),
  logoDataUrl: z.string().nullable(),
  signatureDataUrl: z.string().nullable(),
  watermarkDataUrl: z.string().nullable(),
  primaryColour: z.string().nullable(),
  secondaryColour: z.string().nullable(),
  receiptFooter: z.string(),
  idleLockMinutes: z.number().int(),
  discountLimitBp: z.number().int(),
  refundLimitMinor: z.number().int().nullable(),
  updatedAt: z.number().int(),
});
export type ShopProfile = z.infer<typeof shopProfileSchema>;

export const deviceInfoSchema = z.object({
  deviceId: z.string(),
  code: z.string().nullable(),
  name: z.string().nullable(),
});

/** Every field optional: only what is sent changes. `null` clears an image or colour. */
export const shopProfileUpdateSchema = z
  .object({
    shopName: z.string().trim().min(1, 'Enter the shop name.').max(200),
    legalName: z.string().trim().max(200),
    address: z.string().trim().max(1000),
    phone: z.string().trim().max(40),
    email: z.union([z.literal(''), z.email('Enter a valid e-mail address or leave it empty.').max(254)]),
    taxId: z.string().trim().max(60),
    currency: z.string().regex(/^[A-Z]{3}$/, 'Use a 3-letter currency code such as USD or KES.'),
    timezone: z.string().min(1).max(64),
    locale: z.string().min(2).max(35),
    invoicePrefix: z.string().regex(/^[A-Z0-9]{1,8}$/, 'Use 1 to 8 capital letters or digits.'),
    taxMode: z.enum(['inclusive', 'exclusive']),
    defaultTaxRateBp: z.number().int('Whole basis points only (16% = 1600).').min(0).max(10000, 'At most 100%.'),
    cashRoundingMinor: z.number().int().min(0).max(100000),
    logoDataUrl: imageDataUrl.nullable(),
    signatureDataUrl: imageDataUrl.nullable(),
    watermarkDataUrl: imageDataUrl.nullable(),
    primaryColour: colour.nullable(),
    secondaryColour: colour.nullable(),
    receiptFooter: z.string().max(1000),
    idleLockMinutes: z.number().int().min(0).max(1440, 'At most 24 hours.'),
    discountLimitBp: z.number().int().min(0).max(10000),
    refundLimitMinor: z.number().int().min(0).nullable(),
  })
  .partial()
  .strict();

export const settingsOps = {
  'settings.shopProfile': defineOperation({
    summary: "The shop's profile: name, branding, currency, time zone, invoicing, tax and limits.",
    kind: 'query',
    permission: 'session',
    input: z.object({}).strict(),
    output: shopProfileSchema.nullable(),
  }),
  'settings.updateShopProfile': defineOperation({
    summary: "Changes the shop's profile (only the fields sent).",
    kind: 'command',
    permission: 'settings.manage',
    input: shopProfileUpdateSchema,
    output: shopProfileSchema,
  }),
  'settings.device': defineOperation({
    summary: "This device's id, invoice-series code and name.",
    kind: 'query',
    permission: 'session',
    input: z.object({}).strict(),
    output: deviceInfoSchema,
  }),
  'settings.updateDevice': defineOperation({
    summary: "Renames this device or changes its invoice-series code (before it is paired; pairing assigns the code).",
    kind: 'command',
    permission: 'settings.manage',
    input: z
      .object({
        name: z.string().trim().min(1).max(100).optional(),
        code: z.string().regex(/^[A-Z0-9]{1,4}$/, 'Use 1 to 4 capital letters or digits.').optional(),
      })
      .strict(),
    output: deviceInfoSchema,
  }),
} as const;
