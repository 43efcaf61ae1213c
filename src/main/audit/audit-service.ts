// Reading the audit log for people: filtered newest-first pages, one entry with its
// diff, and chain verification. Names of users and devices are resolved here, so
// the screen and the CLI show people, not ids.
import type Database from 'better-sqlite3';
import { ApiError } from '@shared/api/errors';
import type { AuditEntry, AuditFieldChange, AuditListItem, AuditVerifyResult } from '@shared/api/ops/audit';
import { allCollections, type AuditLogDoc } from '@shared/schema';
import type { CounterbookDatabase } from '../store/database';
import { AuditTable, type AuditIndexName, type KeyRange } from './audit-table';
import { verifyAuditLog, type VerifyOptions } from './verify';

export interface AuditListFilter {
  resourceType?: string;
  resourceId?: string;
  userId?: string;
  action?: string;
  from?: number;
  to?: number;
  cursor?: string;
  limit: number;
}

/** Someone the caller already knows by name (the signed-in session), for ids not in `users`. */
export interface KnownPerson {
  id: string;
  name: string;
}

/** Fields whose values are secrets: the hash chain keeps them, the screen does not show them. */
const SECRET_FIELDS = new Set(['pinHash', 'tokenHash', 'shareTokenHash', 'passwordHash', 'secret']);
export const HIDDEN = '(hidden)';

/** Fields that hold a user id, shown with the person's name. */
const USER_FIELD = /^(createdBy|updatedBy|closedBy|approvedBy|resolvedBy|usedBy|holder|cashierId|managerId|writerId|reviewerId|assignedTo|overrideBy)$/;

/** Rows looked at per call at most: a rare filter answers with a partial page and a cursor instead of scanning the whole log. */
const SCAN_BUDGET = 5_000;
const SCAN_BATCH = 400;

interface Cursor {
  i: AuditIndexName;
  k: string;
}

export class AuditService {
  readonly table: AuditTable;

  constructor(
    private readonly db: CounterbookDatabase,
    sqlite: Database.Database,
    private readonly deviceId: string,
  ) {
    this.table = new AuditTable(sqlite, db.collections.auditLog);
  }

  async list(filter: AuditListFilter, viewer?: KnownPerson): Promise<{ entries: AuditListItem[]; nextCursor: string | null }> {
    const { index, range, matches } = plan(filter);
    let afterKey: string | undefined;
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      if (!cursor || cursor.i !== index) throw new ApiError('VALIDATION', 'The filters changed since this page was loaded; load the list from the start.');
      afterKey = cursor.k;
    }

