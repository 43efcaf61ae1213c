/**
 * The SQL side of one collection: DDL, cached prepared statements and the
 * row-level reads and writes the storage instance is built from. Everything
 * here is synchronous (better-sqlite3) and knows nothing about RxDB semantics
 * beyond computing the key columns of a document.
 */
import type Database from 'better-sqlite3';
import type { RxDocumentData, RxStorageDefaultCheckpoint } from 'rxdb';
import type { SharedConnection } from './connection-pool';
import type { DocumentCache } from './doc-cache';
import { toSqliteKey } from './key-encoding';
import type { TableRebuildProgress } from './settings';
import type { KeyColumn, TableLayout } from './table-layout';
import { LEGACY_KEY_PREFIX, createDocsTableSql, createIndexStatements, createTablesSql, expectedKeyColumnNames, quoteIdentifier } from './table-layout';

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

/** A document row as read: encoded id, lwt, JSON. */
export type DocRow = [key: string, lwt: number, json: string];

/** A row of a range read: keyed (id, lwt, data) or the JSON alone (see DocumentCache.preferKeyedRange()). */
export type RangeRow = DocRow | string;

/** A row written in the current transaction, cached once it commits. */
export type WrittenEntry = { key: string; lwt: number; json: string };

type AnyDoc = RxDocumentData<Record<string, unknown>>;

export class CollectionTable {
  private readonly insertSql: string;
  private readonly updateSql: string;
  private readonly keyColumns: readonly KeyColumn[];

