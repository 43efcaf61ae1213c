/**
 * RxStorageInstance of one collection (at one schema version): the RxDB
 * semantics on top of CollectionTable (SQL) and the shared connection.
 */
import type {
  BulkWriteRow,
  EventBulk,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  RxStorageQueryResult,
} from 'rxdb';
import { now } from 'rxdb';
import type { Observable } from 'rxjs';
import type { AttachmentPayload } from './attachments';
import { bufferToBlob, hasAttachmentPayloads, readAttachmentPayloads } from './attachments';
import type { WriteHook } from './bulk-write';
import { runBulkWrite } from './bulk-write';
import type { CollectionTable } from './collection-table';
import type { SharedConnection, TableState } from './connection-pool';
import { releaseConnection, releaseTableState } from './connection-pool';
import { runCount, runQuery } from './query';

/** Options RxDB may pass per collection (`instanceCreationOptions`); none are needed. */
export type BetterSqlite3InstanceCreationOptions = Record<string, never>;

export type BetterSqlite3Internals = {
  /** Absolute path of the database file. */
  readonly databaseFile: string;
  /** Name of the documents table of this collection. */
  readonly tableName: string;
  readonly connection: SharedConnection;
};

type ChangeBulk<RxDocType> = EventBulk<RxStorageChangeEvent<RxDocType>, RxStorageDefaultCheckpoint>;

export class RxStorageInstanceBetterSqlite3<RxDocType>
  implements
    RxStorageInstance<RxDocType, BetterSqlite3Internals, BetterSqlite3InstanceCreationOptions, RxStorageDefaultCheckpoint>
{
  private closePromise: Promise<void> | undefined;
  private removed = false;

  constructor(
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>,
    readonly internals: BetterSqlite3Internals,
    readonly options: Readonly<BetterSqlite3InstanceCreationOptions>,
    private readonly table: CollectionTable,
    private readonly tableState: TableState,
    private readonly writeHooks: ReadonlySet<WriteHook>,
  ) {}

  get closed(): boolean {
    return this.closePromise !== undefined;
  }

  private ensureOpen(method: string): void {
    if (this.closePromise) {
      throw new Error(
        `RxStorageInstanceBetterSqlite3.${method}(): instance ${this.databaseName}/${this.collectionName} is ` +
          (this.removed ? 'removed' : 'closed'),
      );
    }
  }

  async bulkWrite(rows: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    this.ensureOpen('bulkWrite');
    if (rows.length === 0) return { error: [] };
    let payloads: Map<AttachmentPayload, Buffer> | undefined;
    if (this.table.layout.hasAttachments && hasAttachmentPayloads(rows)) {
      payloads = await readAttachmentPayloads(rows);
      this.ensureOpen('bulkWrite');
    }
    const categorized = runBulkWrite({
      table: this.table,
      instance: this as RxStorageInstance<RxDocType, unknown, unknown>,
      rows,
      context,
      payloads,
      hooks: this.writeHooks,
      databaseName: this.databaseName,
    });
    // Committed: emit before the returned promise resolves.
    const events = categorized.eventBulk.events;
    if (events.length > 0 && categorized.newestRow) {
      const last = categorized.newestRow.document;
      categorized.eventBulk.checkpoint = {
        id: last[this.table.layout.primaryPath as keyof RxDocType] as string,
        lwt: last._meta.lwt,
      };
      this.tableState.changes$.next(categorized.eventBulk);
    }
    return { error: categorized.errors };
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    this.ensureOpen('findDocumentsById');
    if (ids.length === 0) return [];
    this.table.conn.syncExternalWrites();
    return this.table.readDocsByIds<RxDocType>(ids, withDeleted);
  }

  async query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    this.ensureOpen('query');
    this.table.conn.syncExternalWrites();
    return { documents: runQuery(this.table, this.schema, preparedQuery) };
  }

  async count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    this.ensureOpen('count');
    this.table.conn.syncExternalWrites();
    return runCount(this.table, this.schema, preparedQuery);
  }

  async getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    this.ensureOpen('getAttachmentData');
    const stored = this.table.getAttachment(documentId, attachmentId);
    if (!stored || (digest && stored.digest !== digest)) {
      throw new Error(`attachment does not exist: ${documentId}||${attachmentId}`);
    }
    return bufferToBlob(stored.data, stored.type);
  }

  async getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    this.ensureOpen('getChangedDocumentsSince');
    this.table.conn.syncExternalWrites();
    // Replication batches are not cached (they would evict what the screens read) and do not count as reads.
    const decoder = this.table.rangeDecoder(false);
    const documents = this.table.readChangesSince(limit, checkpoint, decoder.keyed).map((row) => decoder.toDoc<RxDocType>(row));
    const last = documents[documents.length - 1];
    return {
      documents,
      checkpoint: last
        ? { id: last[this.table.layout.primaryPath as keyof RxDocType] as string, lwt: last._meta.lwt }
        : (checkpoint ?? { id: '', lwt: 0 }),
    };
  }

  changeStream(): Observable<ChangeBulk<RxDocType>> {
    this.ensureOpen('changeStream');
    return this.tableState.changes$.asObservable() as Observable<ChangeBulk<RxDocType>>;
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureOpen('cleanup');
    const maxLwt = now() - minimumDeletedTime;
    this.table.conn.writeTransaction(() => this.table.purgeTombstones(maxLwt));
    return true;
  }

  /** Idempotent; later calls of any other method reject. */
  close(): Promise<void> {
    if (!this.closePromise) {
      try {
        releaseTableState(this.table.conn, this.table.layout.docsTableName);
        releaseConnection(this.table.conn);
        this.closePromise = Promise.resolve();
      } catch (err) {
        this.closePromise = Promise.reject(err as Error);
      }
    }
    return this.closePromise;
  }

  /** Drops the collection's tables, then closes. Rejects on a closed instance (like RxDB's own storages). */
  async remove(): Promise<void> {
    this.ensureOpen('remove');
    this.table.drop();
    this.removed = true;
    await this.close();
  }
}
