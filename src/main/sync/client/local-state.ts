// The sync engine's own tables in the store file (never replicated, never touched by
// RxDB). They change in the same SQLite transactions as the documents they describe:
//
//   sync_outbox   one row per document changed on this device and not yet accepted
//                 by the server (written by the write hook inside every local write's
//                 transaction, so a change is never written without being queued).
//                 seq orders the changes and identifies the version that was pushed;
//                 base_doc is the document as the server last had it (for merges);
//                 status 'rejected' keeps a row the server refused, with its reason.
//   sync_shadow   the server revision this device last saw of each document: the
//                 base revision of the next push, and how a pulled echo is skipped.
//   sync_state    cursor, pairing, last pull and push (key/value).
//   sync_inflight the batch being pushed (id and exact body), so that after a crash
//                 the same batch is sent again and the server replays its answer.
//   sync_outbox_count  rows of sync_outbox per status, kept by triggers in the same
//                 transactions: the status after every write reads it instead of
//                 counting an outbox that may hold millions of rows (an unpaired
//                 device keeps every change; count(*) of 1.7 million took 60-80 ms).
import type Database from 'better-sqlite3';
import { START_CURSOR, type PullCursor } from '../server/protocol';

export interface OutboxRow {
  collection: string;
  id: string;
  seq: number;
  base_doc: string | null;
  status: 'pending' | 'rejected';
  reason: string | null;
  message: string | null;
}

/** A pending change as the push loop picks it: which document, and which version (seq). */
export type PendingChange = Pick<OutboxRow, 'collection' | 'id' | 'seq'>;

