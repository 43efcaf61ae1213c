// People and balances (seeds 000, 004): users and roles, invitations, client-manager
// assignment, writer and manager ledgers (append-only, balances derived by summing,
// data rule 3) and payouts.
// Conventions: see fields.ts (camelCase, `id` UUIDv7, integer minor units + currency,
// indexed optional references use '' for none, append-only = never updated).
import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { ROLES } from '../auth/permissions';
import {
  baseProps,
  countField,
  currencyField,
  moneyField,
  nonEmptyText,
  refField,
  strEnum,
  text,
  timeField,
  type CollectionSpec,
  type DeepMutable,
} from './fields';

type DocOf<S> = ExtractDocumentTypeFromTypedRxJsonSchema<DeepMutable<S>>;

const emailField = { type: 'string', maxLength: 254 } as const;
const positiveMoney = { type: 'integer', minimum: 1, maximum: 9007199254740991, multipleOf: 1 } as const;

// ---------------------------------------------------------------------------

const usersLiteral = {
  title: 'users',
  description: 'People who use the app or appear in it (clients, writers). PIN hashes replicate so a cashier can sign in on any paired device offline.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    name: nonEmptyText(200),
    /** Lower-case; '' for counter staff without email. */
    email: emailField,
    phone: text(40),
    role: strEnum(ROLES),
    active: { type: 'boolean' },
    /** 'scrypt$N$r$p$<salt b64>$<hash b64>' (format owned by the auth module). Absent = cannot sign in with a PIN. */
    pinHash: text(300),
    lastLoginAt: timeField,
    failedAttempts: countField,
    lockedUntil: timeField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'name', 'email', 'role', 'active'],
  indexes: ['email', ['role', 'name'], 'updatedAt'],
} as const;
export type UserDoc = DocOf<typeof usersLiteral>;
export const usersSchema: RxJsonSchema<UserDoc> = usersLiteral;

// ---------------------------------------------------------------------------

const invitationsLiteral = {
  title: 'invitations',
  description: 'Invitations to join with a role. Only the hash of the token is stored.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    email: { type: 'string', minLength: 3, maxLength: 254 },
    role: strEnum(ROLES),
    /** Hex SHA-256 of the invitation token. */
    tokenHash: { type: 'string', minLength: 1, maxLength: 128 },
    status: strEnum(['pending', 'used', 'expired', 'revoked']),
    expiresAt: timeField,
    createdBy: refField,
    usedAt: timeField,
    /** The user created from the invitation. */
    usedBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'email', 'role', 'tokenHash', 'status', 'expiresAt', 'createdBy'],
  indexes: ['tokenHash', ['status', 'expiresAt'], 'email', 'updatedAt'],
} as const;
export type InvitationDoc = DocOf<typeof invitationsLiteral>;
export const invitationsSchema: RxJsonSchema<InvitationDoc> = invitationsLiteral;

// ---------------------------------------------------------------------------

const clientManagersLiteral = {
  title: 'clientManagers',
  description: 'Which manager looks after which client. Unassigning deletes (tombstones) the document.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    clientId: refField,
    managerId: refField,
    assignedAt: timeField,
    assignedBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'clientId', 'managerId', 'assignedAt'],
  indexes: ['clientId', ['managerId', 'assignedAt'], 'updatedAt'],
} as const;
export type ClientManagerDoc = DocOf<typeof clientManagersLiteral>;
export const clientManagersSchema: RxJsonSchema<ClientManagerDoc> = clientManagersLiteral;

// ---------------------------------------------------------------------------

