// Orders and site review (seeds 001, 000): orders with a state machine, order groups
// (one client each), domains under analysis, site selections, order items created from
// approved selections, and the append-only order history.
// Conventions: see fields.ts (camelCase, `id` UUIDv7, integer minor units + currency,
// indexed optional references use '' for none, append-only = never updated).
import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import {
  baseProps,
  countField,
  currencyField,
  jsonObject,
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

/** configuring -> analyzing -> reviewing -> payment_pending -> in_progress -> completed */
export const ORDER_STATES = ['configuring', 'analyzing', 'reviewing', 'payment_pending', 'in_progress', 'completed'] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const SELECTION_STATUSES = ['suggested', 'approved', 'rejected', 'alternate'] as const;
export type SelectionStatus = (typeof SELECTION_STATUSES)[number];

const urlField = { type: 'string', maxLength: 2048 } as const;
const domainField = { type: 'string', minLength: 1, maxLength: 253 } as const;

// ---------------------------------------------------------------------------

const ordersLiteral = {
  title: 'orders',
  description: 'Client content/link-placement orders. Clients per segment live in orderGroups; clientId here is the billing client.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    title: nonEmptyText(200),
    /** Billing client (user id with role client). */
    clientId: refField,
    /** Manager responsible; '' until assigned. */
    managerId: refField,
    state: strEnum(ORDER_STATES),
    stateChangedAt: timeField,
    currency: currencyField,
    /** Sum of the order items' prices before discount. */
    subtotalMinor: moneyNonNegField,
    discountMinor: moneyNonNegField,
    totalMinor: moneyNonNegField,
    /** Total link count over all groups. */
    linkCount: countField,
    requiresClientReview: { type: 'boolean' },
    reviewCompletedAt: timeField,
    /** Hash of the client share token (never the token). */
    shareTokenHash: text(128),
    notes: text(4000),
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'title', 'clientId', 'managerId', 'state', 'stateChangedAt', 'currency', 'subtotalMinor', 'discountMinor', 'totalMinor', 'linkCount', 'requiresClientReview'],
  indexes: [['state', 'updatedAt'], ['managerId', 'updatedAt'], ['clientId', 'createdAt'], 'updatedAt'],
} as const;
export type OrderDoc = DocOf<typeof ordersLiteral>;
export const ordersSchema: RxJsonSchema<OrderDoc> = ordersLiteral;

// ---------------------------------------------------------------------------

const orderGroupsLiteral = {
  title: 'orderGroups',
  description: 'One client segment of an order: link count, target pages, anchors and requirement overrides.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    orderId: refField,
    clientId: refField,
    /** Denormalised for lists. */
    clientName: text(200),
    linkCount: { type: 'integer', minimum: 1, maximum: 100000 },
    targetPages: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { url: urlField, pageId: refField },
        required: ['url'],
      },
    },
    anchors: stringArray(255, 500),
    /** Overrides of the client's default requirements. */
    overrides: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minDr: { type: 'integer', minimum: 0, maximum: 100 },
        minTraffic: countField,
        maxPriceMinor: moneyNonNegField,
        niches: stringArray(100, 50),
        excludeDomains: stringArray(253, 1000),
        notes: text(2000),
      },
    },
    status: strEnum(['pending', 'analyzing', 'reviewing', 'approved', 'in_progress', 'completed']),
    analysisStartedAt: timeField,
    analysisCompletedAt: timeField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'orderId', 'clientId', 'clientName', 'linkCount', 'targetPages', 'anchors', 'overrides', 'status'],
  indexes: [['orderId', 'createdAt'], ['clientId', 'createdAt'], 'updatedAt'],
} as const;
export type OrderGroupDoc = DocOf<typeof orderGroupsLiteral>;
export const orderGroupsSchema: RxJsonSchema<OrderGroupDoc> = orderGroupsLiteral;

// ---------------------------------------------------------------------------

const analyzedDomainsLiteral = {
  title: 'analyzedDomains',
  description: 'Domains analysed for an order (group), with metrics and qualification status.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    orderId: refField,
    /** '' when analysed for the whole order. */
    groupId: refField,
    /** Lower-case host name. */
    domain: domainField,
    metrics: {
      type: 'object',
      additionalProperties: false,
      properties: {
        /** Domain rating 0..100. */
        dr: { type: 'integer', minimum: 0, maximum: 100 },
        /** Monthly organic visits. */
        traffic: countField,
        referringDomains: countField,
        spamScore: { type: 'integer', minimum: 0, maximum: 100 },
        /** Publisher price for one placement, in the order currency. */
        priceMinor: moneyNonNegField,
        niche: text(100),
        language: text(35),
        country: text(2),
      },
    },
    status: strEnum(['pending', 'analyzed', 'qualified', 'disqualified', 'failed']),
    error: text(500),
    analyzedAt: timeField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'orderId', 'groupId', 'domain', 'metrics', 'status'],
  indexes: [['orderId', 'domain'], ['groupId', 'status'], 'domain', 'updatedAt'],
} as const;
export type AnalyzedDomainDoc = DocOf<typeof analyzedDomainsLiteral>;
export const analyzedDomainsSchema: RxJsonSchema<AnalyzedDomainDoc> = analyzedDomainsLiteral;