  constructor(
    readonly conn: SharedConnection,
    readonly layout: TableLayout,
    /** Shared by every instance of this collection on the connection. */
    readonly docs: DocumentCache,
    private readonly onRebuild: (progress: TableRebuildProgress) => void = () => undefined,
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

  /**
   * Creates the tables on first use; on an existing table, checks that it has the key
   * columns of this schema, and rebuilds a table made before the compact keys.
   */
  ensureCreated(): void {
    const { docsTableName, attachmentsTableName, hasAttachments } = this.layout;
    const exists = (name: string) =>
      this.conn.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", 'pluck').get(name) === 1;
    const docsTableExists = exists(docsTableName);
    if (docsTableExists) {
      const columns = new Set(this.conn.prepare('SELECT name FROM pragma_table_info(?)', 'pluck').all(docsTableName) as string[]);
      const missing = expectedKeyColumnNames(this.layout).filter((c) => !columns.has(c));
      const legacy = expectedKeyColumnNames(this.layout, LEGACY_KEY_PREFIX);
      if (missing.length > 0 && missing.length === this.layout.keyColumns.length && legacy.every((c) => columns.has(c))) {
        this.rebuildWithCompactKeys();
      } else if (missing.length > 0) {
        throw new Error(
          `rxstorage-better-sqlite3: table ${docsTableName} exists without the key columns ${missing.join(' | ')}; ` +
            'the indexes of a schema must not change without a new schema version',
        );
      }
    }
    if (!docsTableExists || (hasAttachments && !exists(attachmentsTableName))) {
      const ddl = createTablesSql(this.layout);
      this.withoutCommitSync(() => this.db.transaction(() => this.db.exec(ddl))());
    }
  }

  /**
   * Copies a table whose key columns hold RxDB's padded index strings into one with
   * compact keys (computed from each stored document), in one write transaction: the
   * app sees the old table or the new one, never half of it. Indexes are built after
   * the copy (one sort each, much faster than growing them row by row).
   */
  private rebuildWithCompactKeys(): void {
    const { docsTable, docsTableName } = this.layout;
    const next = quoteIdentifier(docsTableName + '__rebuild');
    const keyColumns = this.keyColumns;
    const primaryPath = this.layout.primaryPath;
    this.conn.writeTransaction(() => {
      // Another process may have rebuilt it while this one waited for the lock.
      const columns = this.conn.prepare('SELECT name FROM pragma_table_info(?)', 'pluck').all(docsTableName) as string[];
      if (!columns.includes(LEGACY_KEY_PREFIX + (keyColumns[0] as KeyColumn).indexName)) return;
      const total = this.db.prepare(`SELECT count(*) FROM ${docsTable}`).pluck().get() as number;
      this.onRebuild({ table: docsTableName, phase: 'rows', done: 0, total });
      this.db.exec(`DROP TABLE IF EXISTS ${next}; ${createDocsTableSql(this.layout, next)}`);
      const cols = ['id', 'lwt', 'deleted', ...keyColumns.map((k) => k.column), 'data'];
      const insert = this.db.prepare(`INSERT INTO ${next} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      const page = this.db.prepare(`SELECT rowid, id, lwt, deleted, data FROM ${docsTable} WHERE rowid > ? ORDER BY rowid LIMIT 5000`).raw();
      let done = 0;
      let after = -Infinity;
      for (;;) {
        const rows = page.all(after) as [number, string, number, number, string][];
        if (rows.length === 0) break;
        for (const [rowid, id, lwt, deleted, data] of rows) {
          const doc = JSON.parse(data) as AnyDoc;
          if (toSqliteKey(doc[primaryPath] as string) !== id) throw new Error(`rxstorage-better-sqlite3: ${docsTableName}: row ${rowid} holds another document than its id`);
          const params: unknown[] = [id, lwt, deleted];
          for (const k of keyColumns) params.push(k.key(doc));
          params.push(data);
          insert.run(params);
          after = rowid;
        }
        done += rows.length;
        this.onRebuild({ table: docsTableName, phase: 'rows', done, total });
      }
      this.db.exec(`DROP TABLE ${docsTable}; ALTER TABLE ${next} RENAME TO ${docsTable};`);
      // The indexes take longer than the copy on a big table: each one is a step of its own.
      // (A missing attachments table is made by ensureCreated() after this.)
      const indexes = createIndexStatements(this.layout);
      indexes.forEach((sql, i) => {
        this.db.exec(sql);
        this.onRebuild({ table: docsTableName, phase: 'indexes', done: i + 1, total: indexes.length });
      });
    });
    this.conn.clearStatements();
    this.docs.clear();
  }

  /**
   * Runs `fn` with synchronous=NORMAL instead of FULL/EXTRA: its commits are
   * not fsync'ed on their own. Only for creating empty tables: losing that
   * commit in a power cut is harmless (the next open creates them again), and
   * it cannot be lost without losing everything after it, because the WAL is
   * append-only and the next FULL commit's fsync of the WAL makes all earlier
   * frames durable too. NORMAL never risks corruption in WAL mode. Saves one
   * fsync per new collection when a database is created.
   */
  private withoutCommitSync(fn: () => void): void {
    const level = this.db.pragma('synchronous', { simple: true }) as number;
    if (level < 2 || this.db.inTransaction) {
      fn();
      return;
    }
    this.db.pragma('synchronous = NORMAL');
    try {
      fn();
    } finally {
      this.db.pragma(`synchronous = ${level}`);
    }
  }

  drop(): void {
    this.docs.clear();
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${this.layout.docsTable}; DROP TABLE IF EXISTS ${this.layout.attachmentsTable};`);
    })();
    this.conn.clearStatements();
  }

  // ---- documents -------------------------------------------------------

  /**
   * The documents with the given ids (any order, missing ids skipped). Cached
   * documents cost no SQL; the others are read in chunks and cached.
   */
  readDocsByIds<T>(ids: readonly string[], withDeleted: boolean, idsAreUnique = false): RxDocumentData<T>[] {
    const docs = this.docs;
    const out: RxDocumentData<T>[] = [];
    if (docs.size === 0) {
      // Nothing cached (a collection just opened): straight to SQL, no lookups.
      const keys = new Array<string>(ids.length);
      for (let i = 0; i < ids.length; i++) keys[i] = toSqliteKey(ids[i] as string);
      this.readMissing(keys, withDeleted, out);
      return out;
    }
    let missing: string[] | undefined;
    // An id named twice comes back once, as from SQL's IN (...).
    const unique = ids.length > 1 && !idsAreUnique ? new Set(ids) : ids;
    for (const id of unique) {
      const key = toSqliteKey(id);
      const cached = docs.get<T>(key);
      if (cached === undefined) (missing ??= []).push(key);
      else if (withDeleted || !cached._deleted) out.push(cached);
    }
    if (missing) this.readMissing(missing, withDeleted, out);
    return out;
  }

  private readMissing<T>(keys: string[], withDeleted: boolean, out: RxDocumentData<T>[]): void {
    const filter = withDeleted ? '' : ' AND deleted = 0';
    const store = !this.db.inTransaction;
    const primaryPath = this.layout.primaryPath;
    for (let start = 0; start < keys.length; start += MAX_IDS_PER_STATEMENT) {
      const chunkLength = Math.min(MAX_IDS_PER_STATEMENT, keys.length - start);
      const bucket = ID_BUCKETS.find((b) => b >= chunkLength) as number;
      const params = new Array<string>(bucket);
      for (let i = 0; i < bucket; i++) params[i] = keys[start + Math.min(i, chunkLength - 1)] as string;
      const placeholders = bucket === 1 ? '?' : '?,'.repeat(bucket - 1) + '?';
      // JSON alone: the key and lwt come from the document (cheaper than fetching the id string).
      const stmt = this.conn.prepare(
        `SELECT data FROM ${this.layout.docsTable} WHERE id IN (${placeholders})${filter}`,
        'pluck',
      );
      const rows = stmt.all(params) as string[];
      for (let i = 0; i < rows.length; i++) {
        const doc = JSON.parse(rows[i] as string) as AnyDoc;
        // Only uncached ids are read here.
        out.push(this.docs.adopt<T>(toSqliteKey(doc[primaryPath] as string), doc._meta.lwt, doc, store, 'absent'));
      }
    }
  }

  /** A decoder for the rows of one range read (see RangeDecoder); `signature` names the range read. */
  rangeDecoder(store: boolean, signature?: string): RangeDecoder {
    return new RangeDecoder(this.docs, this.layout.primaryPath, store, signature);
  }

  /** Whether documents read now may be cached: not while a transaction (which may roll back) is open. */
  get mayCacheReads(): boolean {
    return !this.db.inTransaction;
  }

  private rowParams(doc: AnyDoc): unknown[] {
    const keyColumns = this.keyColumns;
    const params = new Array<unknown>(keyColumns.length + 4);
    params[0] = toSqliteKey(doc[this.layout.primaryPath] as string);
    params[1] = doc._meta.lwt;
    params[2] = doc._deleted ? 1 : 0;
    for (let i = 0; i < keyColumns.length; i++) {
      params[i + 3] = (keyColumns[i] as KeyColumn).key(doc);
    }
    params[keyColumns.length + 3] = JSON.stringify(doc);
    return params;
  }

  /**
   * Inserts or updates the row of a document and drops its cache entry (the
   * transaction may still roll back); adds what to cache after COMMIT to
   * `written` unless that is undefined (nothing will be cached).
   */
  write(doc: AnyDoc, isInsert: boolean, written: WrittenEntry[] | undefined): void {
    const params = this.rowParams(doc);
    const key = params[0] as string;
    if (this.docs.size > 0) this.docs.delete(key);
    if (written) written.push({ key, lwt: params[1] as number, json: params[params.length - 1] as string });
    if (isInsert) {
      this.conn.prepare(this.insertSql).run(params);
    } else {
      params.push(params.shift());
      this.conn.prepare(this.updateSql).run(params);
    }
  }

  /** Caches committed writes (called after a top-level COMMIT only). */
  cacheWritten(entries: readonly WrittenEntry[]): void {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as WrittenEntry;
      this.docs.putWritten(entry.key, entry.lwt, entry.json);
    }
  }

