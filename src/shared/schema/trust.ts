// Trust layer (seeds 002 phases 1 and 7, 004 audit/security): audit log (append-only,
// hash-chained per device), locks, shop profile (singleton), devices; and the LOCAL-only
// collections backups and syncConflicts, which never replicate.
// Conventions: see fields.ts (camelCase, `id` UUIDv7 unless stated, epoch-ms times,
// indexed optional references use '' for none, append-only = never updated).
import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import {
  TAX_MODES,
  baseProps,
  bpField,
  colorField,
  countField,
  currencyField,
  idField,
  jsonObject,
  moneyNonNegField,
  nonEmptyText,
  refField,
  sha256Field,
  strEnum,
  stringArray,
  text,
  timeField,
  type CollectionSpec,
  type DeepMutable,
} from './fields';

type DocOf<S> = ExtractDocumentTypeFromTypedRxJsonSchema<DeepMutable<S>>;

// ---------------------------------------------------------------------------

const auditLogLiteral = {
  title: 'auditLog',
  description:
    'Append-only audit trail, hash-chained per device: hash = H(prevHash + canonical entry), seq = 1, 2, 3... per device with no gaps. ' +
    'Written in the same transaction as the change it describes. The chain format is owned by the audit module.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    deviceId: refField,
    /** Position in this device's chain, from 1. */
    seq: { type: 'integer', minimum: 1, maximum: 9007199254740991, multipleOf: 1 },
    /** When the audited action happened (normally = createdAt). */
    at: timeField,
    /** '' for the system. */
    userId: refField,
    appVersion: text(40),
    /** e.g. 'sale.finalise', 'creditNote.create', 'day.close', 'settings.update'. */
    action: nonEmptyText(100),
    /** Collection name or another resource kind ('day', 'backup'...). */
    resourceType: nonEmptyText(60),
    resourceId: text(100),
    /** Before/after copies of the changed fields. */
    diff: {
      type: 'object',
      additionalProperties: false,
      properties: {
        before: jsonObject,
        after: jsonObject,
      },
    },
    reason: text(1000),
    /** Manager who authorised an override (closed day, discount limit...). */
    overrideBy: refField,
    /** hash of the previous entry of this device ('' for seq 1). */
    prevHash: text(128),
    hash: nonEmptyText(128),
  },
  required: ['id', 'createdAt', 'updatedAt', 'deviceId', 'seq', 'at', 'userId', 'appVersion', 'action', 'resourceType', 'resourceId', 'diff', 'prevHash', 'hash'],
  indexes: [['deviceId', 'seq'], ['resourceType', 'resourceId', 'at'], 'at', ['userId', 'at'], 'updatedAt'],
} as const;
export type AuditLogDoc = DocOf<typeof auditLogLiteral>;
export const auditLogSchema: RxJsonSchema<AuditLogDoc> = auditLogLiteral;

// ---------------------------------------------------------------------------

const locksLiteral = {
  title: 'locks',
  description: 'Advisory locks: a closed day (kind day, resource = deviceId/day) or a review in progress (kind review, resource = order group id).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    kind: strEnum(['day', 'review', 'record']),
    resource: nonEmptyText(200),
    /** User holding the lock. */
    holder: refField,
    holderDeviceId: refField,
    since: timeField,
    /** Lock is void after this instant (TIME_MAX for permanent locks such as closed days). */
    expiresAt: timeField,
    reason: text(500),
  },
  required: ['id', 'createdAt', 'updatedAt', 'kind', 'resource', 'holder', 'holderDeviceId', 'since', 'expiresAt'],
  indexes: [['kind', 'resource'], 'expiresAt', 'updatedAt'],
} as const;
export type LockDoc = DocOf<typeof locksLiteral>;
export const locksSchema: RxJsonSchema<LockDoc> = locksLiteral;

// ---------------------------------------------------------------------------

/** The shop profile is a singleton with this id. */
export const SHOP_PROFILE_ID = 'shop';

const imageDataUrl = { type: 'string', maxLength: 1_500_000, pattern: '^data:image/(png|jpeg|svg\\+xml|webp);base64,' } as const;

