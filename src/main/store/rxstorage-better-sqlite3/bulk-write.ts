/**
 * bulkWrite(): conflict detection and the writes of one call, all inside one
 * SQLite write transaction.
 *
 * The stored state of the touched documents is read inside the transaction,
 * RxDB's own categorizeBulkWriteRows() decides inserts, updates, 409
 * conflicts (with documentInDb) and the change events, then the rows and
 * attachments are written and the write hooks run. If a call names the same
 * document twice, the rows are applied in passes so the later row sees the
 * earlier one (and conflicts with it unless it names it as `previous`).
 */
import type Database from 'better-sqlite3';
import type {
  BulkWriteRow,
  CategorizeBulkWriteRowsOutput,
  RxDocumentData,
  RxStorageInstance,
} from 'rxdb';
import { categorizeBulkWriteRows } from 'rxdb';
import type { AttachmentPayload } from './attachments';
import type { CollectionTable, WrittenEntry } from './collection-table';

/** What a write hook sees; see `addWriteHook()` in storage.ts. */
export type WriteHookEvent = {
  /** The shared connection; the hook runs inside the open write transaction. */
  readonly db: Database.Database;
  readonly databaseName: string;
  readonly collectionName: string;
  readonly schemaVersion: number;
  /** The bulkWrite context string RxDB passed (e.g. 'rx-collection-bulk-insert'). */
  readonly context: string;
  /** Every row that was written (inserts have no `previous`); conflicting rows are not included. */
  readonly writes: readonly WrittenRow[];
};

export type StoredDocument = RxDocumentData<Record<string, unknown>>;
export type WrittenRow = { readonly document: StoredDocument; readonly previous?: StoredDocument };

export type WriteHook = (event: WriteHookEvent) => void;

type AnyDoc = RxDocumentData<Record<string, unknown>>;

export type BulkWriteJob<RxDocType> = {
  table: CollectionTable;
  instance: RxStorageInstance<RxDocType, unknown, unknown>;
  rows: BulkWriteRow<RxDocType>[];
  context: string;
  payloads: Map<AttachmentPayload, Buffer> | undefined;
  hooks: ReadonlySet<WriteHook>;
  databaseName: string;
};

export function runBulkWrite<RxDocType>(job: BulkWriteJob<RxDocType>): CategorizeBulkWriteRowsOutput<RxDocType> {
  const { table } = job;
  // Nested in a transaction somebody else opened (the app's write path): that one may still roll back,
  // so nothing is cached. Large imports (a sync pull, a seed) are not cached either: they would only
  // evict what is being read and pin their JSON in memory.
  const topLevel = !table.db.inTransaction;
  const written: WrittenEntry[] | undefined = topLevel && job.rows.length <= table.docs.maxEntries / 10 ? [] : undefined;
  const result = table.conn.writeTransaction(() => {
    // Holding the write lock now: drop cached documents if another process committed meanwhile.
    table.conn.syncExternalWrites();
    const passes = splitIntoPasses(job.rows, table.layout.primaryPath);
    let result = writePass(job, passes[0] as BulkWriteRow<RxDocType>[], written);
    for (let i = 1; i < passes.length; i++) {
      result = mergeCategorized(result, writePass(job, passes[i] as BulkWriteRow<RxDocType>[], written));
    }
    if (job.hooks.size > 0) {
      const writes = (result.bulkInsertDocs as unknown as WrittenRow[]).concat(result.bulkUpdateDocs as unknown as WrittenRow[]);
      if (writes.length > 0) {
        const event: WriteHookEvent = {
          db: table.db,
          databaseName: job.databaseName,
          collectionName: job.instance.collectionName,
          schemaVersion: job.instance.schema.version,
          context: job.context,
          writes,
        };
        for (const hook of job.hooks) hook(event);
      }
    }
    return result;
  });
  // Committed (a rollback threw above and left only cache misses).
  if (written) table.cacheWritten(written);
  return result;
}

function writePass<RxDocType>(
  job: BulkWriteJob<RxDocType>,
  rows: BulkWriteRow<RxDocType>[],
  written: WrittenEntry[] | undefined,
): CategorizeBulkWriteRowsOutput<RxDocType> {
  const { table } = job;
  const primaryPath = table.layout.primaryPath;
  const ids = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    ids[i] = (rows[i] as BulkWriteRow<RxDocType>).document[primaryPath as keyof RxDocType] as string;
  }
  const docsInDb = new Map<string, RxDocumentData<RxDocType>>();
  // splitIntoPasses() leaves no id twice in a pass.
  for (const doc of table.readDocsByIds<RxDocType>(ids, true, true)) {
    docsInDb.set(doc[primaryPath as keyof RxDocType] as string, doc);
  }
  const categorized = categorizeBulkWriteRows<RxDocType>(job.instance, primaryPath as never, docsInDb, rows, job.context);
  for (const row of categorized.bulkInsertDocs) table.write(row.document as AnyDoc, true, written);
  for (const row of categorized.bulkUpdateDocs) table.write(row.document as AnyDoc, false, written);
  if (table.layout.hasAttachments) {
    for (const att of categorized.attachmentsAdd.concat(categorized.attachmentsUpdate)) {
      const data = job.payloads?.get(att.attachmentData.data as AttachmentPayload);
      if (!data) throw new Error(`rxstorage-better-sqlite3: attachment data of ${att.documentId}/${att.attachmentId} missing`);
      table.putAttachment(att.documentId, att.attachmentId, att.digest, att.attachmentData.type, data);
    }
    for (const att of categorized.attachmentsRemove) table.deleteAttachment(att.documentId, att.attachmentId);
  }
  return categorized;
}

/** Rows in input order, split so that no pass names a document twice (usually one pass). */
function splitIntoPasses<RxDocType>(rows: BulkWriteRow<RxDocType>[], primaryPath: string): BulkWriteRow<RxDocType>[][] {
  const seen = new Map<string, number>();
  let duplicates = false;
  for (const row of rows) {
    const id = row.document[primaryPath as keyof RxDocType] as string;
    const n = seen.get(id) ?? 0;
    if (n > 0) duplicates = true;
    seen.set(id, n + 1);
  }
  if (!duplicates) return [rows];
  const passes: BulkWriteRow<RxDocType>[][] = [];
  const occurrence = new Map<string, number>();
  for (const row of rows) {
    const id = row.document[primaryPath as keyof RxDocType] as string;
    const n = occurrence.get(id) ?? 0;
    occurrence.set(id, n + 1);
    (passes[n] ??= []).push(row);
  }
  return passes;
}

function mergeCategorized<RxDocType>(
  a: CategorizeBulkWriteRowsOutput<RxDocType>,
  b: CategorizeBulkWriteRowsOutput<RxDocType>,
): CategorizeBulkWriteRowsOutput<RxDocType> {
  return {
    bulkInsertDocs: a.bulkInsertDocs.concat(b.bulkInsertDocs),
    bulkUpdateDocs: a.bulkUpdateDocs.concat(b.bulkUpdateDocs),
    errors: a.errors.concat(b.errors),
    eventBulk: { ...a.eventBulk, events: a.eventBulk.events.concat(b.eventBulk.events) },
    attachmentsAdd: a.attachmentsAdd.concat(b.attachmentsAdd),
    attachmentsRemove: a.attachmentsRemove.concat(b.attachmentsRemove),
    attachmentsUpdate: a.attachmentsUpdate.concat(b.attachmentsUpdate),
    newestRow: b.newestRow ?? a.newestRow,
  };
}