// ---------------------------------------------------------------------------

const siteSelectionsLiteral = {
  title: 'siteSelections',
  description: 'A site suggested for an order group and its review outcome (approved, rejected, alternate).',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    orderId: refField,
    groupId: refField,
    domainId: refField,
    /** Denormalised from analyzedDomains for the review screen. */
    domain: domainField,
    status: strEnum(SELECTION_STATUSES),
    /** For status alternate: the selection this one may replace. */
    alternateOf: refField,
    targetPageUrl: urlField,
    anchorText: text(255),
    priceMinor: moneyNonNegField,
    currency: currencyField,
    clientNotes: text(2000),
    internalNotes: text(2000),
    reviewerId: refField,
    reviewedAt: timeField,
    /** Set when an approved selection became an order item. */
    orderItemId: refField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'orderId', 'groupId', 'domainId', 'domain', 'status', 'priceMinor', 'currency'],
  indexes: [['groupId', 'status'], ['orderId', 'status'], 'domainId', 'updatedAt'],
} as const;
export type SiteSelectionDoc = DocOf<typeof siteSelectionsLiteral>;
export const siteSelectionsSchema: RxJsonSchema<SiteSelectionDoc> = siteSelectionsLiteral;

// ---------------------------------------------------------------------------

export const ORDER_ITEM_STATUSES = ['pending', 'assigned', 'writing', 'submitted', 'published', 'cancelled'] as const;
export type OrderItemStatus = (typeof ORDER_ITEM_STATUSES)[number];

const orderItemsLiteral = {
  title: 'orderItems',
  description: 'A final link placement, created from an approved site selection; one writer workflow each.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    orderId: refField,
    groupId: refField,
    selectionId: refField,
    domain: domainField,
    targetPage: urlField,
    anchor: text(255),
    priceMinor: moneyNonNegField,
    /** What the writer earns for the item. */
    writerFeeMinor: moneyNonNegField,
    currency: currencyField,
    /** '' until assigned. */
    writerId: refField,
    status: strEnum(ORDER_ITEM_STATUSES),
    assignedAt: timeField,
    submittedAt: timeField,
    publishedAt: timeField,
    publishedUrl: urlField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'orderId', 'groupId', 'selectionId', 'domain', 'targetPage', 'anchor', 'priceMinor', 'currency', 'writerId', 'status'],
  indexes: [['orderId', 'groupId'], ['writerId', 'status'], 'selectionId', 'updatedAt'],
} as const;
export type OrderItemDoc = DocOf<typeof orderItemsLiteral>;
export const orderItemsSchema: RxJsonSchema<OrderItemDoc> = orderItemsLiteral;

// ---------------------------------------------------------------------------

const orderHistoryLiteral = {
  title: 'orderHistory',
  description: 'Append-only log of order state changes and actions.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    orderId: refField,
    /** e.g. 'state_changed', 'writer_assigned', 'selection_approved'. */
    action: nonEmptyText(100),
    fromState: strEnum(ORDER_STATES),
    toState: strEnum(ORDER_STATES),
    actorId: refField,
    note: text(2000),
    /** Extra structured details (ids involved...). */
    details: jsonObject,
    deviceId: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'orderId', 'action', 'actorId', 'deviceId'],
  indexes: [['orderId', 'createdAt'], 'updatedAt'],
} as const;
export type OrderHistoryDoc = DocOf<typeof orderHistoryLiteral>;
export const orderHistorySchema: RxJsonSchema<OrderHistoryDoc> = orderHistoryLiteral;

// ---------------------------------------------------------------------------

export const orderCollections = {
  orders: { schema: ordersSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<OrderDoc>,
  orderGroups: { schema: orderGroupsSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<OrderGroupDoc>,
  analyzedDomains: { schema: analyzedDomainsSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<AnalyzedDomainDoc>,
  siteSelections: { schema: siteSelectionsSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<SiteSelectionDoc>,
  orderItems: { schema: orderItemsSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<OrderItemDoc>,
  orderHistory: { schema: orderHistorySchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<OrderHistoryDoc>,
} as const;
