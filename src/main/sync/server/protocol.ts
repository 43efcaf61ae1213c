// The wire contract of the server's sync functions (see README.md and the core
// migration in resources/migrations). The client replication builds on these types.

/** SQLSTATEs raised by the sync functions. */
export const SYNC_ERRORS = {
  /** The connection's role is not a paired device. */
  notADevice: 'CBD01',
  /** The device was revoked: stop syncing, ask for a new pairing. */
  revoked: 'CBD02',
  /** The pull cursor is ahead of this server (restored or replaced server): pull from the start. */
  cursorAhead: 'CBC01',
  /** The batch as a whole is not {batchId?, rows: []}. */
  malformedBatch: 'CBB01',
  /** More rows (5000) or bytes (32 MiB) than one batch may carry: split it. */
  batchTooLarge: 'CBB02',
} as const;

export const DEVICE_ROLE_PATTERN = /^cb_device_[0-9a-f]{32}$/;
export const DEVICE_GROUP_ROLE = 'counterbook_device';

/** The LISTEN channel of a tenant (also returned by counterbook.whoami()). */
export function tenantChannel(tenantId: string): string {
  return `counterbook_tenant_${tenantId.toLowerCase().replace(/-/g, '')}`;
}

/** Position in the change feed: the writing transaction, then the row key. Start: all null. */
export interface PullCursor {
  xid: string | null;
  collection: string | null;
  id: string | null;
}

export const START_CURSOR: PullCursor = { xid: null, collection: null, id: null };

/** A row from `SELECT * FROM counterbook.pull($1, $2, $3, $4)`. */
export interface PulledRow {
  xid: string;
  collection: string;
  id: string;
  revision: string;
  deleted: boolean;
  doc: Record<string, unknown>;
  /** The document's updatedAt (epoch ms) as a string (bigint), or null. */
  updated_at: string | null;
}

export const PULL_SQL = 'SELECT xid::text AS xid, collection, id, revision, deleted, doc, updated_at FROM counterbook.pull($1::xid8, $2, $3, $4)';

export function cursorAfter(row: Pick<PulledRow, 'xid' | 'collection' | 'id'>): PullCursor {
  return { xid: row.xid, collection: row.collection, id: row.id };
}

export interface PushRow {
  collection: string;
  id: string;
  /** The revision of this version (RxDB's _rev). */
  revision: string;
  /** The revision the device last saw from the server; null for a new document. */
  baseRevision: string | null;
  deleted?: boolean;
  doc: Record<string, unknown>;
}

export interface PushBatch {
  /** Unique per device and batch: resending the same batchId changes nothing. */
  batchId: string;
  rows: PushRow[];
}

export interface ServerRow {
  collection: string;
  id: string;
  revision: string;
  deleted: boolean;
  doc: Record<string, unknown>;
  updatedAt: number | null;
  xid: string;
}

/**
 * malformed: the row envelope is wrong; invalid: the doc breaks its collection's schema;
 * day_closed: it changes a register's closed day (the server's row, when it has one, comes along).
 */
export type RejectReason = 'malformed' | 'invalid' | 'unknown_collection' | 'oversized' | 'wrong_tenant' | 'immutable' | 'day_closed';

export type PushRowResult =
  | { index: number; collection: string | null; id: string | null; status: 'accepted'; unchanged?: boolean }
  | { index: number; collection: string | null; id: string | null; status: 'conflict'; server: ServerRow; message?: string }
  | { index: number; collection: string | null; id: string | null; status: 'rejected'; reason: RejectReason; message: string; server?: ServerRow };

export interface PushResult {
  batchId: string | null;
  accepted: number;
  conflicts: number;
  rejected: number;
  /** In the order of the batch's rows (compact: only the rows that were more than plainly accepted). */
  results: PushRowResult[];
  /** Present when the server had already processed this batchId. */
  replayed?: boolean;
  /** The batch asked for a compact answer ("compact": true): every row not in results was accepted. */
  compact?: boolean;
}

/**
 * The answer with one result per row, in the batch's order: a compact answer's unlisted
 * rows are plain acceptances. Null when the answer does not fit the batch (a row listed
 * twice or out of range, counts that do not add up).
 */
export function expandPushResult(result: PushResult, rows: readonly { collection: string; id: string }[]): PushRowResult[] | null {
  if (!Array.isArray(result.results)) return null;
  if (!result.compact) return result.results.length === rows.length ? result.results : null;
  if (result.accepted + result.conflicts + result.rejected !== rows.length) return null;
  const out: (PushRowResult | undefined)[] = new Array(rows.length);
  for (const r of result.results as unknown[]) {
    if (typeof r !== 'object' || r === null) return null;
    const listed = r as PushRowResult;
    if (!Number.isInteger(listed.index) || listed.index < 0 || listed.index >= rows.length || out[listed.index]) return null;
    out[listed.index] = listed;
  }
  return Array.from(out, (r, index) => r ?? { index, collection: rows[index]!.collection, id: rows[index]!.id, status: 'accepted' as const });
}

// As text, not jsonb: a row with a string jsonb cannot hold (NUL, a lone surrogate) is then
// refused on its own by the server instead of failing the whole call (push(jsonb) stays for older devices).
export const PUSH_SQL = 'SELECT counterbook.push($1::text) AS result';

/** Payload of a NOTIFY on the tenant channel. */
export interface TenantNotification {
  deviceId: string;
  changed: number;
}