  // ---- ranges over a key column ----------------------------------------

  private rangeWhere(keyColumn: KeyColumn, bounds: RangeBounds): string {
    const c = keyColumn.column;
    return `${c} ${bounds.inclusiveStart ? '>=' : '>'} ? AND ${c} ${bounds.inclusiveEnd ? '<=' : '<'} ?`;
  }

  /** Rows in key order, lazily (stop iterating to stop reading); `keyed`: (id, lwt, data), else the JSON. */
  iterateRange(keyColumn: KeyColumn, bounds: RangeBounds, keyed: boolean): IterableIterator<RangeRow> {
    const stmt = this.conn.prepare(
      `SELECT ${keyed ? 'id, lwt, data' : 'data'} FROM ${this.layout.docsTable} WHERE ${this.rangeWhere(keyColumn, bounds)} ` +
        `ORDER BY ${keyColumn.column}`,
      keyed ? 'raw' : 'pluck',
    );
    return stmt.iterate(bounds.lower, bounds.upper) as IterableIterator<RangeRow>;
  }

  /** Rows in key order with SQL LIMIT/OFFSET (limit < 0 means no limit); `keyed` as in iterateRange(). */
  selectRange(keyColumn: KeyColumn, bounds: RangeBounds, limit: number, offset: number, keyed: boolean): RangeRow[] {
    const stmt = this.conn.prepare(
      `SELECT ${keyed ? 'id, lwt, data' : 'data'} FROM ${this.layout.docsTable} WHERE ${this.rangeWhere(keyColumn, bounds)} ` +
        `ORDER BY ${keyColumn.column} LIMIT ? OFFSET ?`,
      keyed ? 'raw' : 'pluck',
    );
    return stmt.all(bounds.lower, bounds.upper, limit, offset) as RangeRow[];
  }

