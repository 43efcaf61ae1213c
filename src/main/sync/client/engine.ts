// The sync engine: one ordered stream for all replicated collections between this
// device's store and the business's PostgreSQL (see README.md "Client").
//
//   local write ──write hook (same SQLite tx)──> sync_outbox ──push (batches)──> server
//   server ──pull (pages from the cursor)──> writes.exclusive: docs + shadow + cursor in one tx
//
// One loop does everything in order: resend the batch that was in flight when the
// process stopped, pull until caught up, push the outbox, then sleep until a NOTIFY on
// the tenant channel, a local change, sync.now or the poll timer. Failures disconnect,
// back off (exponential, full jitter) and retry; a revoked device stops.
import type Database from 'better-sqlite3';
import pg from 'pg';
import type { BulkWriteRow, RxDocumentData, RxStorageInstance } from 'rxdb';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { ApiError } from '@shared/api/errors';
import type { SyncConflict, SyncStatus } from '@shared/api/ops/sync';
import { newId } from '@shared/ids';
import { allCollections, isAppendOnly, isReplicated, replicatedCollectionNames, type CollectionName, type SyncConflictDoc } from '@shared/schema';
import type { CoreServices } from '../../core/core';
import { redactText } from '../../core/log';
import { dataPaths } from '../../core/paths';
import type { Actor } from '../../store/write-path';
import { DEFAULT_DATABASE_NAME } from '../../store/database';
import { addWriteHook } from '../../store/rxstorage-better-sqlite3';
import { describeAddress, redeemPairing } from '../server/pairing-code';
import { cursorAfter, expandPushResult, PULL_SQL, PUSH_SQL, START_CURSOR, SYNC_ERRORS, type PulledRow, type PullCursor, type PushResult, type PushRow, type ServerRow } from '../server/protocol';
import { backoffDelay, classifyFailure, clientConfig, type ConnectionTimings } from './connection';
import { deleteCredential, fileSecretBox, loadCredential, saveCredential, type SecretBox, type SyncCredential } from './credentials';
import { LocalSyncState, type OutboxRow, type PairedInfo, type PendingChange } from './local-state';
import { mergeVersions, stripMeta, type Version } from './merge';

export interface SyncEngineOptions {
  /** Seals the device credential (Electron: safeStorage). Default: an owner-only file. */
  secretBox?: SecretBox;
  /** Pull this often even without a NOTIFY. Default 30 s. */
  pollMs?: number;
  /** Retry waits: full jitter between about min/2 and min * 2^n, capped at max. Defaults 1 s and 60 s. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Wait after a local change before pushing (gathers a burst of writes). Default 25 ms. */
  pushDelayMs?: number;
  /** Rows per pull page (server maximum 10000). Default 5000. */
  pageSize?: number;
  /** Rows and bytes per push batch (server maximum 5000 rows, 32 MiB). Defaults 5000 and 8 MiB. */
  batchRows?: number;
  batchBytes?: number;
  connectTimeoutMs?: number;
  /** A query that gets no answer for this long fails (dead connection). Default 120 s. */
  queryTimeoutMs?: number;
  /** At most one sync.status event per this many ms (state changes go out at once). Default 250. */
  statusThrottleMs?: number;
  /** How long sync.now waits for its sync to finish. Default 120 s. */
  syncNowTimeoutMs?: number;
}

type Resolved = Required<Omit<SyncEngineOptions, 'secretBox'>> & { secretBox: SecretBox };

const DEFAULTS: Omit<Resolved, 'secretBox'> = {
  pollMs: 30_000,
  backoffMinMs: 1_000,
  backoffMaxMs: 60_000,
  pushDelayMs: 25,
  pageSize: 5000,
  batchRows: 5000,
  batchBytes: 8 * 1024 * 1024,
  connectTimeoutMs: 10_000,
  queryTimeoutMs: 120_000,
  statusThrottleMs: 250,
  syncNowTimeoutMs: 120_000,
};

/** bulkWrite context of the engine's own writes: the outbox hook skips them. */
export const SYNC_WRITE_CONTEXT = 'counterbook-sync-apply';

type State = SyncStatus['state'];
type AnyDoc = Record<string, unknown>;
type StoredDoc = RxDocumentData<AnyDoc>;
type Instance = RxStorageInstance<AnyDoc, unknown, unknown>;

interface Connection {
  query: pg.Client;
  listen: pg.Client;
  /**
   * A second push connection, opened only when the outbox holds more than one batch:
   * the server then works on two batches at once (they never share a document).
   */
  pushAux: Promise<pg.Client | null> | null;
  broken: boolean;
  serverDeviceId: string;
}

interface BatchRow {
  collection: string;
  id: string;
  seq: number;
  row: PushRow;
}

interface Batch {
  batchId: string;
  body: string;
  rows: BatchRow[];
}

function encodeVersion(v: Version): string {
  return JSON.stringify(v.deleted ? { ...v.doc, _deleted: true } : v.doc);
}

function decodeVersion(text: string): Version {
  const doc = JSON.parse(text) as AnyDoc;
  const deleted = doc._deleted === true;
  delete doc._deleted;
  return { doc, deleted };
}

function versionOf(stored: StoredDoc): Version {
  return { doc: stripMeta(stored), deleted: stored._deleted };
}

/** A copy of a version for syncConflicts (a tombstone carries `_deleted: true`). */
function conflictCopy(v: Version): AnyDoc {
  return v.deleted ? { ...v.doc, _deleted: true } : { ...v.doc };
}

export class SyncEngine {
  private readonly opts: Resolved;
  private readonly sqlite: Database.Database;
  private local!: LocalSyncState;
  private unhook: (() => void) | null = null;
  private credential: SyncCredential | null = null;
  private conn: Connection | null = null;
  private loop: Promise<void> | null = null;
  private stopRequested = false;
  /** Rejects when the loop is asked to stop: races every connect (pg's connect may never settle after end()). */
  private halted: Promise<never> = new Promise<never>(() => undefined);
  private halt: (reason: Error) => void = () => undefined;
  private closed = false;

  private state: State = 'off';
  private lastError: string | null = null;
  private progress: SyncStatus['progress'] = null;
  private lagMs: number | null = null;
  private conflictCount = 0;
  private pullProblems = 0;

