// The single write path (data rule 7): every local write validates, checks locks and
// appends its audit entries in the same SQLite transaction, one business action at a
// time. Services never write to collections directly.
import type Database from 'better-sqlite3';
import type { RxCollection, RxDocumentData } from 'rxdb';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { ApiError } from '@shared/api/errors';
import { newId } from '@shared/ids';
import { allCollections, isAppendOnly, type AuditLogDoc, type CollectionDocTypes, type CollectionName } from '@shared/schema';
import { diffDocuments } from '../audit/diff';
import { AuditTable } from '../audit/audit-table';
import { hashAuditEntry } from '../audit/hash-chain';
import type { Logger } from '../core/log';
import type { CounterbookDatabase } from './database';

type Doc<N extends CollectionName> = CollectionDocTypes[N];
type AnyDoc = Record<string, unknown> & { id: string };

/** Who is acting. `userId` '' is the system (sync, scheduled jobs). */
export interface Actor {
  userId: string;
  name: string;
}

export interface WriteRequest {
  /** e.g. 'sale.finalise', 'settings.update'. */
  action: string;
  actor: Actor;
  reason?: string;
  /** The manager who authorised an override (already verified by the caller). */
  overrideBy?: string;
}

export interface Change {
  collection: CollectionName;
  id: string;
  before: AnyDoc | null;
  after: AnyDoc | null;
}

/** Reads the store as it would be after the changes planned so far. */
export interface ReadView {
  get<N extends CollectionName>(collection: N, id: string): Promise<Doc<N> | null>;
}

/** Refuses a planned change by throwing (usually ApiError 'LOCKED'). Runs before anything is written. */
export type LockRule = (change: Change, request: WriteRequest, view: ReadView) => Promise<void> | void;

const AUDIT_ACTION_MAX = 100;

/** The changes of one business action, planned in memory and written together. */
export class WriteTx implements ReadView {
  readonly changes = new Map<string, Change>();

  constructor(
    private readonly db: CounterbookDatabase,
    readonly now: number,
  ) {}

  async get<N extends CollectionName>(collection: N, id: string): Promise<Doc<N> | null> {
    const planned = this.changes.get(`${collection}/${id}`);
    if (planned) return planned.after as Doc<N> | null;
    const doc = await this.db.collections[collection].findOne(id).exec();
    return doc ? (doc.toMutableJSON() as Doc<N>) : null;
  }

  /** Adds a new document; createdAt and updatedAt are set here. */
  async insert<N extends CollectionName>(collection: N, doc: Omit<Doc<N>, 'createdAt' | 'updatedAt'> & Partial<Pick<Doc<N>, 'createdAt' | 'updatedAt'>>): Promise<Doc<N>> {
    const id = (doc as AnyDoc).id;
    if (await this.get(collection, id)) throw new ApiError('CONFLICT', `A ${collection} record with id ${id} already exists.`);
    const after = { createdAt: this.now, ...doc, updatedAt: this.now } as unknown as AnyDoc;
    this.plan({ collection, id, before: null, after });
    return after as unknown as Doc<N>;
  }

  /** Changes an existing document by patch or function; updatedAt is set here. */
  async update<N extends CollectionName>(collection: N, id: string, change: Partial<Doc<N>> | ((doc: Doc<N>) => Doc<N>)): Promise<Doc<N>> {
    this.refuseAppendOnly(collection, 'changed');
    const current = await this.get(collection, id);
    if (!current) throw new ApiError('NOT_FOUND', `No ${collection} record with id ${id}.`);
    const next = typeof change === 'function' ? change(structuredClone(current)) : { ...current, ...change };
    const after = { ...next, id, updatedAt: this.now } as unknown as AnyDoc;
    this.plan({ collection, id, before: current as unknown as AnyDoc, after });
    return after as unknown as Doc<N>;
  }

  /** Deletes a document (a tombstone that replicates, data rule 8). */
  async remove<N extends CollectionName>(collection: N, id: string): Promise<void> {
    this.refuseAppendOnly(collection, 'deleted');
    const current = await this.get(collection, id);
    if (!current) throw new ApiError('NOT_FOUND', `No ${collection} record with id ${id}.`);
    this.plan({ collection, id, before: current as unknown as AnyDoc, after: null });
  }

  private plan(change: Change): void {
    const key = `${change.collection}/${change.id}`;
    const earlier = this.changes.get(key);
    // Several steps on one document in one action collapse into one change.
    this.changes.set(key, earlier ? { ...change, before: earlier.before } : change);
  }

  private refuseAppendOnly(collection: CollectionName, verb: string): void {
    if (isAppendOnly(collection)) {
      throw new ApiError('LOCKED', `${collection} entries are append-only and cannot be ${verb}; record a reversal entry instead.`);
    }
  }
}