  /**
   * The documents of a range with SQL LIMIT/OFFSET when most are expected to
   * be cached: reads (id, lwt) only, takes cached versions, and fetches the
   * JSON of the others by id, all in one read snapshot. Skipping the JSON of
   * cached rows matters: creating those strings costs more than stepping the
   * rows (about 1.5 ms against 0.5 ms for 750 rows).
   */
  selectRangeCached<T>(
    keyColumn: KeyColumn,
    bounds: RangeBounds,
    limit: number,
    offset: number,
    decoder: RangeDecoder,
  ): RxDocumentData<T>[] {
    const t = this.layout.docsTable;
    const keysSql = `SELECT id, lwt FROM ${t} WHERE ${this.rangeWhere(keyColumn, bounds)} ORDER BY ${keyColumn.column} LIMIT ? OFFSET ?`;
    return this.conn.readTransaction(() => {
      const rows = this.conn.prepare(keysSql, 'raw').all(bounds.lower, bounds.upper, limit, offset) as [string, number][];
      const out = new Array<RxDocumentData<T>>(rows.length);
      let missing: number[] | undefined;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as [string, number];
        const cached = decoder.cached<T>(row[0], row[1]);
        if (cached !== undefined) out[i] = cached;
        else (missing ??= []).push(i);
      }
      if (!missing) return out;
      const jsonByKey = new Map<string, string>();
      for (let start = 0; start < missing.length; start += MAX_IDS_PER_STATEMENT) {
        const chunk = missing.slice(start, start + MAX_IDS_PER_STATEMENT);
        const stmt = this.conn.prepare(`SELECT id, data FROM ${t} WHERE id IN (${'?,'.repeat(chunk.length - 1)}?)`, 'raw');
        for (const [key, json] of stmt.all(chunk.map((i) => (rows[i] as [string, number])[0])) as [string, string][]) {
          jsonByKey.set(key, json);
        }
      }
      for (const i of missing) {
        const [key, lwt] = rows[i] as [string, number];
        // Same snapshot: the row is there.
        out[i] = decoder.decodeRow<T>(key, lwt, jsonByKey.get(key) as string);
      }
      return out;
    });
  }

  countRange(keyColumn: KeyColumn, bounds: RangeBounds): number {
    const stmt = this.conn.prepare(
      `SELECT count(*) FROM ${this.layout.docsTable} WHERE ${this.rangeWhere(keyColumn, bounds)}`,
      'pluck',
    );
    return stmt.get(bounds.lower, bounds.upper) as number;
  }

  /** Every row, for queries whose plan names an index this table does not have; `keyed` as in iterateRange(). */
  iterateAll(keyed: boolean): IterableIterator<RangeRow> {
    return this.conn
      .prepare(`SELECT ${keyed ? 'id, lwt, data' : 'data'} FROM ${this.layout.docsTable} ORDER BY id`, keyed ? 'raw' : 'pluck')
      .iterate() as IterableIterator<RangeRow>;
  }

  // ---- changes and tombstones ------------------------------------------

  /** Rows written after the checkpoint, ordered by (lwt, id); `keyed` as in iterateRange(). */
  readChangesSince(limit: number, checkpoint: RxStorageDefaultCheckpoint | undefined, keyed: boolean): RangeRow[] {
    const t = this.layout.docsTable;
    const columns = keyed ? 'id, lwt, data' : 'data';
    const mode = keyed ? 'raw' : 'pluck';
    if (!checkpoint) {
      return this.conn.prepare(`SELECT ${columns} FROM ${t} ORDER BY lwt, id LIMIT ?`, mode).all(limit) as RangeRow[];
    }
    return this.conn
      .prepare(`SELECT ${columns} FROM ${t} WHERE (lwt, id) > (?, ?) ORDER BY lwt, id LIMIT ?`, mode)
      .all(checkpoint.lwt, toSqliteKey(checkpoint.id), limit) as RangeRow[];
  }

  /** Deletes tombstones with lwt <= maxLwt (and their attachments); returns how many. */
  purgeTombstones(maxLwt: number): number {
    const t = this.layout.docsTable;
    // Rare: forget every cached document rather than track which ones were purged.
    this.docs.clear();
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

/**
 * Turns the rows of one range read into documents: the cached version when
 * the row's (id, lwt) is cached, else JSON.parse (cached when `store`). Rows
 * are keyed or JSON alone (DocumentCache.preferKeyedRange()); JSON rows find
 * their key in the document. Counts hits; call finish() when the read is done.
 */
export class RangeDecoder {
  readonly keyed: boolean;
  private rows = 0;
  private hits = 0;

  constructor(
    private readonly docs: DocumentCache,
    private readonly primaryPath: string,
    private readonly store: boolean,
    private readonly signature?: string,
  ) {
    this.keyed = docs.preferKeyedRange(signature);
  }

  toDoc<T>(row: RangeRow, store = this.store): RxDocumentData<T> {
    this.rows++;
    const docs = this.docs;
    if (typeof row !== 'string') {
      const cached = docs.getVersion<T>(row[0], row[1]);
      if (cached !== undefined) {
        this.hits++;
        return cached;
      }
      return docs.decode<T>(row[0], row[1], row[2], store);
    }
    const doc = JSON.parse(row) as AnyDoc;
    const resolved = docs.resolve<T>(toSqliteKey(doc[this.primaryPath] as string), doc._meta.lwt, doc, store);
    if (docs.lastWasHit) this.hits++;
    return resolved;
  }

  /** For keyed rows read without their JSON: the cached version, counted as a hit, or undefined. */
  cached<T>(key: string, lwt: number): RxDocumentData<T> | undefined {
    this.rows++;
    const cached = this.docs.getVersion<T>(key, lwt);
    if (cached !== undefined) this.hits++;
    return cached;
  }

  /** Decodes the JSON of a row cached() did not find (already counted). */
  decodeRow<T>(key: string, lwt: number, json: string): RxDocumentData<T> {
    return this.docs.decode<T>(key, lwt, json, this.store);
  }

  /** Caches a document returned by toDoc(row, false) once it is known to be handed out. */
  keep(doc: RxDocumentData<unknown>): void {
    if (this.store) this.docs.cacheDecoded(toSqliteKey((doc as AnyDoc)[this.primaryPath] as string), doc._meta.lwt, doc);
  }

  finish(): void {
    this.docs.noteRangeRead(this.rows, this.hits, this.store ? this.signature : undefined);
  }
}
