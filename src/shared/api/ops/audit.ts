// The audit log (data rule 7): who changed what, when, and proof that nobody edited
// the record afterwards (a hash chain per device).
import { z } from 'zod';
import { defineOperation } from '../operation';

export const AUDIT_PAGE_MAX = 200;

/** A person as the audit screen shows them ('' is the system). */
export const auditPersonSchema = z.object({ id: z.string(), name: z.string() });

export const auditListItemSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  seq: z.number().int(),
  at: z.number().int(),
  user: auditPersonSchema,
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
  reason: z.string(),
  /** The manager who authorised an override; null when none. */
  overrideBy: auditPersonSchema.nullable(),
  /** Top-level fields the entry changed. */
  fields: z.array(z.string()),
  /** created: no before; deleted: no after. */
  change: z.enum(['created', 'changed', 'deleted']),
});
export type AuditListItem = z.infer<typeof auditListItemSchema>;

export const auditFieldChangeSchema = z.object({
  field: z.string(),
  /** Absent: the field did not exist on that side. Secrets (hashes of PINs and tokens) are shown as '(hidden)'. */
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** Names of the people a user-id field points at ('createdBy', 'holder'...), when known. */
  beforeName: z.string().optional(),
  afterName: z.string().optional(),
});
export type AuditFieldChange = z.infer<typeof auditFieldChangeSchema>;

export const auditEntrySchema = auditListItemSchema.extend({
  appVersion: z.string(),
  device: z.object({ id: z.string(), name: z.string(), thisDevice: z.boolean() }),
  diff: z.array(auditFieldChangeSchema),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditChainBreakSchema = z.object({ seq: z.number().int(), id: z.string(), problem: z.string() });

export const auditDeviceChainSchema = z.object({
  deviceId: z.string(),
  deviceName: z.string(),
  thisDevice: z.boolean(),
  entries: z.number().int().nonnegative(),
  verified: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  ok: z.boolean(),
  firstBreak: auditChainBreakSchema.nullable(),
});
export type AuditDeviceChain = z.infer<typeof auditDeviceChainSchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  devices: z.array(auditDeviceChainSchema),
  checkedAt: z.number().int(),
  durationMs: z.number().nonnegative(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifySchema>;

const optionalId = z.string().trim().max(100).optional();

export const auditListInputSchema = z
  .object({
    /** Collection name ('sales', 'locks'...) or another resource kind. */
    resourceType: z.string().trim().max(60).optional(),
    resourceId: optionalId,
    /** User id; '' for the system. */
    userId: z.string().max(40).optional(),
    /** Exact action ('sale.finalise'), or a prefix ending in '.' ('sale.'). */
    action: z.string().trim().max(100).optional(),
    /** Epoch ms, inclusive. */
    from: z.number().int().nonnegative().optional(),
    /** Epoch ms, exclusive. */
    to: z.number().int().nonnegative().optional(),
    /** nextCursor of the previous page. */
    cursor: z.string().max(2000).optional(),
    limit: z.number().int().min(1).max(AUDIT_PAGE_MAX, `At most ${AUDIT_PAGE_MAX} entries per page.`).default(50),
  })
  .strict()
  .refine((v) => v.from === undefined || v.to === undefined || v.from < v.to, { message: 'The start of the date range must be before its end.', path: ['from'] });

export const auditOps = {
  'audit.list': defineOperation({
    summary: 'Audit entries, newest first, filtered by resource, user, action and time; pages of at most 200 with a cursor.',
    kind: 'query',
    permission: 'audit.read',
    input: auditListInputSchema,
    output: z.object({
      entries: z.array(auditListItemSchema),
      /** Pass as `cursor` for the next (older) page; null at the end of the log. */
      nextCursor: z.string().nullable(),
    }),
  }),
  'audit.entry': defineOperation({
    summary: 'One audit entry with its before/after diff.',
    kind: 'query',
    permission: 'audit.read',
    input: z.object({ id: z.string().min(1).max(40) }).strict(),
    output: auditEntrySchema,
  }),
  'audit.filterOptions': defineOperation({
    summary: 'Choices for the audit filters: resource types and the people who appear in the log.',
    kind: 'query',
    permission: 'audit.read',
    input: z.object({}).strict(),
    output: z.object({ resourceTypes: z.array(z.string()), users: z.array(auditPersonSchema) }),
  }),
  'audit.verify': defineOperation({
    summary: "Checks every device's hash chain in this store: entries, last seq, and the first broken entry if any.",
    kind: 'query',
    permission: 'audit.read',
    input: z.object({}).strict(),
    output: auditVerifySchema,
  }),
} as const;