export interface WritePathOptions {
  db: CounterbookDatabase;
  sqlite: Database.Database;
  deviceId: string;
  appVersion: string;
  logger: Logger;
  /** Told after each commit which collections changed (the core turns it into a push event). */
  onCommitted?: (collections: CollectionName[]) => void;
  clock?: () => number;
}

export class WritePath {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly rules: LockRule[] = [];
  private readonly validators = new Map<CollectionName, (doc: unknown) => { instancePath?: string; message?: string }[]>();
  private chainHead: { seq: number; hash: string } | null = null;

  constructor(private readonly options: WritePathOptions) {}

  addLockRule(rule: LockRule): void {
    this.rules.push(rule);
  }

  /**
   * Runs one business action: `plan` reads and plans changes on a WriteTx; then the
   * changes are validated, lock-checked and written with their audit entries in one
   * SQLite transaction. Actions run one at a time, in order.
   */
  run<T>(request: WriteRequest, plan: (tx: WriteTx) => Promise<T> | T): Promise<T> {
    const next = this.queue.then(() => this.execute(request, plan));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs `fn` in the write queue with no audit entry and no lock rules: only for
   * applying changes that came from the server (already validated and audited on the
   * device that made them). Nothing else writes while it runs.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * After a restore: appends this device's audit entries that the restored store lacks
   * (written after the backup was made, read from the data the restore replaced) exactly as
   * they were: same ids, revisions and hashes. So a restore never erases history, and the
   * chain goes on without reusing a sequence number the server may already hold. Only a run
   * that continues this store's chain, each entry's hash matching its content, is taken.
   * Returns how many entries were appended.
   */
  carryForwardAudit(entries: RxDocumentData<AuditLogDoc>[]): Promise<number> {
    return this.exclusive(async () => {
      this.chainHead = null;
      const head = await this.head();
      const mine = entries.filter((e) => e.deviceId === this.options.deviceId && e.seq > head.seq).sort((a, b) => a.seq - b.seq);
      let { seq, hash } = head;
      for (const entry of mine) {
        const { _meta: _m, _rev: _r, _deleted: _d, _attachments: _a, hash: own, ...unhashed } = entry;
        if (entry.seq !== seq + 1 || entry.prevHash !== hash || hashAuditEntry(unhashed) !== own) {
          this.options.logger.warn('restore: audit entries after the backup do not continue its chain; not carried forward', { seq: entry.seq, headSeq: head.seq });
          return 0;
        }
        seq = entry.seq;
        hash = own;
      }
      if (mine.length === 0) return 0;
      const lwt = (this.options.clock ?? Date.now)();
      const result = await this.options.db.collections.auditLog.storageInstance.bulkWrite(
        mine.map((document) => ({ document: { ...document, _meta: { lwt } } })),
        'restore-carry-forward',
      );
      throwOnErrors('auditLog', result);
      this.chainHead = { seq, hash };
      this.options.onCommitted?.(['auditLog']);
      return mine.length;
    });
  }

  private async execute<T>(request: WriteRequest, plan: (tx: WriteTx) => Promise<T> | T): Promise<T> {
    if (!request.action || request.action.length > AUDIT_ACTION_MAX) throw new Error(`write path: bad action name "${request.action}"`);
    const tx = new WriteTx(this.options.db, (this.options.clock ?? Date.now)());
    const result = await plan(tx);
    const changes = [...tx.changes.values()];
    if (changes.length === 0) return result;

    for (const change of changes) {
      if (change.collection === 'auditLog') throw new Error('write path: the audit log is written only by the write path itself');
      if (change.after) this.validate(change.collection, change.after);
    }
    for (const change of changes) for (const rule of this.rules) await rule(change, request, tx);

    const audit = await this.auditEntries(changes, request, tx.now);
    await this.commit(changes, audit);
    const last = audit[audit.length - 1]!;
    this.chainHead = { seq: last.seq, hash: last.hash };
    this.options.onCommitted?.([...new Set(changes.map((c) => c.collection)), 'auditLog']);
    return result;
  }

  private validate(collection: CollectionName, doc: AnyDoc): void {
    let validator = this.validators.get(collection);
    if (!validator) {
      validator = getValidator(allCollections[collection].schema) as (doc: unknown) => { instancePath?: string; message?: string }[];
      this.validators.set(collection, validator);
    }
    const errors = validator(doc);
    if (errors.length > 0) {
      const issues = errors.map((e) => ({ path: (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || collection, message: e.message ?? 'is invalid' }));
      throw new ApiError('VALIDATION', `This ${collection} record is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
    }    const unstorable = unstorableText(doc, '');
    if (unstorable) {
      const issue = { path: unstorable.path || collection, message: unstorable.message };
      throw new ApiError('VALIDATION', `This ${collection} record is not valid: ${issue.path} ${issue.message}. Remove it and try again.`, [issue]);
    }
  }

  private async head(): Promise<{ seq: number; hash: string }> {
    if (this.chainHead) return this.chainHead;
    // Straight from SQLite, newest first with LIMIT 1: an RxDB 'desc' query would sort the
    // device's whole log in memory.
    const table = new AuditTable(this.options.sqlite, this.options.db.collections.auditLog);
    const [last] = table.scan('chain', { equal: [this.options.deviceId] }, { direction: 'desc', limit: 1 });
    this.chainHead = last?.doc ? { seq: last.doc.seq, hash: last.doc.hash } : { seq: 0, hash: '' };
    return this.chainHead;
  }

  private async auditEntries(changes: Change[], request: WriteRequest, now: number): Promise<AuditLogDoc[]> {
    let { seq, hash } = await this.head();
    return changes.map((change) => {
      const diff = diffDocuments(change.before, change.after);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [field, d] of Object.entries(diff)) {
        if ('before' in d) before[field] = d.before;
        if ('after' in d) after[field] = d.after;
      }
      seq += 1;
      const entry = {
        id: newId(),
        createdAt: now,
        updatedAt: now,
        deviceId: this.options.deviceId,
        seq,
        at: now,
        userId: request.actor.userId,
        appVersion: this.options.appVersion,
        action: request.action,
        resourceType: change.collection,
        resourceId: change.id,
        diff: { before, after },
        reason: request.reason ?? '',
        overrideBy: request.overrideBy ?? '',
        prevHash: hash,
      };
      hash = hashAuditEntry(entry);
      return { ...entry, hash };
    });
  }

  private async commit(changes: Change[], audit: AuditLogDoc[]): Promise<void> {
    const { db, sqlite, logger } = this.options;
    const byCollection = new Map<CollectionName, { upserts: AnyDoc[]; inserts: AnyDoc[]; removes: string[] }>();
    for (const change of changes) {
      const group = byCollection.get(change.collection) ?? { upserts: [], inserts: [], removes: [] };
      byCollection.set(change.collection, group);
      if (!change.after) group.removes.push(change.id);
      else if (!change.before) group.inserts.push(change.after);
      else group.upserts.push(change.after);
    }

    // One outer transaction; the storage's own bulkWrite transactions nest inside it as savepoints.
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      for (const [name, group] of byCollection) {
        // One loosely typed handle: the union of 29 collection types is too large for the compiler.
        const collection = db.collections[name] as unknown as RxCollection<AnyDoc>;
        if (group.inserts.length) throwOnErrors(name, await collection.bulkInsert(group.inserts));
        if (group.upserts.length) throwOnErrors(name, await collection.bulkUpsert(group.upserts));
        if (group.removes.length) throwOnErrors(name, await collection.bulkRemove(group.removes));
      }
      throwOnErrors('auditLog', await db.collections.auditLog.bulkInsert(audit));
      sqlite.exec('COMMIT');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      // Validation ran before the transaction, so this is a storage failure or a bug; RxDB's
      // in-memory caches may now be ahead of the file, so the core restarts its store.
      logger.error('write path rolled back', { error, collections: [...byCollection.keys()] });
      this.chainHead = null;
      throw error;
    }
  }
}

function throwOnErrors(collection: string, result: { error: unknown[] }): void {
  if (result.error.length > 0) {
    throw new Error(`write to ${collection} failed: ${JSON.stringify(result.error[0]).slice(0, 500)}`);
  }
}

// A NUL character or half of a UTF-16 surrogate pair: SQLite keeps them, but the server
// (PostgreSQL text and jsonb) cannot, and would refuse the row and its audit entry.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isUnstorable = (text: string): boolean => text.includes('\0') || LONE_SURROGATE.test(text);

/** The first string (or key) in `value` that the server could not store, with where it is. */
function unstorableText(value: unknown, path: string): { path: string; message: string } | null {
  if (typeof value === 'string') {
    if (value.includes('\0')) return { path, message: 'contains a NUL character' };
    if (LONE_SURROGATE.test(value)) return { path, message: 'contains half of an emoji or other character (a lone UTF-16 surrogate)' };
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const where = path ? `${path}.${key}` : key;
    if (isUnstorable(key)) return { path: where, message: 'has a field name the server cannot store' };
    const inner = unstorableText(item, where);
    if (inner) return inner;
  }
  return null;
}
