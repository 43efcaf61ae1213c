// Building blocks shared by every collection schema. Conventions (all domains):
//
// - Collection and field names are camelCase. Every document has `id` (primary key,
//   string <= 40 chars: a UUIDv7 made on the device, except singletons and per-device
//   docs, whose ids are documented on the collection), `createdAt` and `updatedAt`
//   (epoch ms integers). `updatedAt` is indexed everywhere: sync and "recently changed"
//   screens walk it. Where it means something: `deviceId` (the device that wrote the
//   doc) and `createdBy` (user id).
// - Money: integer minor units in fields ending in `Minor`, never floats. The
//   currency is a sibling `currency` field on the document (lines and payments
//   embedded in a document share the document's currency).
// - Quantities are integer milli-units (`quantityMilli`, 1 item = 1000); rates are
//   integer basis points (`...Bp`, 16% = 1600).
// - Calendar days are 'YYYY-MM-DD' keys in the shop's time zone (`day`).
// - Optional values are left out, never null. Indexed fields are always required
//   (RxDB's rule), so an indexed reference that may be empty uses '' for "none"
//   (e.g. a walk-in sale has customerId '').
// - Every indexed string has maxLength, every indexed number multipleOf 1 and finite
//   minimum/maximum (RxDB builds fixed-width index strings from them).
// - Deletes are RxDB tombstones (`_deleted`), so they replicate (data rule 8).
//   Collections of kind 'append-only' are never updated or deleted: corrections are
//   new entries (reversals), enforced by the core's single write path.
// - All schemas start at version 0 with an empty migrationStrategies object; bump
//   `version` and add `migrationStrategies[n]` together when a schema changes.
import type { MigrationStrategies, RxJsonSchema } from 'rxdb';

export type CollectionKind = 'append-only' | 'mutable';

export interface CollectionSpec<Doc> {
  readonly schema: RxJsonSchema<Doc>;
  readonly migrationStrategies: MigrationStrategies;
  /** 'append-only': insert only, never updated or deleted, never conflicts in sync. */
  readonly kind: CollectionKind;
}

/** Same as rxdb's internal DeepMutable: turns an `as const` schema literal into the shape ExtractDocumentTypeFromTypedRxJsonSchema expects. */
export type DeepMutable<T> = T extends object ? { -readonly [K in keyof T]: T[K] extends object ? DeepMutable<T[K]> : T[K] } : never;

export const MAX_SAFE = 9007199254740991;
/** 9999-12-31T23:59:59.999Z: upper bound for indexed timestamps. */
export const TIME_MAX = 253402300799999;
export const ID_MAX = 40;

/** Primary key. */
export const idField = { type: 'string', minLength: 1, maxLength: ID_MAX } as const;
/** Reference to another document's id; '' means none where the field is required. */
export const refField = { type: 'string', maxLength: ID_MAX } as const;
/** Epoch milliseconds. */
export const timeField = { type: 'integer', minimum: 0, maximum: TIME_MAX, multipleOf: 1 } as const;
/** 'YYYY-MM-DD' in the shop's time zone. */
export const dayField = { type: 'string', minLength: 10, maxLength: 10, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } as const;
/** ISO 4217 code. */
export const currencyField = { type: 'string', minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$' } as const;
/** Signed money in minor units. */
export const moneyField = { type: 'integer', minimum: -MAX_SAFE, maximum: MAX_SAFE, multipleOf: 1 } as const;
/** Non-negative money in minor units. */
export const moneyNonNegField = { type: 'integer', minimum: 0, maximum: MAX_SAFE, multipleOf: 1 } as const;
/** Rate in basis points, 0..100% (10000). */
export const bpField = { type: 'integer', minimum: 0, maximum: 10000, multipleOf: 1 } as const;
/** Count or sequence number. */
export const countField = { type: 'integer', minimum: 0, maximum: MAX_SAFE, multipleOf: 1 } as const;
/** Hex SHA-256. */
export const sha256Field = { type: 'string', minLength: 64, maxLength: 64, pattern: '^[0-9a-f]{64}$' } as const;
/** '#rrggbb'. */
export const colorField = { type: 'string', maxLength: 7, pattern: '^#[0-9a-fA-F]{6}$' } as const;

export const text = <const N extends number>(maxLength: N) => ({ type: 'string', maxLength }) as const;
export const nonEmptyText = <const N extends number>(maxLength: N) => ({ type: 'string', minLength: 1, maxLength }) as const;

export const strEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  ({ type: 'string', enum: values, maxLength: Math.max(...values.map((v) => v.length)) }) as const;

export const stringArray = <const N extends number, const M extends number>(itemMaxLength: N, maxItems: M) =>
  ({ type: 'array', maxItems, items: { type: 'string', maxLength: itemMaxLength } }) as const;

/** Free-form JSON object (only for diffs, conflict copies and overrides that are validated elsewhere). */
export const jsonObject = { type: 'object', additionalProperties: true } as const;

/** Fields every document carries. */
export const baseProps = {
  id: idField,
  createdAt: timeField,
  updatedAt: timeField,
} as const;

/** Enumerations shared by schemas, services and the UI. */
export const PAYMENT_METHODS = ['cash', 'card', 'mobile_money', 'customer_credit'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const TAX_MODES = ['inclusive', 'exclusive'] as const;
export type TaxMode = (typeof TAX_MODES)[number];
