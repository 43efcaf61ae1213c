/**
 * The SQL side of one collection: DDL, cached prepared statements and the
 * row-level reads and writes the storage instance is built from. Everything
 * here is synchronous (better-sqlite3) and knows nothing about RxDB semantics
 * beyond computing the key columns of a document.
 */
import type Database from 'better-sqlite3';
import type { RxDocumentData, RxStorageDefaultCheckpoint } from 'rxdb';
import type { SharedConnection } from './connection-pool';
import { toSqliteKey } from './key-encoding';
import type { KeyColumn, TableLayout } from './table-layout';
import { createTablesSql, expectedKeyColumnNames } from './table-layout';

/** SQLite allows 32766 bound parameters; ids are looked up in chunks well below that. */
export const MAX_IDS_PER_STATEMENT = 500;
/** A few statement shapes serve every chunk size: shorter chunks are padded by repeating an id. */
const ID_BUCKETS = [1, 8, 64, MAX_IDS_PER_STATEMENT];

export type RangeBounds = {
  lower: string;
  upper: string;
  inclusiveStart: boolean;
  inclusiveEnd: boolean;
};

export type StoredAttachment = { digest: string; type: string; data: Buffer };

type AnyDoc = RxDocumentData<Record<string, unknown>>;

export class CollectionTable {
  private readonly insertSql: string;
  private readonly updateSql: string;
  private readonly keyColumns: readonly KeyColumn[];

