// Reads the audit log straight from its SQLite table (the layout of our RxStorage, see
// store/rxstorage-better-sqlite3/README.md), for two reasons:
//
// - Newest-first pages. RxDB re-sorts every 'desc' query in memory over the whole
//   index range, which on a log of millions of entries means loading all of them for
//   each page. SQLite walks the same index key column backwards with a LIMIT.
// - Verification reads exactly what is in the file: no RxDB document cache in between,
//   tombstoned rows are seen, and a row whose JSON was damaged is named, not skipped.
//
// Read-only: the audit log is written only by the write path.
import type Database from 'better-sqlite3';
import type { RxCollection } from 'rxdb';
import { INDEX_MAX, INDEX_MIN } from 'rxdb';
import type { AuditLogDoc } from '@shared/schema';
import { toSqliteKey } from '../store/rxstorage-better-sqlite3';
import { getTableLayout, type KeyColumn, type TableLayout } from '../store/rxstorage-better-sqlite3/table-layout';

/** The audit log's indexes (schema indexes with RxDB's _deleted first and id last). */
export const AUDIT_INDEXES = {
  chain: ['_deleted', 'deviceId', 'seq', 'id'],
  at: ['_deleted', 'at', 'id'],
  user: ['_deleted', 'userId', 'at', 'id'],
  resource: ['_deleted', 'resourceType', 'resourceId', 'at', 'id'],
} as const;
export type AuditIndexName = keyof typeof AUDIT_INDEXES;

export interface RawAuditRow {
  /** The row's key in the scanned index (an opaque, order-preserving cursor). */
  key: string;
  /** The row's primary key column (the entry id, encoded). */
  rowId: string;
  deleted: boolean;
  /** The stored JSON, or null when it cannot be parsed. */
  doc: AuditLogDoc | null;
}

export interface KeyRange {
  /** Values of the leading index fields after _deleted, matched exactly. */
  equal: (string | number)[];
  /** Bounds (inclusive) of the next index field; open when left out. */
  min?: number;
  max?: number;
}

export class AuditTable {
  private readonly layout: TableLayout;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly sqlite: Database.Database,
    collection: RxCollection<AuditLogDoc>,
  ) {
    this.layout = getTableLayout(collection.name, collection.schema.jsonSchema);
  }

  private column(index: AuditIndexName): KeyColumn {
    const column = this.layout.keyColumnByIndexName.get(AUDIT_INDEXES[index].join(','));
    if (!column) throw new Error(`audit table: no key column for index ${index}`);
    return column;
  }

  /** [lower, upper] keys of the live (not deleted) rows matching a range. */
  bounds(index: AuditIndexName, range: KeyRange): { lower: string; upper: string } {
    const fields = AUDIT_INDEXES[index] as readonly string[];
    const lower: (string | number | boolean)[] = [false, ...range.equal];
    const upper: (string | number | boolean)[] = [false, ...range.equal];
    if (lower.length < fields.length) {
      lower.push(range.min ?? INDEX_MIN);
      upper.push(range.max ?? INDEX_MAX);
    }
    while (lower.length < fields.length) {
      lower.push(INDEX_MIN);
      upper.push(INDEX_MAX);
    }
    return {
      lower: this.column(index).lower(lower),
      upper: this.column(index).upper(upper),
    };
  }

  /**
   * Up to `limit` rows of `index` within `range`, strictly after `afterKey` (ascending)
   * or strictly before it (descending). One bounded statement: nothing stays open.
   */
  scan(index: AuditIndexName, range: KeyRange, options: { direction: 'asc' | 'desc'; afterKey?: string; limit: number }): RawAuditRow[] {
    const column = this.column(index).column;
    const { lower, upper } = this.bounds(index, range);
    const asc = options.direction === 'asc';
    const params: (string | number)[] = [lower, upper];
    let cursor = '';
    if (options.afterKey !== undefined) {
      cursor = ` AND ${column} ${asc ? '>' : '<'} ?`;
      params.push(options.afterKey);
    }
    params.push(options.limit);
    const sql =
      `SELECT ${column} AS k, id, deleted, data FROM ${this.layout.docsTable} ` +
      `WHERE ${column} >= ? AND ${column} <= ?${cursor} ORDER BY ${column} ${asc ? 'ASC' : 'DESC'} LIMIT ?`;
    const rows = this.statement(sql).all(...params) as { k: string; id: string; deleted: number; data: string }[];
    return rows.map((r) => ({ key: r.k, rowId: r.id, deleted: r.deleted !== 0, doc: parse(r.data) }));
  }

  /** Rows marked deleted (tombstones): the audit log is append-only, so any is tampering. */
  tombstones(limit: number): RawAuditRow[] {
    // `deleted = 1` matches the storage's partial index of tombstones.
    const rows = this.statement(`SELECT id, deleted, data FROM ${this.layout.docsTable} WHERE deleted = 1 LIMIT ?`).all(limit) as {
      id: string;
      deleted: number;
      data: string;
    }[];
    return rows.map((r) => ({ key: '', rowId: r.id, deleted: true, doc: parse(r.data) }));
  }

  /** One entry by id, as stored (null when there is no live row). */
  byId(id: string): AuditLogDoc | null {
    const row = this.statement(`SELECT data FROM ${this.layout.docsTable} WHERE id = ? AND deleted = 0`).get(toSqliteKey(id)) as { data: string } | undefined;
    return row ? parse(row.data) : null;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.sqlite.prepare(sql)));
    return statement;
  }
}

function parse(json: string): AuditLogDoc | null {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as AuditLogDoc) : null;
  } catch {
    return null;
  }
}
