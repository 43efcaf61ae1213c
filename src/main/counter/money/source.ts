// Fast, synchronous reads of a collection's documents by one of its RxDB indexes,
// straight from the store's SQLite file (read only; never write the rxdocs tables).
//
// Why: write hooks run synchronously inside the storage's transaction and cannot use
// RxDB's async queries; rebuilds, day closes and exports read hundreds of thousands of
// plain JSON documents, where RxDB documents would cost memory and time.
//
// The storage keeps, per RxDB index [f1, f2, ...], a key column "ckey:_deleted,f1,f2,...,id"
// that sorts like RxDB's index string (see rxstorage-better-sqlite3/table-layout.ts). A
// range over a prefix of the index is turned into bounds by the same column functions
// the storage's own query planner uses, so the rows are the ones RxDB would return, in
// index order. Tombstones are excluded.
import type Database from 'better-sqlite3';
import type { RxCollection } from 'rxdb';
import { INDEX_MAX, INDEX_MIN } from 'rxdb';
import { getTableLayout, type KeyColumn } from '../../store/rxstorage-better-sqlite3/table-layout';

type Bound = string | number | boolean;

export interface KeyedRow<T> {
  key: string;
  doc: T;
}

export class SourceIndex<T extends { id: string }> {
  readonly table: string;
  readonly column: string;
  private readonly fields: string[];
  private readonly keyColumn: KeyColumn;
  private readonly stmts = new Map<string, Database.Statement>();

  /** `fields`: the index as the schema lists it (e.g. ['day', 'createdAt']). */
  constructor(
    private readonly sqlite: Database.Database,
    collection: RxCollection,
    indexFields: readonly string[],
  ) {
    const schema = collection.schema.jsonSchema;
    this.fields = ['_deleted', ...indexFields, schema.primaryKey as string];
    const layout = getTableLayout(collection.name, schema);
    const keyColumn = layout.keyColumnByIndexName.get(this.fields.join(','));
    if (!keyColumn) throw new Error(`source index: ${layout.docsTableName} has no index [${this.fields.join(', ')}]`);
    this.keyColumn = keyColumn;
    this.table = layout.docsTable;
    this.column = keyColumn.column;
  }

  /** Bounds for documents whose index fields start with `from` ... `to` (inclusive, prefix match). */
  bounds(from: readonly Bound[], to: readonly Bound[] = from): { lower: string; upper: string } {
    const pad = (n: number, v: Bound) => Array.from({ length: n }, () => v);
    const rest = this.fields.length - 1;
    const lowerValues: Bound[] = [false, ...from, ...pad(rest - from.length, INDEX_MIN)];
    const upperValues: Bound[] = [false, ...to, ...pad(rest - to.length, INDEX_MAX)];
    return {
      lower: this.keyColumn.lower(lowerValues),
      upper: this.keyColumn.upper(upperValues),
    };
  }

  /** Every live document in the prefix range, in index order. Use for bounded sets (a day, a customer). */
  all(from: readonly Bound[], to: readonly Bound[] = from): T[] {
    const { lower, upper } = this.bounds(from, to);
    const rows = this.stmt('all', `SELECT data FROM ${this.table} WHERE ${this.column} >= ? AND ${this.column} <= ? ORDER BY ${this.column}`).all(lower, upper) as {
      data: string;
    }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  }

  /** One page of the range after `afterKey` (exclusive; '' = from the start), for paging across awaits. */
  page(from: readonly Bound[], to: readonly Bound[], afterKey: string, limit: number): KeyedRow<T>[] {
    const { lower, upper } = this.bounds(from, to);
    const start = afterKey > lower ? afterKey : lower;
    const op = afterKey > lower ? '>' : '>=';
    const sql = `SELECT ${this.column} AS key, data FROM ${this.table} WHERE ${this.column} ${op} ? AND ${this.column} <= ? ORDER BY ${this.column} LIMIT ?`;
    const rows = this.stmt(`page${op}`, sql).all(start, upper, limit) as { key: string; data: string }[];
    return rows.map((r) => ({ key: r.key, doc: JSON.parse(r.data) as T }));
  }

  count(from: readonly Bound[], to: readonly Bound[] = from): number {
    const { lower, upper } = this.bounds(from, to);
    return (this.stmt('count', `SELECT COUNT(*) AS n FROM ${this.table} WHERE ${this.column} >= ? AND ${this.column} <= ?`).get(lower, upper) as { n: number }).n;
  }

  /**
   * The value of the index's first field on the first live document after the prefix
   * `after` (undefined = from the start), or undefined when there is none. Skips from
   * one distinct value to the next with index seeks (days, customers).
   */
  nextValue(after: string | undefined, field: string): string | undefined {
    const lower = after === undefined ? this.bounds([]).lower : this.bounds([after]).upper;
    const op = after === undefined ? '>=' : '>';
    const { upper } = this.bounds([]);
    const row = this.stmt(`next${op}`, `SELECT data FROM ${this.table} WHERE ${this.column} ${op} ? AND ${this.column} <= ? ORDER BY ${this.column} LIMIT 1`).get(lower, upper) as
      | { data: string }
      | undefined;
    if (!row) return undefined;
    return String((JSON.parse(row.data) as Record<string, unknown>)[field]);
  }

  private stmt(name: string, sql: string): Database.Statement {
    let s = this.stmts.get(name);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.stmts.set(name, s);
    }
    return s;
  }
}
