// Newest-first reads over an RxDB index, straight from the store's SQLite table.
//
// RxDB's query planner never uses an index for a descending sort: it loads the whole
// range and sorts it in JavaScript, which on a device with a million sales is the whole
// history. The storage keeps each RxDB index as a TEXT key column that sorts like RxDB's
// own index string (see ../../store/rxstorage-better-sqlite3/README.md), so a descending
// range scan on that column with LIMIT gives the same order as RxDB's ascending one,
// reversed, in a few milliseconds. Read-only: writes still go through the write path.
import type Database from 'better-sqlite3';
import type { RxCollection, RxDocumentData, RxJsonSchema } from 'rxdb';
import { INDEX_MAX, INDEX_MIN } from 'rxdb';
import { getTableLayout, type KeyColumn } from '../../store/rxstorage-better-sqlite3/table-layout';

type AnyDoc = Record<string, unknown>;

/** Position after which the next page starts: the last row's sort value and id. */
export interface Position {
  value: number;
  id: string;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.value, p.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Position | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string' && v[1].length <= 40) return { value: v[0] as number, id: v[1] };
  } catch {
    // fall through
  }
  return null;
}

/** Drops RxDB's internal fields (_meta, _rev, _attachments, _deleted). */
export function plain<T>(doc: AnyDoc): T {
  const out: AnyDoc = {};
  for (const k of Object.keys(doc)) if (k[0] !== '_') out[k] = doc[k];
  return out as T;
}

/**
 * Descending scans over one index of a collection whose fields are
 * `[...equalityFields, sortField]` (RxDB fills in `_deleted` first and the primary key last).
 */
export class DescendingIndex<T> {
  private readonly fields: string[];
  private readonly column: KeyColumn;
  private readonly table: string;

  constructor(
    private readonly sqlite: Database.Database,
    collection: RxCollection,
    private readonly equalityFields: readonly string[],
    private readonly sortField: string,
  ) {
    const schema = collection.schema.jsonSchema as unknown as RxJsonSchema<RxDocumentData<AnyDoc>>;
    const primary = collection.schema.primaryPath as string;
    const wanted = ['_deleted', ...equalityFields, sortField, primary].join(',');
    const layout = getTableLayout(collection.name, schema);
    const column = layout.keyColumnByIndexName.get(wanted);
    if (!column) throw new Error(`${collection.name} has no index [${equalityFields.join(', ')}, ${sortField}]`);
    this.column = column;
    this.fields = column.fields as string[];
    this.table = layout.docsTable;
  }

  /**
   * Documents with the given equality values, newest (largest sort value) first,
   * strictly after `after` when given. `accept` filters in JS; reading stops after
   * `limit` accepted documents (and one more, to tell whether there is a next page).
   */
  page(equal: readonly (string | number | boolean)[], options: { limit: number; after?: Position | null; accept?: (doc: T) => boolean }): { items: T[]; next: Position | null } {
    const lowerKeys: (string | number | boolean)[] = [false, ...equal, INDEX_MIN, INDEX_MIN];
    const upperKeys: (string | number | boolean)[] = [false, ...equal, INDEX_MAX, INDEX_MAX];
    const lower = this.column.lower(lowerKeys);
    let upper: string;
    let inclusiveUpper = true;
    if (options.after) {
      const probe: AnyDoc = { _deleted: false, [this.sortField]: options.after.value, [this.fields[this.fields.length - 1]!]: options.after.id };
      this.equalityFields.forEach((f, i) => (probe[f] = equal[i]));
      upper = this.column.key(probe as RxDocumentData<AnyDoc>);
      inclusiveUpper = false;
    } else {
      upper = this.column.upper(upperKeys);
    }
    const c = this.column.column;
    const sql = `SELECT data FROM ${this.table} WHERE ${c} >= ? AND ${c} ${inclusiveUpper ? '<=' : '<'} ? ORDER BY ${c} DESC`;
    const stmt = this.statement(sql);
    const items: T[] = [];
    let hasMore = false;
    for (const json of stmt.iterate(lower, upper) as IterableIterator<string>) {
      const doc = plain<T>(JSON.parse(json) as AnyDoc);
      if (options.accept && !options.accept(doc)) continue;
      if (items.length === options.limit) {
        hasMore = true;
        break;
      }
      items.push(doc);
    }
    const last = items[items.length - 1] as AnyDoc | undefined;
    const primary = this.fields[this.fields.length - 1]!;
    return { items, next: hasMore && last ? { value: last[this.sortField] as number, id: last[primary] as string } : null };
  }

  private readonly statements = new Map<string, Database.Statement>();
  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql).pluck();
      this.statements.set(sql, s);
    }
    return s;
  }
}
