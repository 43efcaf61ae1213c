/**
 * A bounded cache of decoded documents, one per table and connection, so that
 * reading a document again costs a Map lookup instead of an SQLite row fetch
 * plus JSON.parse.
 *
 * Why it can never serve a stale document:
 * - Every write to the `rxdocs__*` tables goes through this storage and this
 *   connection (one per file and process). bulkWrite() drops the entries of
 *   the ids it writes *inside* its transaction and only stores the new
 *   versions after a top-level COMMIT; a rolled-back write leaves misses.
 * - Inside a transaction somebody else opened on the shared connection (the
 *   app's write path nests bulkWrites in its own BEGIN ... COMMIT), nothing is
 *   stored: that transaction may still roll back. Reads made while any
 *   transaction is open never populate the cache either.
 * - Writes by other connections (another process such as the CLI) change
 *   SQLite's `PRAGMA data_version`, which is checked before every read and in
 *   every write transaction; a change clears the caches of the connection.
 * - cleanup() and remove() clear the table's cache.
 * - Range reads fetch `lwt` with each row anyway and use a cached document
 *   only if its `_meta.lwt` equals the row's, as a second line of defence.
 *
 * Handing out the same object more than once is what RxDB's own memory
 * storage does (it returns the objects of its Map); the storage contract is
 * that callers do not mutate returned documents. Every cached object was made
 * by JSON.parse here (never a caller's object, so a caller mutating what it
 * passed to bulkWrite() cannot reach the cache), and in dev-mode it is
 * deep-frozen, so a caller that mutates a returned document fails loudly
 * instead of corrupting later reads (RxDB dev-mode freezes documents too).
 *
 * The bound is a document count per table; the oldest inserted entry is
 * evicted first (a Map iterates in insertion order).
 */
import type { RxDocumentData } from 'rxdb';

type AnyDoc = RxDocumentData<Record<string, unknown>>;

/** How many recently read ranges are remembered (see preferKeyedRange()). */
const RECENT_RANGES = 64;

type Entry = {
  /** `_meta.lwt` of the version this entry holds. */
  lwt: number;
  /** The JSON as written (decoded on first read) or the decoded document. */
  value: string | AnyDoc;
};

export class DocumentCache {
  private readonly entries = new Map<string, Entry>();
  /** Deep-freeze documents as they are decoded (set when any instance of the table runs in dev-mode). */
  freeze = false;

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached document of an encoded id, decoding it on first use. */
  get<T>(key: string): RxDocumentData<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    return this.decoded(entry) as RxDocumentData<T>;
  }

  /** The cached document if it is the version with this `lwt`, else undefined. */
  getVersion<T>(key: string, lwt: number): RxDocumentData<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.lwt !== lwt) return undefined;
    return this.decoded(entry) as RxDocumentData<T>;
  }

  /** Decodes a row read from SQLite and caches it when `store` is true. */
  decode<T>(key: string, lwt: number, json: string, store: boolean): RxDocumentData<T> {
    return this.adopt<T>(key, lwt, JSON.parse(json) as AnyDoc, store);
  }

  /**
   * Takes a document just decoded from SQLite (freezing it in dev-mode),
   * cached when `store` is true. `known`: the key was just looked up and found
   * absent ('absent'), which saves a hash lookup per document on cold reads.
   */
  adopt<T>(key: string, lwt: number, doc: AnyDoc, store: boolean, known?: 'absent'): RxDocumentData<T> {
    if (this.freeze) deepFreeze(doc);
    if (store) this.put(key, { lwt, value: doc }, known === 'absent');
    return doc as RxDocumentData<T>;
  }

  /** Whether the last resolve() found its version cached. */
  lastWasHit = false;

  /**
   * For a document just decoded from a row: the cached object of that version
   * if there is one (a cached JSON string is replaced by `doc`, not parsed
   * again), else `doc`, adopted as by adopt().
   */
  resolve<T>(key: string, lwt: number, doc: AnyDoc, store: boolean): RxDocumentData<T> {
    const entry = this.entries.get(key);
    this.lastWasHit = entry !== undefined && entry.lwt === lwt;
    if (entry !== undefined && entry.lwt === lwt) {
      if (typeof entry.value !== 'string') return entry.value as RxDocumentData<T>;
      if (this.freeze) deepFreeze(doc);
      entry.value = doc;
      return doc as RxDocumentData<T>;
    }
    return this.adopt<T>(key, lwt, doc, store, entry === undefined ? 'absent' : undefined);
  }

  /**
   * Range reads choose their columns by how often they hit: fetching (id, lwt)
   * with every row lets a hit skip JSON.parse, but costs about 0.4 µs per row
   * (the id string) when nothing is cached, e.g. a screen's first read after
   * opening. So reads fetch the JSON alone while the recent hit rate is low
   * and still count the hits they would have had (by the id in the JSON).
   */
  get preferKeyedReads(): boolean {
    return this.entries.size > 0 && this.rangeHitRate >= 0.25;
  }

  /**
   * Whether a range read should fetch (id, lwt) rows: when recent reads hit,
   * or when the same range (`signature`: index and bounds) was read recently,
   * as a screen re-running its query does; its rows were cached then.
   */
  preferKeyedRange(signature: string | undefined): boolean {
    if (this.entries.size === 0) return false;
    return this.rangeHitRate >= 0.25 || (signature !== undefined && this.recentRanges.has(signature));
  }

  /** Records how many rows of a range read were (or would have been) cached, and its range. */
  noteRangeRead(rows: number, hits: number, signature?: string): void {
    if (rows > 0) this.rangeHitRate = 0.5 * this.rangeHitRate + 0.5 * (hits / rows);
    if (signature === undefined) return;
    this.recentRanges.delete(signature);
    this.recentRanges.set(signature, true);
    if (this.recentRanges.size > RECENT_RANGES) this.recentRanges.delete(this.recentRanges.keys().next().value as string);
  }

  private rangeHitRate = 0;
  private readonly recentRanges = new Map<string, true>();

  /** Caches a document decoded with `decode(..., false)` (no-op if that version is cached already). */
  cacheDecoded(key: string, lwt: number, doc: AnyDoc | RxDocumentData<unknown>): void {
    const entry = this.entries.get(key);
    if (entry && entry.lwt === lwt) return;
    this.put(key, { lwt, value: doc as AnyDoc });
  }

  /** Caches a committed write as its JSON; it is decoded when first read. */
  putWritten(key: string, lwt: number, json: string): void {
    this.put(key, { lwt, value: json });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.recentRanges.clear();
  }

  private put(key: string, entry: Entry, absent = false): void {
    if (this.maxEntries <= 0) return;
    const entries = this.entries;
    // Re-inserting moves the key to the newest position.
    if (!absent) entries.delete(key);
    entries.set(key, entry);
    if (entries.size > this.maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
  }

  private decoded(entry: Entry): AnyDoc {
    let value = entry.value;
    if (typeof value === 'string') {
      value = JSON.parse(value) as AnyDoc;
      if (this.freeze) deepFreeze(value);
      entry.value = value;
    }
    return value;
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}