  constructor(
    readonly conn: SharedConnection,
    readonly layout: TableLayout,
  ) {
    this.keyColumns = layout.keyColumns;
    const cols = ['id', 'lwt', 'deleted', ...layout.keyColumns.map((k) => k.column), 'data'];
    this.insertSql = `INSERT INTO ${layout.docsTable} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    this.updateSql =
      `UPDATE ${layout.docsTable} SET ` +
      cols
        .slice(1)
        .map((c) => `${c} = ?`)
        .join(', ') +
      ' WHERE id = ?';
  }

  get db(): Database.Database {
    return this.conn.db;
  }

  /** Creates the tables on first use; on an existing table, checks that it has the key columns of this schema. */
  ensureCreated(): void {
    const { docsTableName, attachmentsTableName, hasAttachments } = this.layout;
    const exists = (name: string) =>
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) === 1;
    const docsTableExists = exists(docsTableName);
    if (docsTableExists) {
      const columns = new Set(this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(docsTableName) as string[]);
      const missing = expectedKeyColumnNames(this.layout).filter((c) => !columns.has(c));
      if (missing.length > 0) {
        throw new Error(
          `rxstorage-better-sqlite3: table ${docsTableName} exists without the key columns ${missing.join(' | ')}; ` +
            'the indexes of a schema must not change without a new schema version',
        );
      }
    }
    if (!docsTableExists || (hasAttachments && !exists(attachmentsTableName))) {
      const ddl = createTablesSql(this.layout);
      this.db.transaction(() => this.db.exec(ddl))();
    }
  }

  drop(): void {
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${this.layout.docsTable}; DROP TABLE IF EXISTS ${this.layout.attachmentsTable};`);
    })();
    this.conn.clearStatements();
  }

  // ---- documents -------------------------------------------------------

  /**
   * The documents with the given ids (any order, missing ids skipped), parsed
   * chunk by chunk so only one chunk of JSON strings is alive at a time.
   */
  readDocsByIds<T>(ids: readonly string[], withDeleted: boolean): T[] {
    const out: T[] = [];
    const filter = withDeleted ? '' : ' AND deleted = 0';
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_STATEMENT) {
      const chunkLength = Math.min(MAX_IDS_PER_STATEMENT, ids.length - start);
      const bucket = ID_BUCKETS.find((b) => b >= chunkLength) as number;
      const params = new Array<string>(bucket);
      for (let i = 0; i < bucket; i++) {
        params[i] = toSqliteKey(ids[start + Math.min(i, chunkLength - 1)] as string);
      }
      const placeholders = bucket === 1 ? '?' : '?,'.repeat(bucket - 1) + '?';
      const stmt = this.conn.prepare(
        `SELECT data FROM ${this.layout.docsTable} WHERE id IN (${placeholders})${filter}`,
        true,
      );
      const rows = stmt.all(params) as string[];
      for (let i = 0; i < rows.length; i++) out.push(JSON.parse(rows[i] as string) as T);
    }
    return out;
  }

  private rowParams(doc: AnyDoc): unknown[] {
    const keyColumns = this.keyColumns;
    const params = new Array<unknown>(keyColumns.length + 4);
    params[0] = toSqliteKey(doc[this.layout.primaryPath] as string);
    params[1] = doc._meta.lwt;
    params[2] = doc._deleted ? 1 : 0;
    for (let i = 0; i < keyColumns.length; i++) {
      params[i + 3] = toSqliteKey((keyColumns[i] as KeyColumn).indexString(doc));
    }
    params[keyColumns.length + 3] = JSON.stringify(doc);
    return params;
  }

  insert(doc: AnyDoc): void {
    this.conn.prepare(this.insertSql).run(this.rowParams(doc));
  }

  update(doc: AnyDoc): void {
    const params = this.rowParams(doc);
    params.push(params.shift());
    this.conn.prepare(this.updateSql).run(params);
  }

  // ---- ranges over a key column ----------------------------------------

  private rangeWhere(keyColumn: KeyColumn, bounds: RangeBounds): string {
    const c = keyColumn.column;
    return `${c} ${bounds.inclusiveStart ? '>=' : '>'} ? AND ${c} ${bounds.inclusiveEnd ? '<=' : '<'} ?`;
  }

  /** Document JSON in key order, lazily (stop iterating to stop reading). */
  iterateRange(keyColumn: KeyColumn, bounds: RangeBounds): IterableIterator<string> {
    const stmt = this.conn.prepare(
      `SELECT data FROM ${this.layout.docsTable} WHERE ${this.rangeWhere(keyColumn, bounds)} ORDER BY ${keyColumn.column}`,
      true,
    );
    return stmt.iterate(bounds.lower, bounds.upper) as IterableIterator<string>;
  }

  /** Document JSON in key order with SQL LIMIT/OFFSET (limit < 0 means no limit). */
  selectRange(keyColumn: KeyColumn, bounds: RangeBounds, limit: number, offset: number): string[] {
    const stmt = this.conn.prepare(
      `SELECT data FROM ${this.layout.docsTable} WHERE ${this.rangeWhere(keyColumn, bounds)} ` +
        `ORDER BY ${keyColumn.column} LIMIT ? OFFSET ?`,
      true,
    );
    return stmt.all(bounds.lower, bounds.upper, limit, offset) as string[];
  }

  countRange(keyColumn: KeyColumn, bounds: RangeBounds): number {
    const stmt = this.conn.prepare(
      `SELECT count(*) FROM ${this.layout.docsTable} WHERE ${this.rangeWhere(keyColumn, bounds)}`,
      true,
    );
    return stmt.get(bounds.lower, bounds.upper) as number;
  }

  /** Every document, for queries whose plan names an index this table does not have. */
  iterateAll(): IterableIterator<string> {
    return this.conn.prepare(`SELECT data FROM ${this.layout.docsTable} ORDER BY id`, true).iterate() as IterableIterator<string>;
  }

  // ---- changes and tombstones ------------------------------------------

  /** Documents written after the checkpoint, ordered by (lwt, id). */
  readChangesSince(limit: number, checkpoint: RxStorageDefaultCheckpoint | undefined): string[] {
    const t = this.layout.docsTable;
    if (!checkpoint) {
      return this.conn.prepare(`SELECT data FROM ${t} ORDER BY lwt, id LIMIT ?`, true).all(limit) as string[];
    }
    return this.conn
      .prepare(`SELECT data FROM ${t} WHERE (lwt, id) > (?, ?) ORDER BY lwt, id LIMIT ?`, true)
      .all(checkpoint.lwt, toSqliteKey(checkpoint.id), limit) as string[];
  }

  /** Deletes tombstones with lwt <= maxLwt (and their attachments); returns how many. */
  purgeTombstones(maxLwt: number): number {
    const t = this.layout.docsTable;
    if (this.layout.hasAttachments) {
      this.conn
        .prepare(
          `DELETE FROM ${this.layout.attachmentsTable} WHERE doc_id IN (SELECT id FROM ${t} WHERE deleted = 1 AND lwt <= ?)`,
        )
        .run(maxLwt);
    }
    return this.conn.prepare(`DELETE FROM ${t} WHERE deleted = 1 AND lwt <= ?`).run(maxLwt).changes;
  }

  // ---- attachments -----------------------------------------------------

  putAttachment(docId: string, attachmentId: string, digest: string, type: string, data: Buffer): void {
    this.conn
      .prepare(
        `INSERT INTO ${this.layout.attachmentsTable} (doc_id, attachment_id, digest, type, data) VALUES (?, ?, ?, ?, ?) ` +
          'ON CONFLICT (doc_id, attachment_id) DO UPDATE SET digest = excluded.digest, type = excluded.type, data = excluded.data',
      )
      .run(toSqliteKey(docId), attachmentId, digest, type, data);
  }

  deleteAttachment(docId: string, attachmentId: string): void {
    this.conn
      .prepare(`DELETE FROM ${this.layout.attachmentsTable} WHERE doc_id = ? AND attachment_id = ?`)
      .run(toSqliteKey(docId), attachmentId);
  }

  getAttachment(docId: string, attachmentId: string): StoredAttachment | undefined {
    if (!this.layout.hasAttachments) return undefined;
    return this.conn
      .prepare(`SELECT digest, type, data FROM ${this.layout.attachmentsTable} WHERE doc_id = ? AND attachment_id = ?`)
      .get(toSqliteKey(docId), attachmentId) as StoredAttachment | undefined;
  }
}