  private woken = false;
  private wakers: (() => void)[] = [];
  private localTimer: NodeJS.Timeout | null = null;
  private cyclesStarted = 0;
  private cycleWaiters: { target: number; done: () => void }[] = [];

  private lastEmit = 0;
  private emitTimer: NodeJS.Timeout | null = null;
  /** A status update after a local write is scheduled (statusAfterCommit). */
  private statusPending = false;
  private readonly validators = new Map<string, (doc: unknown) => unknown[]>();

  constructor(
    private readonly core: CoreServices,
    options: SyncEngineOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...options, secretBox: options.secretBox ?? fileSecretBox() } as Resolved;
    this.sqlite = core.store.sqlite;
  }

  // ---------------------------------------------------------------------------
  // Lifecycle

  /** Creates the engine's tables, installs the outbox hook, and starts syncing when paired. */
  async start(): Promise<void> {
    this.local = new LocalSyncState(this.sqlite);
    this.unhook = addWriteHook(this.core.store.storage, (event) => {
      if (event.context === SYNC_WRITE_CONTEXT || event.databaseName !== DEFAULT_DATABASE_NAME || event.db !== this.sqlite) return;
      if (!isReplicated(event.collectionName)) return;
      for (const { document, previous } of event.writes) {
        const id = document.id as string;
        // The base of a merge: the document as the server last had it. Only meaningful
        // when this device knows a server revision of it (and the row is new: an
        // existing row keeps its base).
        const base = previous && this.local.shadowRev(event.collectionName, id) !== null ? encodeVersion(versionOf(previous)) : null;
        this.local.enqueue(event.collectionName, id, base);
      }
      this.onLocalChange();
    });
    this.conflictCount = await this.countConflicts();
    this.pullProblems = this.local.getJson<unknown[]>('pullProblems')?.length ?? 0;
    const paired = this.local.paired();
    if (!paired) return;
    this.state = 'connecting';
    try {
      this.credential = await loadCredential(this.core.options.dataDir, this.opts.secretBox);
      if (!this.credential) throw new ApiError('UNAUTHENTICATED', `The sync credential is missing (${dataPaths(this.core.options.dataDir).credentials}). Unpair and pair this device again.`);
    } catch (error) {
      this.setState('error', error instanceof Error ? error.message : String(error));
      return;
    }
    this.startLoop();
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopLoop();
    this.unhook?.();
    this.unhook = null;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
  }

  private startLoop(): void {
    if (this.loop || this.closed) return;
    this.stopRequested = false;
    this.halted = new Promise<never>((_, reject) => (this.halt = reject));
    this.halted.catch(() => undefined);
    this.loop = this.run().finally(() => {
      this.loop = null;
    });
  }

  private async stopLoop(): Promise<void> {
    this.stopRequested = true;
    this.halt(new Error('sync stopped'));
    if (this.localTimer) clearTimeout(this.localTimer);
    this.localTimer = null;
    this.disconnect();
    this.wake();
    if (this.loop) {
      // The loop ends at its next step; do not hang a shutdown on a network call that never answers.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
      clearTimeout(timer);
    }
    this.resolveCycleWaiters(Number.MAX_SAFE_INTEGER);
  }

  // ---------------------------------------------------------------------------
  // The loop

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopRequested) {
      const cycle = ++this.cyclesStarted;
      try {
        if (!this.conn || this.conn.broken) {
          await this.connect();
          this.setState('online', null);
        }
        await this.cycle();
        failures = 0;
        this.setState('online', null);
      } catch (error) {
        if (this.stopRequested) break;
        const failure = classifyFailure(error, this.credential);
        this.core.logger.warn('sync failed', { kind: failure.kind, error: redactText(error instanceof Error ? error.message : String(error)) });
        this.disconnect();
        this.progress = null;
        if (failure.kind === 'revoked') {
          this.setState('revoked', failure.message);
          this.resolveCycleWaiters(cycle);
          break;
        }
        this.setState(failure.kind === 'network' ? 'offline' : 'error', failure.message);
        this.resolveCycleWaiters(cycle);
        failures++;
        await this.sleep(backoffDelay(failures, this.opts.backoffMinMs, this.opts.backoffMaxMs));
        continue;
      }
      this.resolveCycleWaiters(cycle);
      await this.sleep(this.opts.pollMs);
    }
  }

  private async cycle(): Promise<void> {
    const conn = this.conn!;
    // The listening connection answers too, or it is dead (a silent network cut).
    await conn.listen.query('SELECT 1');
    await this.resendInflight(conn);
    await this.pullAll(conn);
    await this.pushAll(conn);
    this.lagMs = 0;
  }

  private async connect(): Promise<void> {
    this.disconnect();
    const credential = this.credential;
    if (!credential) throw new ApiError('UNAUTHENTICATED', 'This device is not paired.');
    if (this.state === 'off' || this.state === 'error') this.setState('connecting');
    const query = new pg.Client(clientConfig(credential, this.timings(), 'sync'));
    const listen = new pg.Client(clientConfig(credential, this.timings(), 'listen'));
    const conn: Connection = { query, listen, pushAux: null, broken: false, serverDeviceId: '' };
    for (const c of [query, listen]) this.breaksOnFailure(conn, c);
    this.conn = conn;
    try {
      await Promise.race([query.connect(), this.halted]);
      const me = (await query.query<{ device_id: string; tenant_name: string; device_code: string; device_name: string; channel: string }>('SELECT * FROM counterbook.whoami()')).rows[0];
      if (!me) throw new ApiError('UNAUTHENTICATED', 'The server does not know this device.');
      conn.serverDeviceId = me.device_id;
      if (!/^counterbook_tenant_[0-9a-f]{32}$/.test(me.channel)) throw new Error('the server named an unexpected channel');
      await Promise.race([listen.connect(), this.halted]);
      listen.on('notification', (n) => {
        try {
          const payload = JSON.parse(n.payload ?? '{}') as { deviceId?: string };
          if (payload.deviceId === conn.serverDeviceId) return;
        } catch {
          // a payload we do not understand still means "something changed"
        }
        this.wake();
      });
      await listen.query(`LISTEN ${me.channel}`);
      const paired = this.local.paired();
      if (paired && (paired.tenantName !== me.tenant_name || paired.deviceCode !== me.device_code || paired.channel !== me.channel)) {
        this.local.setJson('paired', { ...paired, tenantName: me.tenant_name, deviceCode: me.device_code, channel: me.channel } satisfies PairedInfo);
      }
    } catch (error) {
      this.disconnect();
      throw error;
    }
    if (conn.broken) throw new Error('Connection terminated while connecting');
  }

  private disconnect(): void {
    const conn = this.conn;
    this.conn = null;
    if (!conn) return;
    conn.broken = true;
    for (const c of [conn.query, conn.listen]) {
      c.removeAllListeners('notification');
      c.end().catch(() => undefined);
    }
    conn.pushAux?.then((c) => c?.end()).catch(() => undefined);
  }

  private timings(): ConnectionTimings {
    return { connectTimeoutMs: this.opts.connectTimeoutMs, queryTimeoutMs: this.opts.queryTimeoutMs };
  }

  /** A failure or end of `client` marks the connection broken and wakes the loop to replace it. */
  private breaksOnFailure(conn: Connection, client: pg.Client): void {
    const broken = (): void => {
      if (conn.broken) return;
      conn.broken = true;
      if (this.conn === conn) this.wake();
    };
    client.on('error', broken);
    client.on('end', broken);
  }

  /**
   * The connection's second push connection, opened on first use. When the server will
   * not take a third connection (a pooler's or the role's limit), the device pushes on
   * one, as before: null. Once open, its failure breaks the connection like any other.
   */
  private pushAux(conn: Connection): Promise<pg.Client | null> {
    if (!conn.pushAux) {
      const credential = this.credential;
      if (!credential) return Promise.resolve(null);
      const client = new pg.Client(clientConfig(credential, this.timings(), 'push'));
      client.on('error', () => undefined);
      conn.pushAux = Promise.race([client.connect(), this.halted]).then(
        () => {
          // Closed while it was connecting: do not leave it open.
          if (conn.broken) void client.end().catch(() => undefined);
          this.breaksOnFailure(conn, client);
          return client;
        },
        (error: unknown) => {
          void client.end().catch(() => undefined);
          this.core.logger.warn('sync: a second push connection was refused; pushing on one', { error: redactText(error instanceof Error ? error.message : String(error)) });
          return null;
        },
      );
    }
    return conn.pushAux;
  }

  // ---------------------------------------------------------------------------
  // Waking

  private wake(): void {
    this.woken = true;
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopRequested) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.push(done);
    });
  }

  private onLocalChange(): void {
    this.statusAfterCommit();
    if (this.localTimer || !this.loop) return;
    this.localTimer = setTimeout(() => {
      this.localTimer = null;
      this.wake();
    }, this.opts.pushDelayMs);
  }

  private resolveCycleWaiters(cycle: number): void {
    const ready = this.cycleWaiters.filter((w) => w.target <= cycle);
    this.cycleWaiters = this.cycleWaiters.filter((w) => w.target > cycle);
    for (const w of ready) w.done();
  }

  // ---------------------------------------------------------------------------
  // Pull

  private async pullPage(conn: Connection, cursor: PullCursor): Promise<PulledRow[]> {
    return (await conn.query.query<PulledRow>(PULL_SQL, [cursor.xid, cursor.collection, cursor.id, this.opts.pageSize])).rows;
  }

  private async pullAll(conn: Connection): Promise<void> {
    let cursor = this.local.cursor();
    let page: PulledRow[];
    try {
      page = await this.pullPage(conn, cursor);
    } catch (error) {
      if ((error as { code?: string }).code !== SYNC_ERRORS.cursorAhead) throw error;
      // A restored or replaced server: start over (pulled echoes of what this device has are skipped by revision).
      this.core.logger.warn('sync: the pull cursor is ahead of the server; pulling everything again');
      await this.core.writes.exclusive(async () => this.local.setCursor(START_CURSOR));
      cursor = START_CURSOR;
      page = await this.pullPage(conn, cursor);
    }
    if (page.length === 0) {
      await this.core.writes.exclusive(async () => this.local.set('lastPullAt', String(Date.now())));
      return;
    }
    const started = Date.now();
    let done = 0;
    let total = page.length;
    if (page.length >= this.opts.pageSize) {
      total = Math.max(total, Number((await conn.query.query<{ n: string }>('SELECT counterbook.pull_backlog($1::xid8) AS n', [cursor.xid])).rows[0]?.n ?? 0));
      this.progress = { phase: 'pull', done: 0, total, perSecond: 0 };
      this.emitStatus(true);
    }
    for (;;) {
      const after = cursorAfter(page[page.length - 1]!);
      const next = page.length >= this.opts.pageSize ? this.pullPage(conn, after) : null;
      next?.catch(() => undefined);
      await this.core.writes.exclusive(() => this.applyPage(page, after));
      done += page.length;
      const newest = page[page.length - 1]!.updated_at;
      this.lagMs = next && newest ? Math.max(0, Date.now() - Number(newest)) : 0;
      if (this.progress) {
        const seconds = Math.max(0.001, (Date.now() - started) / 1000);
        this.progress = { phase: 'pull', done, total: Math.max(total, done), perSecond: Math.round(done / seconds) };
        this.emitStatus();
      }
      if (!next) break;
      page = await next;
      if (page.length === 0) break;
    }
    this.progress = null;
  }

  /** Applies one pulled page and moves the cursor past it, in one SQLite transaction. */
  private async applyPage(rows: PulledRow[], cursor: PullCursor): Promise<void> {
    const byCollection = new Map<string, PulledRow[]>();
    for (const r of rows) {
      const group = byCollection.get(r.collection);
      if (group) group.push(r);
      else byCollection.set(r.collection, [r]);
    }
    const changed = new Set<CollectionName>();
    const conflicts: SyncConflictDoc[] = [];
    await this.transaction(async () => {
      for (const [name, group] of byCollection) {
        // Collections this app does not have (newer server, test collections) are passed over.
        if (!isReplicated(name)) continue;
        const known = this.local.shadowRevs(name, group.map((r) => r.id));
        // Echoes of what this device pushed, and versions it already has, are passed over.
        const todo = group.filter((r) => known.get(r.id) !== r.revision);
        if (todo.length === 0) continue;
        const instance = this.instance(name);
        const ids = todo.map((r) => r.id);
        const locals = new Map((await instance.findDocumentsById(ids, true)).map((d) => [d.id as string, d as StoredDoc]));
        const outbox = locals.size ? this.local.outboxRows(name, ids) : new Map<string, OutboxRow>();
        const writes: BulkWriteRow<AnyDoc>[] = [];
        for (const r of todo) {
          const server: Version = { doc: r.doc, deleted: r.deleted };
          const local = locals.get(r.id);
          const out = local ? outbox.get(r.id) : undefined;
          const write = out && local ? this.reconcile(name, local, out, server, conflicts) : server;
          if (write) writes.push(this.writeRow(write, local));
        }
        this.local.setShadows(name, todo.map((r) => [r.id, r.revision]));
        if (writes.length) {
          await this.bulkWrite(name, instance, writes);
          changed.add(name);
        }
      }
      if (conflicts.length) await this.recordConflicts(conflicts);
      this.local.setCursor(cursor);
      this.local.set('lastPullAt', String(Date.now()));
    }, true);
    this.afterApply(changed, conflicts.length);
  }

  /**
   * The server has `server` of a document this device changed too (its outbox row
   * `out`): merge, or keep the server's version and file the local one as a conflict.
   * Returns the version to write locally (null: nothing). Runs inside the transaction.
   */
  private reconcile(collection: string, local: StoredDoc, out: OutboxRow, server: Version, conflicts: SyncConflictDoc[], refusedBecause = ''): Version | null {
    const localVersion = versionOf(local);
    const base = out.base_doc ? decodeVersion(out.base_doc) : null;
    // A change the server refused (a closed day) is never merged: without a base the
    // merge files every differing field as a conflict.
    const result = mergeVersions(refusedBecause ? null : base, localVersion, server, {
      appendOnly: isAppendOnly(collection as CollectionName),
      validate: (doc) => this.valid(collection, doc),
    });
    if (result.kind === 'merged') {
      // The merged version goes up on top of the server's revision.
      this.local.enqueue(collection, out.id, null);
      this.local.setBase(collection, out.id, encodeVersion(server));
      return result.version;
    }
    this.local.drop(collection, out.id);
    if (result.kind === 'conflict') {
      const now = Date.now();
      conflicts.push({
        id: newId(),
        createdAt: now,
        updatedAt: now,
        collectionName: collection,
        docId: out.id,
        localDoc: conflictCopy(localVersion),
        serverDoc: conflictCopy(server),
        ...(base ? { baseDoc: conflictCopy(base) } : {}),
        fields: result.fields.slice(0, 200).map((f) => f.slice(0, 100)),
        ...(refusedBecause ? { reason: refusedBecause.slice(0, 500) } : {}),
        detectedAt: now,
        resolved: false,
        count: 1,
      });
      this.core.logger.info('sync conflict kept for a person', { collection, id: out.id, fields: result.fields });
    }
    return server;
  }

  // ---------------------------------------------------------------------------
  // Push

  /**
   * Pushes the outbox in batches, two at a time: while the server works on one batch
   * the next one is prepared and sent, and the answer to the first is applied while
   * the server works on the second. The two batches never share a document and never
   * split a write (see prepareBatch), so when the outbox holds more than one batch they
   * go on two connections and the server works on both at once: the order in which two
   * such batches commit does not matter (the server's closed-day rules look at a
   * write's own rows and at times, not at arrival; see its README, "Closed days").
   */
  private async pushAll(conn: Connection): Promise<void> {
    let total = this.local.pendingCount();
    if (total === 0) return;
    const started = Date.now();
    let done = 0;
    const showProgress = total > this.opts.batchRows;
    if (showProgress) {
      this.progress = { phase: 'push', done: 0, total, perSecond: 0 };
      this.emitStatus(true);
    }
    // Documents in flight, with the version (outbox seq) that was sent.
    const sending = new Map<string, number>();
    const clients: Promise<pg.Client>[] = [Promise.resolve(conn.query)];
    if (total > this.opts.batchRows) clients.push(this.pushAux(conn).then((c) => c ?? conn.query));
    let sent = 0;
    const start = async (): Promise<{ batch: Batch; answer: Promise<PushResult> } | null> => {
      const batch = await this.core.writes.exclusive(() => this.prepareBatch(sending));
      if (!batch) return null;
      for (const r of batch.rows) sending.set(`${r.collection}\u0000${r.id}`, r.seq);
      // Alternating: the batch in flight is on the other connection.
      const client = clients[sent++ % clients.length]!;
      const answer = client.then((c) => this.send(c, batch));
      answer.catch(() => undefined);
      return { batch, answer };
    };
    let current = await start();
    // Bounded: rows that merge go up again, but a cycle does not chase a busy document forever.
    for (let round = 0; current && round < Math.ceil(total / this.opts.batchRows) + 5; round++) {
      const next = await start();
      const result = await current.answer;
      await this.core.writes.exclusive(() => this.applyPushResult(current!.batch, result));
      for (const r of current.batch.rows) sending.delete(`${r.collection}\u0000${r.id}`);
      done += current.batch.rows.length;
      if (showProgress) {
        total = Math.max(total, done);
        this.progress = { phase: 'push', done, total, perSecond: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)) };
        this.emitStatus();
      }
      // No next batch while this one was out (everything left waited for it): try again now.
      current = next ?? (await start());
    }
    // A batch still out when the bound was reached is answered before the cycle ends.
    if (current) {
      const result = await current.answer;
      await this.core.writes.exclusive(() => this.applyPushResult(current!.batch, result));
    }
    this.progress = null;
  }

  /**
   * The oldest pending changes as one batch, recorded as in flight before it is sent.
   * Versions already in flight (`inFlight`: document -> seq sent) are passed over; a
   * document changed again since it was sent ends the batch before its write, so that
   * a write (a manager's override with its audit entry, say) never reaches the server
   * split across two batches that may commit in either order.
   */
  private async prepareBatch(inFlight: Map<string, number>): Promise<Batch | null> {
    const all = this.local.pending(this.opts.batchRows + inFlight.size + 1);
    const { rows: candidates, stopped } = pushCandidates(all, inFlight);
    const pending = candidates.slice(0, this.opts.batchRows);
    if (pending.length === 0) return null;
    const byCollection = new Map<string, PendingChange[]>();
    for (const p of pending) {
      const group = byCollection.get(p.collection);
      if (group) group.push(p);
      else byCollection.set(p.collection, [p]);
    }
    const docs = new Map<string, StoredDoc>();
    const bases = new Map<string, Map<string, string>>();
    for (const [name, group] of byCollection) {
      if (!isReplicated(name)) continue;
      const ids = group.map((g) => g.id);
      for (const d of await this.instance(name).findDocumentsById(ids, true)) docs.set(`${name}\u0000${d.id as string}`, d as StoredDoc);
      bases.set(name, this.local.shadowRevs(name, ids));
    }
    const rows: BatchRow[] = [];
    const parts: string[] = [];
    let bytes = 0;
    let cutByBytes = false;
    for (const p of pending) {
      const stored = docs.get(`${p.collection}\u0000${p.id}`);
      if (!stored) {
        // Nothing to send (a collection this app no longer has): keep it visible instead of dropping it.
        this.local.reject(p.collection, p.id, p.seq, 'unknown_collection', 'This record is not in the local store any more.');
        continue;
      }
      const row: PushRow = {
        collection: p.collection,
        id: p.id,
        revision: stored._rev,
        baseRevision: bases.get(p.collection)?.get(p.id) ?? null,
        deleted: stored._deleted,
        doc: stripMeta(stored),
      };
      const json = JSON.stringify(row);
      if (rows.length > 0 && bytes + json.length > this.opts.batchBytes) {
        cutByBytes = true;
        break;
      }
      bytes += json.length;
      parts.push(json);
      rows.push({ collection: p.collection, id: p.id, seq: p.seq, row });
    }
    if (rows.length === 0) return null;
    const next = all.find((c) => c.seq > rows[rows.length - 1]!.seq);
    // Up to a document changed since it was sent: the batch must end at a write's end, or wait.
    const atStop = stopped && !cutByBytes && pending.length === candidates.length;
    const whole = rowsOfWholeWrites(rows, next, atStop);
    if (whole === 0) return null;
    rows.length = whole;
    parts.length = whole;
    const batchId = newId();
    // Compact: the answer lists only what was more than plainly accepted (older servers ignore it).
    const body = `{"batchId":${JSON.stringify(batchId)},"compact":true,"rows":[${parts.join(',')}]}`;
    // Survives a crash of the process (WAL); only a power cut could lose it, and then
    // the rows go again in a new batch (the server accepts an unchanged resend).
    this.relaxed(() => this.local.addInflight(batchId, body, rows.map((r) => r.seq)));
    return { batchId, body, rows };
  }

  private async send(client: pg.Client, batch: Batch): Promise<PushResult> {
    let result: PushResult | undefined;
    try {
      result = (await client.query<{ result: PushResult }>(PUSH_SQL, [batch.body])).rows[0]?.result;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === SYNC_ERRORS.batchTooLarge || code === SYNC_ERRORS.malformedBatch) {
        // The batch as a whole was refused: its rows stay in the outbox; send smaller batches.
        await this.core.writes.exclusive(async () => this.local.dropInflight(batch.batchId));
        this.opts.batchRows = Math.max(1, Math.floor(batch.rows.length / 2));
        this.opts.batchBytes = Math.max(64 * 1024, Math.floor(this.opts.batchBytes / 2));
        this.core.logger.warn('sync: the server refused a whole batch; sending smaller ones', { code, rows: batch.rows.length });
      }
      throw error;
    }
    const results = result ? expandPushResult(result, batch.rows) : null;
    if (!result || !results) {
      throw new Error(`the server answered the push of ${batch.rows.length} rows with ${result?.results?.length ?? 'no'} results that do not fit the batch`);
    }
    return { ...result, results };
  }

  /** After a crash the batch in flight goes again with the same id: the server replays its answer, or applies it now. */
  private async resendInflight(conn: Connection): Promise<void> {
    for (let inflight = this.local.inflight(); inflight; inflight = this.local.inflight()) await this.resendOne(conn, inflight);
  }

  private async resendOne(conn: Connection, inflight: { batch_id: string; body: string; seqs: string }): Promise<void> {
    const parsed = JSON.parse(inflight.body) as { batchId: string; rows: PushRow[] };
    const seqs = JSON.parse(inflight.seqs) as number[];
    const batch: Batch = {
      batchId: inflight.batch_id,
      body: inflight.body,
      rows: parsed.rows.map((row, i) => ({ collection: row.collection, id: row.id, seq: seqs[i] ?? -1, row })),
    };
    this.core.logger.info('sync: sending the batch that was in flight again', { batchId: batch.batchId, rows: batch.rows.length });
    const result = await this.send(conn.query, batch);
    await this.core.writes.exclusive(() => this.applyPushResult(batch, result));
  }

  private async applyPushResult(batch: Batch, result: PushResult): Promise<void> {
    const changed = new Set<CollectionName>();
    const conflicts: SyncConflictDoc[] = [];
    await this.transaction(async () => {
      const serverRows: { b: BatchRow; server: ServerRow; refused?: string }[] = [];
      const accepted = new Map<string, BatchRow[]>();
      result.results.forEach((r, i) => {
        const b = batch.rows[i]!;
        if (r.status === 'accepted') {
          const group = accepted.get(b.collection);
          if (group) group.push(b);
          else accepted.set(b.collection, [b]);
        } else if (r.status === 'rejected' && r.reason === 'day_closed' && r.server) {
          // A change of a day another device closed: the server's version stands here too
          // and the local one is kept in syncConflicts for a person (never merged).
          serverRows.push({ b, server: r.server, refused: r.message || 'The server refused this change: its day is closed.' });
          this.core.logger.warn('sync: the server refused a change of a closed day', { collection: b.collection, id: b.id, message: r.message });
        } else if (r.status === 'rejected') {
          this.local.reject(b.collection, b.id, b.seq, r.reason, r.message);
          this.core.logger.warn('sync: the server refused a change', { collection: b.collection, id: b.id, reason: r.reason, message: r.message });
        } else {
          serverRows.push({ b, server: r.server });
        }
      });
      for (const [name, group] of accepted) {
        this.local.setShadows(name, group.map((b) => [b.id, b.row.revision]));
        const dropped = this.local.dropManyIfUnchanged(name, group.map((b) => [b.id, b.seq]));
        for (const b of group) {
          // Changed again while the batch was out: the pushed version is now the base of the next push.
          if (!dropped.has(b.id)) this.local.setBase(b.collection, b.id, encodeVersion({ doc: b.row.doc, deleted: b.row.deleted ?? false }));
        }
      }
      const byCollection = new Map<string, { b: BatchRow; server: ServerRow; refused?: string }[]>();
      for (const s of serverRows) {
        const group = byCollection.get(s.b.collection);
        if (group) group.push(s);
        else byCollection.set(s.b.collection, [s]);
      }
      for (const [name, group] of byCollection) {
        if (!isReplicated(name)) continue;
        const instance = this.instance(name);
        const locals = new Map((await instance.findDocumentsById(group.map((g) => g.b.id), true)).map((d) => [d.id as string, d as StoredDoc]));
        const writes: BulkWriteRow<AnyDoc>[] = [];
        for (const { b, server, refused } of group) {
          const local = locals.get(b.id);
          const out = this.local.outboxRow(name, b.id);
          const serverVersion: Version = { doc: server.doc, deleted: server.deleted };
          const write = local && out ? this.reconcile(name, local, out, serverVersion, conflicts, refused) : serverVersion;
          if (write) writes.push(this.writeRow(write, local));
          this.local.setShadow(name, b.id, server.revision);
        }
        if (writes.length) {
          await this.bulkWrite(name, instance, writes);
          changed.add(name);
        }
      }
      if (conflicts.length) await this.recordConflicts(conflicts);
      this.local.dropInflight(batch.batchId);
      this.local.set('lastPushAt', String(Date.now()));
    });
    this.afterApply(changed, conflicts.length);
  }

  // ---------------------------------------------------------------------------
  // Local writes of the engine

  private instance(name: string): Instance {
    return (this.core.store.db.collections as unknown as Record<string, { storageInstance: Instance }>)[name]!.storageInstance;
  }

  /**
   * A bulkWrite row for a version. The version's doc object becomes the document (no
   * copy: it was parsed for this write, and RxDB's wrapped instance clones it anyway);
   * _rev and _meta are set there (a new local revision).
   */
  private writeRow(version: Version, previous: StoredDoc | undefined): BulkWriteRow<AnyDoc> {
    const document = Object.assign(version.doc, { _deleted: version.deleted, _attachments: {}, _meta: { lwt: 0 }, _rev: '' }) as unknown as RxDocumentData<AnyDoc>;
    return previous ? { document, previous } : { document };
  }

  private async bulkWrite(name: string, instance: Instance, rows: BulkWriteRow<AnyDoc>[]): Promise<void> {
    const result = await instance.bulkWrite(rows, SYNC_WRITE_CONTEXT);
    if (result.error.length === 0) return;
    // A server document this app cannot store (e.g. written by a newer app version): keep a note, go on.
    const problems = this.local.getJson<{ collection: string; id: string; message: string; at: number }[]>('pullProblems') ?? [];
    for (const e of result.error) {
      const message = redactText(JSON.stringify((e as { validationErrors?: unknown }).validationErrors ?? e.status)).slice(0, 300);
      problems.push({ collection: name, id: e.documentId, message, at: Date.now() });
      this.core.logger.error('sync: could not store a document from the server', { collection: name, id: e.documentId, status: e.status, message });
    }
    this.local.setJson('pullProblems', problems.slice(-50));
    this.pullProblems = problems.length;
  }

  private valid(collection: string, doc: AnyDoc): boolean {
    let validator = this.validators.get(collection);
    if (!validator) {
      validator = getValidator(allCollections[collection as CollectionName].schema) as (doc: unknown) => unknown[];
      this.validators.set(collection, validator);
    }
    return validator(doc).length === 0;
  }

  private async recordConflicts(conflicts: SyncConflictDoc[]): Promise<void> {
    const result = await this.instance('syncConflicts').bulkWrite(conflicts.map((c) => this.writeRow({ doc: c as unknown as AnyDoc, deleted: false }, undefined)), SYNC_WRITE_CONTEXT);
    if (result.error.length) throw new Error(`could not record sync conflicts: ${JSON.stringify(result.error[0]).slice(0, 300)}`);
  }

  /** Runs `work` in one SQLite transaction (the storage's own transactions nest as savepoints). Call inside writes.exclusive. */
  /**
   * Runs `work` in one SQLite transaction (the storage's own transactions nest as
   * savepoints). Call inside writes.exclusive. `pulled`: the transaction holds only what
   * came from the server (with the cursor past it), so it commits without waiting for
   * the disk (synchronous=NORMAL): a power cut can only lose the last pages, which are
   * pulled again, never make the cursor pass documents that are not stored. The next
   * local write (synchronous=FULL) makes them durable too.
   */
  /** Runs a small synchronous write with synchronous=NORMAL (durable against a crash of the process, not a power cut). */
  private relaxed<T>(work: () => T): T {
    const level = this.sqlite.pragma('synchronous', { simple: true }) as number;
    this.sqlite.pragma('synchronous = NORMAL');
    try {
      return work();
    } finally {
      this.sqlite.pragma(`synchronous = ${Number(level)}`);
    }
  }

  private async transaction(work: () => Promise<void>, pulled = false): Promise<void> {
    const level = pulled ? (this.sqlite.pragma('synchronous', { simple: true }) as number) : null;
    if (pulled) this.sqlite.pragma('synchronous = NORMAL');
    try {
      await this.transactionInner(work);
    } finally {
      if (level !== null) this.sqlite.pragma(`synchronous = ${Number(level)}`);
    }
  }

  private async transactionInner(work: () => Promise<void>): Promise<void> {
    this.sqlite.exec('BEGIN IMMEDIATE');
    try {
      await work();
      this.sqlite.exec('COMMIT');
    } catch (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      throw error;
    }
  }

  private afterApply(changed: Set<CollectionName>, conflicts: number): void {
    if (conflicts > 0) {
      this.conflictCount += conflicts;
      changed.add('syncConflicts');
    }
    if (changed.size > 0) this.core.bus.emit('data.changed', { collections: [...changed] });
    this.emitStatus(conflicts > 0);
  }

  // ---------------------------------------------------------------------------
  // Status

  status(): SyncStatus {
    const paired = this.closed ? null : this.local?.paired();
    const lastPullAt = this.numberState('lastPullAt');
    const lastPushAt = this.numberState('lastPushAt');
    const rejected = this.closed ? 0 : this.local.rejectedCount();
    let lastError = this.lastError;
    if (!lastError && rejected > 0) {
      const first = this.local.rejected(1)[0]!;
      lastError = `The server refused ${rejected} change${rejected === 1 ? '' : 's'} (kept on this device): ${first.collection} ${first.id}: ${first.message ?? first.reason}`;
    }
    if (!lastError && this.pullProblems > 0) lastError = `${this.pullProblems} record${this.pullProblems === 1 ? '' : 's'} from the server could not be stored here (see the log); update the app.`;
    const state: State = paired ? this.state : 'off';
    let lagMs = this.lagMs;
    if (state !== 'online') lagMs = lastPullAt ? Math.max(0, Date.now() - lastPullAt) : null;
    return {
      state,
      queueDepth: this.closed ? 0 : this.local.queueDepth(),
      lastPullAt,
      lastPushAt,
      lagMs: paired ? lagMs : null,
      conflicts: this.conflictCount,
      lastError: state === 'off' ? null : lastError,
      paired: paired ? { tenantName: paired.tenantName, deviceCode: paired.deviceCode, server: paired.server, pairedAt: paired.pairedAt } : null,
      progress: state === 'off' ? null : this.progress,
      rejected,
    };
  }

  private numberState(key: string): number | null {
    if (this.closed) return null;
    const v = this.local.get(key);
    return v === null ? null : Number(v);
  }

  private setState(state: State, error?: string | null): void {
    const changed = state !== this.state || (error !== undefined && error !== this.lastError);
    this.state = state;
    if (error !== undefined) this.lastError = error;
    if (changed) this.emitStatus(true);
  }

  /**
   * The status after a local write, once that write has committed: the hook runs inside
   * the write's transaction, where counting the outbox would report rows that may still
   * roll back and would delay the writer's answer (a sale at the counter) by the count
   * and the event's delivery to every window.
   */
  private statusAfterCommit(): void {
    if (this.statusPending) return;
    this.statusPending = true;
    const later = (): void => {
      if (this.sqlite.inTransaction && !this.closed) return void setTimeout(later, 5);
      this.statusPending = false;
      this.emitStatus();
    };
    setImmediate(later);
  }

  private emitStatus(immediate = false): void {
    if (this.closed) return;
    const now = Date.now();
    if (immediate || now - this.lastEmit >= this.opts.statusThrottleMs) {
      if (this.emitTimer) clearTimeout(this.emitTimer);
      this.emitTimer = null;
      this.lastEmit = now;
      this.core.bus.emit('sync.status', this.status());
    } else if (!this.emitTimer) {
      this.emitTimer = setTimeout(() => {
        this.emitTimer = null;
        this.emitStatus(true);
      }, this.opts.statusThrottleMs - (now - this.lastEmit));
    }
  }

  // ---------------------------------------------------------------------------
  // Operations (sync.* handlers)

  /** Pairs this device with the server the code points at, and starts syncing. */
  async pair(code: string, actor: Actor): Promise<SyncStatus> {
    const current = this.local.paired();
    if (current && this.state !== 'revoked' && this.state !== 'error') {
      throw new ApiError('CONFLICT', `This device is already paired with ${current.tenantName} (${current.server}). Unpair it first.`);
    }
    const devices = this.core.store.db.collections.devices;
    const mine = await devices.findOne(this.core.deviceId).exec();
    const redeemed = await redeemPairing(code, { localDeviceId: this.core.deviceId, proposedCode: mine?.code ?? null, log: this.core.logger });
    await this.stopLoop();
    const credential: SyncCredential = { server: redeemed.server, roleName: redeemed.roleName, password: redeemed.password };
    await saveCredential(this.core.options.dataDir, this.opts.secretBox, credential);
    const info: PairedInfo = {
      tenantId: redeemed.tenantId,
      tenantName: redeemed.tenantName,
      deviceCode: redeemed.deviceCode,
      deviceName: redeemed.deviceName,
      serverDeviceId: redeemed.deviceId,
      server: describeAddress(redeemed.server),
      channel: redeemed.channel,
      pairedAt: Date.now(),
    };
    await this.core.writes.exclusive(async () => {
      if (this.local.get('tenantId') !== info.tenantId) {
        // Another business (or the first pairing): what this device knew of a server does not apply.
        this.local.resetServerKnowledge();
        this.local.set('tenantId', info.tenantId);
      }
      this.local.setJson('paired', info);
      this.local.delete('pullProblems');
      this.enqueueUnsynced();
    });
    this.pullProblems = 0;
    // The server's device code becomes this device's invoice-series code.
    const kind = this.core.options.host === 'browser' ? 'browser_host' : this.core.options.host === 'electron' ? 'desktop' : 'cli';
    await this.core.writes.run({ action: 'sync.pair', actor }, async (tx) => {
      const existing = await tx.get('devices', this.core.deviceId);
      if (existing) await tx.update('devices', this.core.deviceId, { code: info.deviceCode, pairedAt: info.pairedAt });
      else await tx.insert('devices', { id: this.core.deviceId, code: info.deviceCode, name: info.deviceName.slice(0, 100), kind, appVersion: this.core.options.appVersion, pairedAt: info.pairedAt });
    });
    this.core.logger.info('sync: paired', { tenantId: info.tenantId, deviceCode: info.deviceCode, server: info.server });
    this.credential = credential;
    this.lastError = null;
    this.state = 'connecting';
    this.startLoop();
    this.emitStatus(true);
    return this.status();
  }

  /** Documents of this store the server has never seen and that are not queued yet (a store from before sync, or another tenant). */
  private enqueueUnsynced(): void {
    for (const name of replicatedCollectionNames) {
      const table = (this.instance(name) as unknown as { internals: { tableName: string } }).internals.tableName;
      if (!/^[A-Za-z0-9_]+$/.test(table)) throw new Error(`unexpected table name ${table}`);
      this.sqlite
        .prepare(
          `INSERT INTO sync_outbox (collection, id, seq, base_doc)
           SELECT ?, json_extract(t.data, '$.id'), ?, NULL FROM "${table}" t
           WHERE t.deleted = 0
             AND NOT EXISTS (SELECT 1 FROM sync_shadow s WHERE s.collection = ? AND s.id = json_extract(t.data, '$.id'))
             AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.collection = ? AND o.id = json_extract(t.data, '$.id'))`,
        )
        .run(name, this.local.nextSeq(), name, name);
    }
  }

  /** Stops syncing and forgets the credential; local data and unpushed changes stay. */
  async unpair(): Promise<SyncStatus> {
    await this.stopLoop();
    deleteCredential(this.core.options.dataDir);
    this.credential = null;
    await this.core.writes.exclusive(async () => this.local.delete('paired'));
    this.state = 'off';
    this.lastError = null;
    this.progress = null;
    this.core.logger.info('sync: unpaired');
    this.emitStatus(true);
    return this.status();
  }

  /** Syncs now and waits (up to syncNowTimeoutMs) for that sync to finish. */
  async syncNow(): Promise<SyncStatus> {
    if (!this.local.paired() || this.state === 'revoked') return this.status();
    if (!this.loop && this.credential) this.startLoop();
    if (!this.loop) return this.status();
    const target = this.cyclesStarted + 1;
    const finished = new Promise<void>((resolve) => this.cycleWaiters.push({ target, done: resolve }));
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.opts.syncNowTimeoutMs)))]);
    clearTimeout(timer);
    return this.status();
  }

  async conflicts(includeResolved: boolean): Promise<SyncConflict[]> {
    const docs = await this.core.store.db.collections.syncConflicts
      .find({ selector: includeResolved ? {} : { resolved: false }, sort: [{ detectedAt: 'desc' }] })
      .exec();
    return docs.map((d) => toConflict(d.toJSON() as SyncConflictDoc));
  }

  async resolveConflict(conflictId: string, keep: 'server' | 'local', actor: Actor): Promise<SyncConflict> {
    const found = await this.core.store.db.collections.syncConflicts.findOne(conflictId).exec();
    if (!found) throw new ApiError('NOT_FOUND', 'No such sync conflict.');
    const conflict = found.toJSON() as SyncConflictDoc;
    if (conflict.resolved) throw new ApiError('CONFLICT', 'This conflict was already resolved.');
    const collection = conflict.collectionName as CollectionName;
    if (!isReplicated(collection)) throw new ApiError('INTERNAL', `The conflict names an unknown collection ${collection}.`);
    const now = Date.now();
    await this.core.writes.run({ action: 'sync.resolveConflict', actor, reason: keep === 'local' ? 'kept this device’s version' : 'kept the server’s version' }, async (tx) => {
      if (keep === 'local') {
        // The local version goes up again on top of the server's revision (the write hook queues it).
        const { _deleted: deleted, ...localDoc } = conflict.localDoc as AnyDoc;
        const current = await tx.get(collection, conflict.docId);
        if (deleted === true) {
          if (current) await tx.remove(collection, conflict.docId);
        } else if (current) {
          await tx.update(collection, conflict.docId, () => ({ ...localDoc, id: conflict.docId }) as never);
        } else {
          await tx.insert(collection, { ...localDoc, id: conflict.docId } as never);
        }
      }
      await tx.update('syncConflicts', conflictId, { resolved: true, resolution: keep === 'local' ? 'keep_local' : 'keep_server', resolvedAt: now, resolvedBy: actor.userId });
    });
    this.conflictCount = await this.countConflicts();
    this.emitStatus(true);
    this.wake();
    const after = await this.core.store.db.collections.syncConflicts.findOne(conflictId).exec();
    return toConflict(after!.toJSON() as SyncConflictDoc);
  }

  private async countConflicts(): Promise<number> {
    return this.core.store.db.collections.syncConflicts.count({ selector: { resolved: false } }).exec();
  }
}

