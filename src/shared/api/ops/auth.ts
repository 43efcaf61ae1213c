import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../auth/permissions';
import { defineOperation } from '../operation';

/** A PIN is 4 to 12 digits; a password (for admins who prefer one) 8 to 128 characters. */
export const pinSchema = z
  .string()
  .min(4, 'A PIN has at least 4 digits.')
  .max(128, 'Keep it under 128 characters.')
  .refine((v) => /^\d{4,12}$/.test(v) || v.length >= 8, 'Use a PIN of 4 to 12 digits, or a password of at least 8 characters.');

export const sessionSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
});
export type SessionInfo = z.infer<typeof sessionSchema>;

export const authStateSchema = z.object({
  /** No owner yet: the first-run setup must run. */
  setupNeeded: z.boolean(),
  shopName: z.string().nullable(),
  session: sessionSchema.nullable(),
  /** Minutes of inactivity before the core locks the session (0 = never). */
  idleLockMinutes: z.number().int().nonnegative(),
});
export type AuthState = z.infer<typeof authStateSchema>;

/**
 * A manager's approval, carried by every operation that may need one as
 * `override: overrideSchema.optional()`: a discount over the limit, a changed price,
 * credit over the limit, a refund over the limit, cash in or out, a correction of a
 * closed day. Without `managerId`, the signed-in person approves (they must be a
 * manager); with it, that manager's PIN is checked. The core verifies it
 * (src/main/locks/override.ts) and the audit entry names both people and the reason.
 */
export const overrideSchema = z
  .object({
    reason: z.string().trim().min(3, 'Say why (at least 3 characters).').max(1000),
    managerId: z.string().min(1).max(40).optional(),
    pin: z.string().min(1).max(128).optional(),
  })
  .strict();
export type OverrideInput = z.infer<typeof overrideSchema>;

/** A manager signing off at someone else's screen: who, their PIN, and why (what the approval dialog returns). */
export const pinSignOffSchema = overrideSchema.required({ managerId: true, pin: true });
export type PinSignOff = z.infer<typeof pinSignOffSchema>;

export const authOps = {
  'auth.state': defineOperation({
    summary: 'Whether first-run setup is needed, and who is signed in on this window.',
    kind: 'query',
    permission: 'public',
    input: z.object({}).strict(),
    output: authStateSchema,
  }),
  'auth.setup': defineOperation({
    summary: "First run of a fresh store: the shop's profile and the owner's account.",
    kind: 'command',
    permission: 'public',
    input: z
      .object({
        shopName: z.string().trim().min(1, 'Enter the shop name.').max(200),
        currency: z.string().regex(/^[A-Z]{3}$/, 'Use a 3-letter currency code such as USD or KES.'),
        timezone: z.string().min(1).max(64),
        locale: z.string().min(2).max(35).default('en'),
        invoicePrefix: z.string().regex(/^[A-Z0-9]{1,8}$/, 'Use 1 to 8 capital letters or digits.'),
        deviceCode: z.string().regex(/^[A-Z0-9]{1,4}$/, 'Use 1 to 4 capital letters or digits.').default('A1'),
        deviceName: z.string().trim().min(1).max(100).default('Counter 1'),
        ownerName: z.string().trim().min(1, "Enter the owner's name.").max(200),
        ownerEmail: z.union([z.literal(''), z.email('Enter a valid e-mail address or leave it empty.')]).default(''),
        pin: pinSchema,
      })
      .strict(),
    output: sessionSchema,
  }),
  'auth.signInChoices': defineOperation({
    summary: 'The people who can sign in on this device (names and roles only).',
    kind: 'query',
    permission: 'public',
    input: z.object({}).strict(),
    output: z.array(z.object({ userId: z.string(), name: z.string(), role: z.enum(ROLES) })),
  }),
  'auth.signIn': defineOperation({
    summary: 'Signs a person in on this window with their PIN or password, offline.',
    kind: 'command',
    permission: 'public',
    input: z.object({ userId: z.string().min(1).max(40), pin: z.string().min(1, 'Enter your PIN.').max(128) }).strict(),
    output: sessionSchema,
  }),
  'auth.signOut': defineOperation({
    summary: 'Signs the person out of this window.',
    kind: 'command',
    permission: 'public',
    input: z.object({}).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'auth.changePin': defineOperation({
    summary: 'Changes your own PIN or password.',
    kind: 'command',
    permission: 'session',
    input: z.object({ currentPin: z.string().min(1).max(128), newPin: pinSchema }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'auth.checkOverride': defineOperation({
    summary: "Checks a manager's PIN for an override before the action is sent (the action checks it again).",
    kind: 'query',
    permission: 'session',
    input: pinSignOffSchema,
    output: z.object({ managerId: z.string(), managerName: z.string() }),
  }),
} as const;