const shopProfileLiteral = {
  title: 'shopProfile',
  description: `Shop settings, one document with id '${SHOP_PROFILE_ID}': identity, branding, currency, time zone, invoicing, tax, rounding and limits.`,
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    /** Made on the device at first-run setup; invitation tokens carry it so a token for another shop is recognised. */
    shopId: text(40),
    shopName: nonEmptyText(200),
    legalName: text(200),
    address: text(1000),
    phone: text(40),
    email: text(254),
    /** Tax registration number printed on invoices. */
    taxId: text(60),
    currency: currencyField,
    /** IANA zone, e.g. 'Africa/Nairobi': defines day keys. */
    timezone: nonEmptyText(64),
    /** BCP 47 tag for formatting, e.g. 'en-KE'. */
    locale: nonEmptyText(35),
    /** Printed before the device code in invoice numbers. */
    invoicePrefix: { type: 'string', minLength: 1, maxLength: 12, pattern: '^[A-Z0-9]+$' },
    taxMode: strEnum(TAX_MODES),
    defaultTaxRateBp: bpField,
    /** Cash rounding increment in minor units (0 or 1 = none, 5 = to 0.05). */
    cashRoundingMinor: { type: 'integer', minimum: 0, maximum: 100000 },
    logoDataUrl: imageDataUrl,
    signatureDataUrl: imageDataUrl,
    watermarkDataUrl: imageDataUrl,
    primaryColour: colorField,
    secondaryColour: colorField,
    receiptFooter: text(1000),
    /** Lock the screen after this many idle minutes (0 = never). */
    idleLockMinutes: { type: 'integer', minimum: 0, maximum: 1440 },
    /** Largest discount a cashier may give without a manager, in basis points of the line. */
    discountLimitBp: bpField,
    /** Largest refund a cashier may give without a manager. */
    refundLimitMinor: moneyNonNegField,
    updatedBy: refField,
  },
  required: [
    'id', 'createdAt', 'updatedAt', 'shopName', 'currency', 'timezone', 'locale', 'invoicePrefix', 'taxMode', 'defaultTaxRateBp', 'cashRoundingMinor',
    'idleLockMinutes', 'discountLimitBp',
  ],
  indexes: ['updatedAt'],
} as const;
export type ShopProfileDoc = DocOf<typeof shopProfileLiteral>;
export const shopProfileSchema: RxJsonSchema<ShopProfileDoc> = shopProfileLiteral;

// ---------------------------------------------------------------------------

const devicesLiteral = {
  title: 'devices',
  description: 'Paired devices. id = the deviceId the device made for itself at first start (UUIDv7); code is its short label in invoice numbers.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    /** Unique short code in invoice numbers, e.g. 'A1'. */
    code: { type: 'string', minLength: 1, maxLength: 8, pattern: '^[A-Z0-9]+$' },
    name: nonEmptyText(100),
    kind: strEnum(['desktop', 'browser_host', 'cli']),
    platform: text(40),
    appVersion: text(40),
    /** Default register (till) of this device. */
    registerId: refField,
    pairedAt: timeField,
    lastSeenAt: timeField,
    revokedAt: timeField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'code', 'name', 'kind'],
  indexes: ['code', 'updatedAt'],
} as const;
export type DeviceDoc = DocOf<typeof devicesLiteral>;
export const devicesSchema: RxJsonSchema<DeviceDoc> = devicesLiteral;

// ---------------------------------------------------------------------------
// Local-only collections (never replicated)

const backupsLiteral = {
  title: 'backups',
  description: 'LOCAL ONLY. Backup files of this device store, for retention and restore.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    path: nonEmptyText(1024),
    sizeBytes: countField,
    sha256: sha256Field,
    kind: strEnum(['hourly', 'daily', 'weekly', 'manual', 'pre-restore']),
    /** Exempt from retention pruning. */
    keep: { type: 'boolean' },
    appVersion: text(40),
    verifiedAt: timeField,
    note: text(500),
  },
  required: ['id', 'createdAt', 'updatedAt', 'path', 'sizeBytes', 'sha256', 'kind', 'keep'],
  indexes: [['kind', 'createdAt'], 'createdAt', 'updatedAt'],
} as const;
export type BackupDoc = DocOf<typeof backupsLiteral>;
export const backupsSchema: RxJsonSchema<BackupDoc> = backupsLiteral;

const syncConflictsLiteral = {
  title: 'syncConflicts',
  description: 'LOCAL ONLY. Changes sync could not merge safely, or that the server refused: both versions are kept here until a person resolves them.',
  /** v1 added `reason`. */
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    collectionName: nonEmptyText(60),
    docId: idField,
    localDoc: jsonObject,
    serverDoc: jsonObject,
    /** The version both sides started from, when known. */
    baseDoc: jsonObject,
    /** Fields that conflict. */
    fields: stringArray(100, 200),
    /** Why the local version did not land, when the server said (e.g. the day is closed); absent for a plain concurrent edit. */
    reason: text(500),
    detectedAt: timeField,
    resolved: { type: 'boolean' },
    resolution: strEnum(['keep_local', 'keep_server', 'merged', 'discarded']),
    resolvedAt: timeField,
    resolvedBy: refField,
    count: countField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'collectionName', 'docId', 'localDoc', 'serverDoc', 'fields', 'detectedAt', 'resolved'],
  indexes: [['resolved', 'detectedAt'], ['collectionName', 'docId'], 'updatedAt'],
} as const;
export type SyncConflictDoc = DocOf<typeof syncConflictsLiteral>;
export const syncConflictsSchema: RxJsonSchema<SyncConflictDoc> = syncConflictsLiteral;

// ---------------------------------------------------------------------------

export const trustCollections = {
  auditLog: { schema: auditLogSchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<AuditLogDoc>,
  locks: { schema: locksSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<LockDoc>,
  shopProfile: { schema: shopProfileSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<ShopProfileDoc>,
  devices: { schema: devicesSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<DeviceDoc>,
} as const;

export const trustLocalCollections = {
  backups: { schema: backupsSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<BackupDoc>,
  syncConflicts: {
    schema: syncConflictsSchema,
    // v0 -> v1: `reason` is optional, old conflicts stay as they were.
    migrationStrategies: { 1: (doc: SyncConflictDoc) => doc },
    kind: 'mutable',
  } satisfies CollectionSpec<SyncConflictDoc>,
} as const;