/**
 * The pending outbox rows (in seq order) that may go in the next batch while others are
 * in flight (`inFlight`: collection NUL id -> seq sent): a version in flight is passed
 * over; a document changed again since it was sent ends the list there.
 */
export function pushCandidates<R extends { collection: string; id: string; seq: number }>(
  pending: readonly R[],
  inFlight: ReadonlyMap<string, number>,
): { rows: R[]; stopped: boolean } {
  const rows: R[] = [];
  for (const p of pending) {
    const sent = inFlight.get(`${p.collection}\u0000${p.id}`);
    if (sent === p.seq) continue;
    if (sent !== undefined) return { rows, stopped: true };
    rows.push(p);
  }
  return { rows, stopped: false };
}

/**
 * How many of a batch's rows to send so that it does not end inside one local write.
 * A write through the write path enqueues its documents, then its audit entries (same
 * transaction, so consecutive in the outbox). The server lets a manager's correction of a
 * closed day through only with its override audit entry in the same batch or already on
 * the server, so a batch cut between a write's documents and its audit entries would get
 * the documents refused. The batch is cut back to the end of the last whole write (its last
 * audit entry followed by another write's first document); when it holds no such boundary
 * (one write larger than a batch, or rows written without audit entries) it goes as it is,
 * unless `mustEndAtWrite` (the rest of the write waits for a batch in flight): then 0.
 */
export function rowsOfWholeWrites(rows: readonly { collection: string; seq: number }[], next: { collection: string } | undefined, mustEndAtWrite = false): number {
  const isAudit = (r: { collection: string } | undefined): boolean => r?.collection === 'auditLog';
  const last = rows[rows.length - 1];
  if (!next || (isAudit(last) && !isAudit(next))) return rows.length;
  for (let i = rows.length - 2; i >= 0; i--) {
    if (isAudit(rows[i]) && !isAudit(rows[i + 1])) return i + 1;
  }
  return mustEndAtWrite ? 0 : rows.length;
}

export function toConflict(d: SyncConflictDoc): SyncConflict {
  return {
    id: d.id,
    collectionName: d.collectionName,
    docId: d.docId,
    fields: [...d.fields],
    reason: d.reason ?? '',
    localDoc: { ...(d.localDoc as AnyDoc) },
    serverDoc: { ...(d.serverDoc as AnyDoc) },
    detectedAt: d.detectedAt,
    resolved: d.resolved,
    resolution: d.resolution ?? null,
  };
}