const writerLedgerLiteral = {
  title: 'writerLedger',
  description:
    'Append-only writer balance ledger. Each entry carries both bucket deltas so one business action is one document: ' +
    'earning (pending +x), release (pending -x, available +x), payout (available -x), reversal (negates the entry in reversesId). ' +
    'pending = sum(pendingDeltaMinor), available = sum(availableDeltaMinor), total earned = sum of earning entries minus their reversals.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    writerId: refField,
    kind: strEnum(['earning', 'release', 'payout', 'reversal']),
    pendingDeltaMinor: moneyField,
    availableDeltaMinor: moneyField,
    currency: currencyField,
    /** The order item earned on ('' if none). */
    orderItemId: refField,
    payoutId: refField,
    reversesId: refField,
    note: text(500),
    /** Balances this device computed after the entry (statements). Informational only: the sums are the truth. */
    pendingAfterMinor: moneyField,
    availableAfterMinor: moneyField,
    deviceId: refField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'writerId', 'kind', 'pendingDeltaMinor', 'availableDeltaMinor', 'currency', 'orderItemId', 'deviceId'],
  indexes: [['writerId', 'createdAt'], 'orderItemId', 'updatedAt'],
} as const;
export type WriterLedgerDoc = DocOf<typeof writerLedgerLiteral>;
export const writerLedgerSchema: RxJsonSchema<WriterLedgerDoc> = writerLedgerLiteral;

// ---------------------------------------------------------------------------

const managerEarningsLiteral = {
  title: 'managerEarnings',
  description: 'Append-only manager earnings ledger (seed: assign / submit earnings). Balance = sum(amountMinor); payouts are negative entries.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    managerId: refField,
    kind: strEnum(['assign', 'submit', 'bonus', 'adjustment', 'payout', 'reversal']),
    amountMinor: moneyField,
    currency: currencyField,
    /** '' if not tied to an order (payout, adjustment). */
    orderId: refField,
    orderItemId: refField,
    payoutId: refField,
    reversesId: refField,
    note: text(500),
    balanceAfterMinor: moneyField,
    deviceId: refField,
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'managerId', 'kind', 'amountMinor', 'currency', 'orderId', 'deviceId'],
  indexes: [['managerId', 'createdAt'], 'orderId', 'updatedAt'],
} as const;
export type ManagerEarningDoc = DocOf<typeof managerEarningsLiteral>;
export const managerEarningsSchema: RxJsonSchema<ManagerEarningDoc> = managerEarningsLiteral;

// ---------------------------------------------------------------------------

const payoutsLiteral = {
  title: 'payouts',
  description:
    'A payout to a writer or manager. The money movement is the ledger entry (writerLedger / managerEarnings kind payout, written when status becomes paid); this document tracks the request.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProps,
    payeeId: refField,
    payeeRole: strEnum(['writer', 'manager']),
    amountMinor: positiveMoney,
    currency: currencyField,
    method: strEnum(['bank', 'mobile_money', 'cash', 'paypal', 'other']),
    reference: text(200),
    status: strEnum(['pending', 'paid', 'failed', 'cancelled']),
    requestedAt: timeField,
    paidAt: timeField,
    note: text(1000),
    createdBy: refField,
  },
  required: ['id', 'createdAt', 'updatedAt', 'payeeId', 'payeeRole', 'amountMinor', 'currency', 'method', 'status', 'requestedAt'],
  indexes: [['payeeId', 'createdAt'], ['status', 'createdAt'], 'updatedAt'],
} as const;
export type PayoutDoc = DocOf<typeof payoutsLiteral>;
export const payoutsSchema: RxJsonSchema<PayoutDoc> = payoutsLiteral;

// ---------------------------------------------------------------------------

export const peopleCollections = {
  users: { schema: usersSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<UserDoc>,
  invitations: { schema: invitationsSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<InvitationDoc>,
  clientManagers: { schema: clientManagersSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<ClientManagerDoc>,
  writerLedger: { schema: writerLedgerSchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<WriterLedgerDoc>,
  managerEarnings: { schema: managerEarningsSchema, migrationStrategies: {}, kind: 'append-only' } satisfies CollectionSpec<ManagerEarningDoc>,
  payouts: { schema: payoutsSchema, migrationStrategies: {}, kind: 'mutable' } satisfies CollectionSpec<PayoutDoc>,
} as const;