    const docs: AuditLogDoc[] = [];
    let scanned = 0;
    let lastKey: string | undefined = afterKey;
    let exhausted = false;
    while (docs.length < filter.limit) {
      const want = Math.min(SCAN_BATCH, SCAN_BUDGET - scanned);
      if (want <= 0) break; // budget spent: a partial page whose cursor continues the scan
      const batch = this.table.scan(index, range, { direction: 'desc', afterKey: lastKey, limit: want });
      let full = false;
      for (const row of batch) {
        scanned++;
        lastKey = row.key;
        if (row.doc && matches(row.doc)) docs.push(row.doc);
        if (docs.length >= filter.limit) {
          full = true;
          break;
        }
      }
      if (!full && batch.length < want) {
        exhausted = true;
        break;
      }
    }
    const names = await this.names(docs.flatMap((d) => [d.userId, d.overrideBy ?? '']), viewer);
    return {
      entries: docs.map((d) => this.item(d, names)),
      nextCursor: exhausted || lastKey === undefined ? null : encodeCursor({ i: index, k: lastKey }),
    };
  }

  async entry(id: string, viewer?: KnownPerson): Promise<AuditEntry> {
    const doc = this.table.byId(id);
    if (!doc) throw new ApiError('NOT_FOUND', 'That audit entry does not exist in this store.');
    const diff = fieldChanges(doc);
    const people = diff.flatMap((c) => (USER_FIELD.test(c.field) ? [c.before, c.after].filter((v): v is string => typeof v === 'string' && v !== '') : []));
    const names = await this.names([doc.userId, doc.overrideBy ?? '', ...people], viewer);
    for (const change of diff) {
      if (!USER_FIELD.test(change.field)) continue;
      if (typeof change.before === 'string' && change.before && names.has(change.before)) change.beforeName = names.get(change.before)!;
      if (typeof change.after === 'string' && change.after && names.has(change.after)) change.afterName = names.get(change.after)!;
    }
    const devices = await this.deviceNames([doc.deviceId]);
    return {
      ...this.item(doc, names),
      appVersion: doc.appVersion,
      device: { id: doc.deviceId, name: devices.get(doc.deviceId)!, thisDevice: doc.deviceId === this.deviceId },
      diff,
      prevHash: doc.prevHash,
      hash: doc.hash,
    };
  }

  async filterOptions(viewer?: KnownPerson): Promise<{ resourceTypes: string[]; users: KnownPerson[] }> {
    const users = await this.db.collections.users.find({ sort: [{ role: 'asc' }, { name: 'asc' }], limit: 1000 }).exec();
    const people: KnownPerson[] = [{ id: '', name: 'System' }];
    if (viewer && !users.some((u) => u.id === viewer.id)) people.push(viewer);
    for (const u of users) people.push({ id: u.id, name: u.name });
    people.sort((a, b) => (a.id === '' ? -1 : b.id === '' ? 1 : a.name.localeCompare(b.name)));
    const resourceTypes = Object.keys(allCollections)
      .filter((n) => n !== 'auditLog')
      .sort();
    return { resourceTypes, users: people };
  }

  async verify(options: VerifyOptions = {}): Promise<AuditVerifyResult> {
    const result = await verifyAuditLog(this.table, options);
    const names = await this.deviceNames(result.devices.map((d) => d.deviceId));
    return {
      ...result,
      devices: result.devices.map((d) => ({ ...d, deviceName: names.get(d.deviceId)!, thisDevice: d.deviceId === this.deviceId })),
    };
  }

  private item(doc: AuditLogDoc, names: Map<string, string>): AuditListItem {
    const before = doc.diff?.before;
    const after = doc.diff?.after;
    const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
    const created = fields.length > 0 && Object.keys(before ?? {}).length === 0 && 'id' in (after ?? {});
    const deleted = fields.length > 0 && Object.keys(after ?? {}).length === 0 && 'id' in (before ?? {});
    const overrideBy = doc.overrideBy ?? '';
    return {
      id: doc.id,
      deviceId: doc.deviceId,
      seq: doc.seq,
      at: doc.at,
      user: { id: doc.userId, name: names.get(doc.userId) ?? doc.userId },
      action: doc.action,
      resourceType: doc.resourceType,
      resourceId: doc.resourceId,
      reason: doc.reason ?? '',
      overrideBy: overrideBy ? { id: overrideBy, name: names.get(overrideBy) ?? overrideBy } : null,
      fields: fields.filter((f) => f !== 'createdAt'),
      change: created ? 'created' : deleted ? 'deleted' : 'changed',
    };
  }

  /** user id -> name, from `users`; '' is the system. */
  private async names(ids: string[], viewer?: KnownPerson): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id) => id !== ''))];
    const names = new Map<string, string>([['', 'System']]);
    if (unique.length > 0) {
      const found = await this.db.collections.users.findByIds(unique).exec();
      for (const [id, user] of found) names.set(id, user.name);
    }
    for (const id of unique) {
      if (names.has(id)) continue;
      names.set(id, viewer && viewer.id === id ? viewer.name : `Unknown user ${id.slice(0, 8)}`);
    }
    return names;
  }

  private async deviceNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const found = unique.length ? await this.db.collections.devices.findByIds(unique).exec() : new Map();
    const names = new Map<string, string>();
    for (const id of unique) {
      const device = found.get(id);
      names.set(id, device ? `${device.name} (${device.code})` : id === this.deviceId ? 'This device' : `Device ${id.slice(0, 8)}`);
    }
    return names;
  }
}

/** Picks the index that serves the filter and the checks left for JavaScript. */
function plan(filter: AuditListFilter): { index: AuditIndexName; range: KeyRange; matches: (doc: AuditLogDoc) => boolean } {
  const at = { min: filter.from, max: filter.to === undefined ? undefined : filter.to - 1 };
  let index: AuditIndexName;
  let range: KeyRange;
  if (filter.resourceType && filter.resourceId) {
    index = 'resource';
    range = { equal: [filter.resourceType, filter.resourceId], ...at };
  } else if (filter.userId !== undefined) {
    index = 'user';
    range = { equal: [filter.userId], ...at };
  } else {
    index = 'at';
    range = { equal: [], ...at };
  }
  const action = filter.action?.trim();
  const matches = (doc: AuditLogDoc): boolean => {
    if (filter.resourceType && doc.resourceType !== filter.resourceType) return false;
    if (filter.resourceId && doc.resourceId !== filter.resourceId) return false;
    if (filter.userId !== undefined && doc.userId !== filter.userId) return false;
    if (action) {
      if (action.endsWith('.') ? !doc.action.startsWith(action) : doc.action !== action) return false;
    }
    return true;
  };
  return { index, range, matches };
}

function fieldChanges(doc: AuditLogDoc): AuditFieldChange[] {
  const before = (doc.diff?.before ?? {}) as Record<string, unknown>;
  const after = (doc.diff?.after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields.map((field) => {
    const change: AuditFieldChange = { field };
    const secret = SECRET_FIELDS.has(field);
    if (field in before) change.before = secret ? HIDDEN : before[field];
    if (field in after) change.after = secret ? HIDDEN : after[field];
    return change;
  });
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(text: string): Cursor | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof value.k !== 'string' || typeof value.i !== 'string' || !['at', 'user', 'resource', 'chain'].includes(value.i)) return null;
    return { i: value.i as AuditIndexName, k: value.k };
  } catch {
    return null;
  }
}