export interface PairedInfo {
  tenantId: string;
  tenantName: string;
  deviceCode: string;
  deviceName: string;
  /** The device's id on the server. */
  serverDeviceId: string;
  /** host:port/database */
  server: string;
  channel: string;
  pairedAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_outbox (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  base_doc TEXT,
  status TEXT NOT NULL DEFAULT 'pending',
  reason TEXT,
  message TEXT,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sync_outbox_order ON sync_outbox (status, seq);
CREATE TABLE IF NOT EXISTS sync_shadow (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  rev TEXT NOT NULL,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sync_inflight (batch_id TEXT PRIMARY KEY, body TEXT NOT NULL, seqs TEXT NOT NULL, created_at INTEGER NOT NULL);
`;

/** Created once, filled from the outbox as it is, in the same transaction as its triggers. */
const COUNT_SCHEMA = `
CREATE TABLE sync_outbox_count (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO sync_outbox_count (status, n) SELECT status, count(*) FROM sync_outbox GROUP BY status;
CREATE TRIGGER sync_outbox_count_insert AFTER INSERT ON sync_outbox BEGIN
  INSERT INTO sync_outbox_count (status, n) VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER sync_outbox_count_delete AFTER DELETE ON sync_outbox BEGIN
  UPDATE sync_outbox_count SET n = n - 1 WHERE status = OLD.status;
END;
CREATE TRIGGER sync_outbox_count_status AFTER UPDATE OF status ON sync_outbox WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE sync_outbox_count SET n = n - 1 WHERE status = OLD.status;
  INSERT INTO sync_outbox_count (status, n) VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
`;

export class LocalSyncState {
  private seq: number;
  private readonly stmt: ReturnType<LocalSyncState['prepareAll']>;

  constructor(readonly sqlite: Database.Database) {
    sqlite.exec(SCHEMA);
    const hasCounts = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_outbox_count'").pluck().get();
    if (!hasCounts) sqlite.transaction(() => sqlite.exec(COUNT_SCHEMA)).immediate();
    this.stmt = this.prepareAll();
    this.seq = (sqlite.prepare('SELECT max(seq) AS s FROM sync_outbox').get() as { s: number | null }).s ?? 0;
  }

  private prepareAll() {
    const db = this.sqlite;
    return {
      getState: db.prepare('SELECT value FROM sync_state WHERE key = ?').pluck(),
      setState: db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      deleteState: db.prepare('DELETE FROM sync_state WHERE key = ?'),
      shadow: db.prepare('SELECT rev FROM sync_shadow WHERE collection = ? AND id = ?').pluck(),
      setShadow: db.prepare('INSERT INTO sync_shadow (collection, id, rev) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET rev = excluded.rev'),
      shadowMany: db.prepare('SELECT id, rev FROM sync_shadow WHERE collection = ? AND id IN (SELECT value FROM json_each(?))'),
      setShadowMany: db.prepare(
        `INSERT INTO sync_shadow (collection, id, rev) SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true
         ON CONFLICT (collection, id) DO UPDATE SET rev = excluded.rev`,
      ),
      outboxMany: db.prepare('SELECT * FROM sync_outbox WHERE collection = ? AND id IN (SELECT value FROM json_each(?))'),
      outboxRow: db.prepare('SELECT * FROM sync_outbox WHERE collection = ? AND id = ?'),
      enqueue: db.prepare(
        `INSERT INTO sync_outbox (collection, id, seq, base_doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (collection, id) DO UPDATE SET seq = excluded.seq, status = 'pending', reason = NULL, message = NULL`,
      ),
      // Only what the (status, seq) index holds (it carries the key): no lookup per row.
      pending: db.prepare("SELECT collection, id, seq FROM sync_outbox WHERE status = 'pending' ORDER BY seq LIMIT ?"),
      count: db.prepare('SELECT coalesce(sum(n), 0) FROM sync_outbox_count').pluck(),
      countPending: db.prepare("SELECT coalesce(sum(n), 0) FROM sync_outbox_count WHERE status = 'pending'").pluck(),
      rejected: db.prepare("SELECT * FROM sync_outbox WHERE status = 'rejected' ORDER BY seq LIMIT ?"),
      countRejected: db.prepare("SELECT coalesce(sum(n), 0) FROM sync_outbox_count WHERE status = 'rejected'").pluck(),
      dropIfSeq: db.prepare('DELETE FROM sync_outbox WHERE collection = ? AND id = ? AND seq = ?'),
      drop: db.prepare('DELETE FROM sync_outbox WHERE collection = ? AND id = ?'),
      dropMany: db.prepare(
        `DELETE FROM sync_outbox WHERE collection = ? AND (id, seq) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
         RETURNING id`,
      ).pluck(),
      setBase: db.prepare('UPDATE sync_outbox SET base_doc = ? WHERE collection = ? AND id = ?'),
      reject: db.prepare("UPDATE sync_outbox SET status = 'rejected', reason = ?, message = ? WHERE collection = ? AND id = ? AND seq = ?"),
      inflight: db.prepare('SELECT * FROM sync_inflight ORDER BY created_at LIMIT 1'),
      addInflight: db.prepare('INSERT INTO sync_inflight (batch_id, body, seqs, created_at) VALUES (?, ?, ?, ?)'),
      dropInflight: db.prepare('DELETE FROM sync_inflight WHERE batch_id = ?'),
    };
  }

  // ---- key/value state -----------------------------------------------------

  get(key: string): string | null {
    return (this.stmt.getState.get(key) as string | undefined) ?? null;
  }

  set(key: string, value: string): void {
    this.stmt.setState.run(key, value);
  }

  delete(key: string): void {
    this.stmt.deleteState.run(key);
  }

  getJson<T>(key: string): T | null {
    const v = this.get(key);
    return v === null ? null : (JSON.parse(v) as T);
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }

  cursor(): PullCursor {
    return this.getJson<PullCursor>('cursor') ?? START_CURSOR;
  }

  setCursor(cursor: PullCursor): void {
    this.setJson('cursor', cursor);
  }

  paired(): PairedInfo | null {
    return this.getJson<PairedInfo>('paired');
  }

  // ---- shadow revisions ----------------------------------------------------

  shadowRev(collection: string, id: string): string | null {
    return (this.stmt.shadow.get(collection, id) as string | undefined) ?? null;
  }

  setShadow(collection: string, id: string, rev: string): void {
    this.stmt.setShadow.run(collection, id, rev);
  }

  /** The known server revisions of these documents (one statement). */
  shadowRevs(collection: string, ids: string[]): Map<string, string> {
    const rows = this.stmt.shadowMany.all(collection, JSON.stringify(ids)) as { id: string; rev: string }[];
    return new Map(rows.map((r) => [r.id, r.rev]));
  }

  setShadows(collection: string, revs: [id: string, rev: string][]): void {
    if (revs.length) this.stmt.setShadowMany.run(collection, JSON.stringify(revs));
  }

  /** The outbox rows of these documents (one statement). */
  outboxRows(collection: string, ids: string[]): Map<string, OutboxRow> {
    const rows = this.stmt.outboxMany.all(collection, JSON.stringify(ids)) as OutboxRow[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  // ---- outbox --------------------------------------------------------------

  /** Called by the write hook, inside the write's transaction. */
  enqueue(collection: string, id: string, baseDoc: string | null): void {
    this.stmt.enqueue.run(collection, id, ++this.seq, baseDoc);
  }

  outboxRow(collection: string, id: string): OutboxRow | null {
    return (this.stmt.outboxRow.get(collection, id) as OutboxRow | undefined) ?? null;
  }

  pending(limit: number): PendingChange[] {
    return this.stmt.pending.all(limit) as PendingChange[];
  }

  rejected(limit: number): OutboxRow[] {
    return this.stmt.rejected.all(limit) as OutboxRow[];
  }

  queueDepth(): number {
    return this.stmt.count.get() as number;
  }

  pendingCount(): number {
    return this.stmt.countPending.get() as number;
  }

  rejectedCount(): number {
    return this.stmt.countRejected.get() as number;
  }

  /** Drops the row if it still holds the version `seq`; false when it changed since. */
  dropIfUnchanged(collection: string, id: string, seq: number): boolean {
    return this.stmt.dropIfSeq.run(collection, id, seq).changes > 0;
  }

  /** Drops the rows that still hold the pushed versions; returns the ids dropped. */
  dropManyIfUnchanged(collection: string, versions: [id: string, seq: number][]): Set<string> {
    if (versions.length === 0) return new Set();
    return new Set(this.stmt.dropMany.all(collection, JSON.stringify(versions)) as string[]);
  }

  drop(collection: string, id: string): void {
    this.stmt.drop.run(collection, id);
  }

  setBase(collection: string, id: string, baseDoc: string | null): void {
    this.stmt.setBase.run(baseDoc, collection, id);
  }

  reject(collection: string, id: string, seq: number, reason: string, message: string): boolean {
    return this.stmt.reject.run(reason, message, collection, id, seq).changes > 0;
  }

  /** A new version number for a row the engine requeues itself (after a merge). */
  nextSeq(): number {
    return ++this.seq;
  }

  // ---- in-flight batch -----------------------------------------------------

  inflight(): { batch_id: string; body: string; seqs: string } | null {
    return (this.stmt.inflight.get() as { batch_id: string; body: string; seqs: string } | undefined) ?? null;
  }

  addInflight(batchId: string, body: string, seqs: number[]): void {
    this.stmt.addInflight.run(batchId, body, JSON.stringify(seqs), Date.now());
  }

  dropInflight(batchId: string): void {
    this.stmt.dropInflight.run(batchId);
  }

  /** Forgets what this device knew of a server (pairing with another tenant). Keeps the outbox: local changes still go up. */
  resetServerKnowledge(): void {
    this.sqlite.exec("DELETE FROM sync_shadow; DELETE FROM sync_inflight; DELETE FROM sync_state WHERE key IN ('cursor', 'lastPullAt', 'lastPushAt'); UPDATE sync_outbox SET base_doc = NULL");
  }
}
