/**
 * How one collection (at one schema version) is laid out in SQLite:
 *
 *   rxdocs__<collection>__v<version>
 *     id       TEXT PRIMARY KEY  -- primary key, order-preserving encoded (key-encoding.ts)
 *     lwt      REAL              -- _meta.lwt, for getChangedDocumentsSince() and cleanup()
 *     deleted  INTEGER           -- _deleted as 0/1
 *     "ckey:<index fields>" TEXT -- one per RxDB index: its compact key (index-key.ts)
 *     data     TEXT              -- the exact document as JSON
 *   indexes: one per key column, (lwt, id), and (lwt) WHERE deleted = 1 (tombstones)
 *   (tables made before the compact keys have "key:<fields>" columns holding RxDB's
 *   padded index strings; CollectionTable.ensureCreated() rebuilds them)
 *
 *   rxatt__<collection>__v<version> (only for schemas with attachments)
 *     doc_id, attachment_id, digest, type, data BLOB
 */
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { getPrimaryFieldOfPrimaryKey } from 'rxdb';
import { indexKeyFunction, lowerBoundKey, upperBoundKey, type BoundValue } from './index-key';

export type KeyColumn = {
  /** RxDB index fields, e.g. ['_deleted', 'deviceId', 'createdAt', 'id']. */
  readonly fields: readonly string[];
  /** `fields.join(',')`, how query plans are matched to columns. */
  readonly indexName: string;
  /** Quoted column identifier. */
  readonly column: string;
  /** The stored key of a document for this index (index-key.ts), ready for SQLite. */
  readonly key: (doc: RxDocumentData<unknown>) => string;
  /** Range scan bounds from the query planner's startKeys / endKeys (INDEX_MIN / INDEX_MAX allowed). */
  readonly lower: (values: readonly BoundValue[]) => string;
  readonly upper: (values: readonly BoundValue[]) => string;
};

/** Column name prefix of the key columns; `LEGACY_KEY_PREFIX` columns held RxDB's padded strings. */
export const KEY_PREFIX = 'ckey:';
export const LEGACY_KEY_PREFIX = 'key:';

export type TableLayout = {
  readonly primaryPath: string;
  readonly docsTableName: string;
  readonly attachmentsTableName: string;
  /** Quoted identifiers. */
  readonly docsTable: string;
  readonly attachmentsTable: string;
  readonly hasAttachments: boolean;
  readonly keyColumns: readonly KeyColumn[];
  readonly keyColumnByIndexName: ReadonlyMap<string, KeyColumn>;
};

export function quoteIdentifier(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

export function docsTableNameOf(collectionName: string, schemaVersion: number): string {
  return `rxdocs__${collectionName}__v${schemaVersion}`;
}

export function getTableLayout<RxDocType>(
  collectionName: string,
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
): TableLayout {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const docsTableName = docsTableNameOf(collectionName, schema.version);
  const attachmentsTableName = `rxatt__${collectionName}__v${schema.version}`;
  const keyColumns: KeyColumn[] = [];
  const keyColumnByIndexName = new Map<string, KeyColumn>();
  for (const index of schema.indexes ?? []) {
    const fields = (Array.isArray(index) ? index : [index]) as string[];
    const indexName = fields.join(',');
    if (keyColumnByIndexName.has(indexName)) continue;
    const anySchema = schema as RxJsonSchema<RxDocumentData<unknown>>;
    const keyColumn: KeyColumn = {
      fields,
      indexName,
      column: quoteIdentifier(KEY_PREFIX + indexName),
      key: indexKeyFunction(anySchema, fields),
      lower: (values) => lowerBoundKey(anySchema, fields, values),
      upper: (values) => upperBoundKey(anySchema, fields, values),
    };
    keyColumns.push(keyColumn);
    keyColumnByIndexName.set(indexName, keyColumn);
  }
  return {
    primaryPath,
    docsTableName,
    attachmentsTableName,
    docsTable: quoteIdentifier(docsTableName),
    attachmentsTable: quoteIdentifier(attachmentsTableName),
    hasAttachments: !!schema.attachments,
    keyColumns,
    keyColumnByIndexName,
  };
}

/** CREATE TABLE of the documents table, under another name when given (a rebuild). */
export function createDocsTableSql(layout: TableLayout, table = layout.docsTable): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${table} (` +
    ['id TEXT NOT NULL PRIMARY KEY', 'lwt REAL NOT NULL', 'deleted INTEGER NOT NULL']
      .concat(layout.keyColumns.map((k) => `${k.column} TEXT NOT NULL`))
      .concat(['data TEXT NOT NULL'])
      .join(', ') +
    ');'
  );
}

/** CREATE INDEX statements of the documents table (idempotent), one per index. */
export function createIndexStatements(layout: TableLayout): string[] {
  const t = layout.docsTable;
  const n = layout.docsTableName;
  return [
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(n + ':lwt,id')} ON ${t} (lwt, id);`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(n + ':tombstones')} ON ${t} (lwt) WHERE deleted = 1;`,
    ...layout.keyColumns.map(
      (k) => `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(n + ':' + k.indexName)} ON ${t} (${k.column});`,
    ),
  ];
}

/** DDL creating the tables and indexes of a layout (idempotent). */
export function createTablesSql(layout: TableLayout): string {
  const lines = [createDocsTableSql(layout), ...createIndexStatements(layout)];
  if (layout.hasAttachments) {
    lines.push(
      `CREATE TABLE IF NOT EXISTS ${layout.attachmentsTable} (` +
        'doc_id TEXT NOT NULL, attachment_id TEXT NOT NULL, digest TEXT NOT NULL, type TEXT NOT NULL, ' +
        'data BLOB NOT NULL, PRIMARY KEY (doc_id, attachment_id));',
    );
  }
  return lines.join('\n');
}

/** Names of the key columns a layout expects, unquoted ('ckey:...'), or with the legacy prefix. */
export function expectedKeyColumnNames(layout: TableLayout, prefix = KEY_PREFIX): string[] {
  return layout.keyColumns.map((k) => prefix + k.indexName);
}
