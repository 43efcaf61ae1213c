/**
 * The decoded-document cache (doc-cache.ts) must be invisible: after every
 * kind of write (update, delete, conflict, rollback, a rolled-back outer
 * transaction, another connection's commit, cleanup, remove) a read returns
 * exactly what SQLite holds, and documents handed out earlier are never
 * changed afterwards. Real SQLite files; the cached path and the SQLite path
 * are compared with a second storage whose cache is off.
 */
import Database from 'better-sqlite3';
import type { RxDocumentData, RxStorageInstance } from 'rxdb';
import { randomToken } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BetterSqlite3Internals, RxStorageBetterSqlite3 } from './index';
import { addWriteHook, getRxStorageBetterSqlite3, getSqliteDatabase } from './index';
import type { TestDoc } from './test-support';
import { createInstance, doc, makeTempDir, nextRev, prepared, testSchema } from './test-support';

const CTX = 'doc-cache.test';
const schema = testSchema();
/** Live documents in id order (storage-level queries see tombstones unless the selector excludes them, as RxDB does). */
const ALL_LIVE = { selector: { _deleted: { $eq: false } }, sort: [{ id: 'asc' as const }] };
type Instance = RxStorageInstance<TestDoc, BetterSqlite3Internals, unknown>;

let tmp: ReturnType<typeof makeTempDir>;
let storage: RxStorageBetterSqlite3;
let open: Instance[];

beforeEach(() => {
  tmp = makeTempDir();
  storage = getRxStorageBetterSqlite3({ path: tmp.dir });
  open = [];
});

afterEach(async () => {
  for (const inst of open) await inst.close().catch(() => undefined);
  tmp.cleanup();
});

async function instance(s: RxStorageBetterSqlite3 = storage, collectionName = 'docs'): Promise<Instance> {
  const created = (await createInstance<TestDoc>(s, 'db', collectionName, schema)) as Instance;
  open.push(created);
  return created;
}

function cacheOf(inst: Instance) {
  const state = inst.internals.connection.tables.get(inst.internals.tableName);
  if (!state) throw new Error('no table state');
  return state.docs;
}

async function write(inst: Instance, rows: { previous?: RxDocumentData<TestDoc>; document: RxDocumentData<TestDoc> }[]) {
  const result = await inst.bulkWrite(rows, CTX);
  expect(result.error).toEqual([]);
}

async function get(inst: Instance, id: string, withDeleted = true) {
  return (await inst.findDocumentsById([id], withDeleted))[0];
}

/** What SQLite itself holds for an id (JSON of the row), bypassing every cache. */
function stored(id: string): RxDocumentData<TestDoc> | undefined {
  const db = getSqliteDatabase(storage, 'db');
  const json = db.prepare('SELECT data FROM "rxdocs__docs__v0" WHERE id = ?').pluck().get(id) as string | undefined;
  return json === undefined ? undefined : (JSON.parse(json) as RxDocumentData<TestDoc>);
}

describe('document cache', () => {
  it('serves repeated reads from the cache, as the same (unchanged) object', async () => {
    const inst = await instance();
    const a = doc('a', 'Ann', 1);
    await write(inst, [{ document: a }]);
    expect(cacheOf(inst).size).toBe(1); // the committed write, as JSON
    const first = await get(inst, 'a');
    const second = await get(inst, 'a');
    expect(first).toEqual(a);
    expect(second).toBe(first);
    expect(first).not.toBe(a); // never the caller's object: mutating `a` cannot reach the cache
    (a as { name: string }).name = 'mutated by the caller';
    expect((await get(inst, 'a'))?.name).toBe('Ann');
  });

  it('returns the new version after an update and leaves the old object as it was', async () => {
    const inst = await instance();
    const a = doc('a', 'Ann', 1);
    await write(inst, [{ document: a }]);
    const before = (await get(inst, 'a'))!;
    const snapshot = structuredClone(before);
    const a2 = nextRev(before, { name: 'Anna', age: 2 });
    await write(inst, [{ previous: before, document: a2 }]);
    expect(await get(inst, 'a')).toEqual(a2);
    expect(before).toEqual(snapshot);
    // the query paths (SQL LIMIT, streamed + matcher, JS sort) see the new version too
    expect((await inst.query(prepared(schema, { selector: { name: 'Anna' } }))).documents).toEqual([a2]);
    expect((await inst.query(prepared(schema, { selector: { name: { $regex: '^Ann' } }, sort: [{ age: 'desc' }] }))).documents).toEqual([a2]);
    expect((await inst.query(prepared(schema, { selector: { name: 'Ann' } }))).documents).toEqual([]);
  });

  it('switches range reads to (id, lwt) rows once they hit, and still sees every update', async () => {
    const inst = await instance();
    const docs = Array.from({ length: 20 }, (_, i) => doc('d' + String(i).padStart(2, '0'), 'n' + i, i));
    await write(inst, docs.map((document) => ({ document })));
    const byAge = prepared(schema, { selector: { age: { $gte: 0 }, _deleted: { $eq: false } }, sort: [{ age: 'asc' }] });
    const cache = cacheOf(inst);
    const first = (await inst.query(byAge)).documents; // JSON rows; the written versions were cached as JSON
    expect(cache.preferKeyedReads).toBe(true);
    const second = (await inst.query(byAge)).documents; // keyed rows, every one a hit
    expect(second).toEqual(docs);
    second.forEach((d, i) => expect(d).toBe(first[i]));
    const changed = nextRev(second[3]!, { age: 100 });
    await write(inst, [{ previous: second[3], document: changed }]);
    const third = (await inst.query(byAge)).documents;
    expect(third[19]).toEqual(changed);
    expect(third.map((d) => d.id)).toEqual([...docs.map((d) => d.id).filter((id) => id !== 'd03'), 'd03']);
    // queries that miss (documents never read) go back to JSON rows: the hit rate decays by half per read
    await write(inst, Array.from({ length: 200 }, (_, i) => ({ document: doc('x' + i, 'x', 500 + i) })));
    cache.clear();
    const range = (from: number, to: number) => prepared(schema, { selector: { age: { $gte: from, $lt: to }, _deleted: { $eq: false } } });
    let last: RxDocumentData<TestDoc>[] = [];
    for (const [from, to] of [[500, 550], [550, 600], [600, 700]] as const) {
      last = (await inst.query(range(from, to))).documents;
      expect(last).toHaveLength(to - from);
    }
    expect(cache.preferKeyedReads).toBe(false);
    // but the same range read again (a screen re-running its query) reads only (id, lwt) and takes the cached documents
    const conn = inst.internals.connection;
    const original = conn.prepare;
    const sqls: string[] = [];
    conn.prepare = (sql, mode) => (sqls.push(sql), original.call(conn, sql, mode));
    try {
      const again = (await inst.query(range(600, 700))).documents;
      again.forEach((d, i) => expect(d).toBe(last[i]));
    } finally {
      conn.prepare = original;
    }
    expect(sqls.filter((sql) => sql.startsWith('SELECT')).map((sql) => sql.slice(0, 18))).toEqual(['SELECT id, lwt FRO']);
  });

  it('hides a deleted document and purges it from the cache on cleanup', async () => {
    const inst = await instance();
    const a = doc('a', 'Ann', 1);
    await write(inst, [{ document: a }]);
    await get(inst, 'a');
    const tombstone = nextRev(a, { _deleted: true });
    await write(inst, [{ previous: a, document: tombstone }]);
    expect(await get(inst, 'a', false)).toBeUndefined();
    expect(await get(inst, 'a', true)).toEqual(tombstone);
    expect((await inst.query(prepared(schema, ALL_LIVE))).documents).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    await inst.cleanup(0);
    expect(await get(inst, 'a', true)).toBeUndefined();
    expect(cacheOf(inst).size).toBe(0);
  });

  it('keeps the stored version when a write conflicts', async () => {
    const inst = await instance();
    const a = doc('a', 'Ann', 1);
    await write(inst, [{ document: a }]);
    const cached = await get(inst, 'a');
    const result = await inst.bulkWrite([{ previous: { ...a, _rev: '1-stale' }, document: nextRev(a, { name: 'lost' }) }], CTX);
    expect(result.error[0]?.status).toBe(409);
    expect(await get(inst, 'a')).toBe(cached);
    expect(await get(inst, 'a')).toEqual(stored('a'));
  });

  it('keeps the old version when a write hook rolls the write back', async () => {
    const inst = await instance();
    const a = doc('a', 'Ann', 1);
    await write(inst, [{ document: a }]);
    await get(inst, 'a');
    const unhook = addWriteHook(storage, () => {
      throw new Error('refused');
    });
    await expect(inst.bulkWrite([{ previous: a, document: nextRev(a, { name: 'never' }) }], CTX)).rejects.toThrow('refused');
    unhook();
    expect((await get(inst, 'a'))?.name).toBe('Ann');
    expect(stored('a')?.name).toBe('Ann');
  });

  it('never keeps what an outer transaction wrote and then rolled back', async () => {
    const inst = await instance();
    const a = doc('a', 'Ann', 1);
    await write(inst, [{ document: a }]);
    await get(inst, 'a');
    const db = getSqliteDatabase(storage, 'db');
    // The app's write path nests bulkWrites in its own transaction like this.
    db.exec('BEGIN IMMEDIATE');
    const a2 = nextRev(a, { name: 'uncommitted' });
    await write(inst, [{ previous: a, document: a2 }, { document: doc('b', 'Bob', 2) }]);
    expect((await get(inst, 'a'))?.name).toBe('uncommitted'); // the connection sees its own transaction
    expect((await inst.query(prepared(schema, ALL_LIVE))).documents.map((d) => d.name)).toEqual(['uncommitted', 'Bob']);
    db.exec('ROLLBACK');
    expect(await get(inst, 'a')).toEqual(a);
    expect(await get(inst, 'b')).toBeUndefined();
    expect((await inst.query(prepared(schema, ALL_LIVE))).documents).toEqual([a]);
    // and a committed outer transaction is seen afterwards
    db.exec('BEGIN IMMEDIATE');
    await write(inst, [{ previous: a, document: a2 }]);
    db.exec('COMMIT');
    expect(await get(inst, 'a')).toEqual(a2);
  });

  it('drops cached documents when another connection (another process) commits', async () => {
    const inst = await instance();
    const a = doc('a', 'Ann', 1);
    await write(inst, [{ document: a }]);
    expect(await get(inst, 'a')).toEqual(a);
    // Another process writing through its own storage changes the row; a plain second connection does the same to SQLite.
    const other = new Database(inst.internals.databaseFile);
    const changed = nextRev(a, { name: 'from elsewhere' });
    other.prepare('UPDATE "rxdocs__docs__v0" SET lwt = ?, data = ? WHERE id = ?').run(changed._meta.lwt, JSON.stringify(changed), 'a');
    other.close();
    expect(await get(inst, 'a')).toEqual(changed);
    // bulkWrite checks too, inside its transaction: the conflict check sees the other process's version
    const result = await inst.bulkWrite([{ previous: a, document: nextRev(a, { name: 'stale writer' }) }], CTX);
    expect(result.error[0]?.status).toBe(409);
    expect((result.error[0] as { documentInDb?: unknown }).documentInDb).toEqual(changed);
  });

  it('is emptied by remove(); a new instance of the collection starts empty', async () => {
    const inst = await instance();
    await write(inst, [{ document: doc('a', 'Ann', 1) }]);
    await get(inst, 'a');
    await inst.remove();
    const again = await instance();
    expect(await get(again, 'a')).toBeUndefined();
    expect((await again.query(prepared(schema, ALL_LIVE))).documents).toEqual([]);
  });

  it('is shared by two instances of the same collection', async () => {
    const one = await instance();
    const two = await instance();
    const a = doc('a', 'Ann', 1);
    await write(one, [{ document: a }]);
    const seen = await get(two, 'a');
    const a2 = nextRev(seen!, { age: 40 });
    await write(two, [{ previous: seen, document: a2 }]);
    expect(await get(one, 'a')).toEqual(a2);
  });

  it('serves interleaved writes and reads in call order, without stale reads', async () => {
    const inst = await instance();
    let current = doc('a', 'v0', 0);
    await write(inst, [{ document: current }]);
    const reads: Promise<RxDocumentData<TestDoc>[]>[] = [];
    const writes: Promise<unknown>[] = [];
    const expected: string[] = [];
    for (let i = 1; i <= 30; i++) {
      const next = nextRev(current, { name: 'v' + i, age: i });
      writes.push(inst.bulkWrite([{ previous: current, document: next }], CTX));
      reads.push(inst.findDocumentsById(['a'], false));
      reads.push(inst.query(prepared(schema, { selector: { age: { $gte: 0 } } })).then((r) => r.documents));
      expected.push('v' + i, 'v' + i);
      current = next;
    }
    const results = await Promise.all(writes);
    expect(results.every((r) => (r as { error: unknown[] }).error.length === 0)).toBe(true);
    expect((await Promise.all(reads)).map((docs) => docs[0]?.name)).toEqual(expected);
    expect(await get(inst, 'a')).toEqual(stored('a'));
  });

  it('matches a storage without cache on a random sequence of writes and reads', async () => {
    const uncached = getRxStorageBetterSqlite3({ path: tmp.dir + '/uncached', documentCacheSize: 0 });
    const cached = getRxStorageBetterSqlite3({ path: tmp.dir + '/cached', documentCacheSize: 8 });
    const a = await instance(cached);
    const b = await instance(uncached);
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const latest = new Map<string, RxDocumentData<TestDoc>>();
    for (let step = 0; step < 400; step++) {
      const id = 'd' + Math.floor(random() * 20);
      const previous = latest.get(id);
      const r = random();
      if (r < 0.5) {
        const document = previous ? nextRev(previous, { age: Math.floor(random() * 100), _deleted: random() < 0.2 }) : doc(id, 'n' + step, step % 100);
        const rows = [{ previous, document }];
        const [ra, rb] = await Promise.all([a.bulkWrite(rows, CTX), b.bulkWrite(rows, CTX)]);
        expect(ra.error.length).toBe(rb.error.length);
        if (ra.error.length === 0) latest.set(id, document);
      } else if (r < 0.75) {
        const ids = [id, 'd' + Math.floor(random() * 20)];
        const withDeleted = random() < 0.5;
        const sortById = (docs: RxDocumentData<TestDoc>[]) => [...docs].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
        expect(sortById(await a.findDocumentsById(ids, withDeleted))).toEqual(sortById(await b.findDocumentsById(ids, withDeleted)));
      } else {
        const query = prepared(schema, { selector: { age: { $gt: Math.floor(random() * 100) } }, sort: [{ age: 'asc' }], limit: 5 });
        expect((await a.query(query)).documents).toEqual((await b.query(query)).documents);
      }
      expect(cacheOf(a).size).toBeLessThanOrEqual(8);
    }
  });

  it('deep-freezes cached documents in dev-mode, so a mutating caller fails loudly', async () => {
    const inst = (await storage.createStorageInstance<TestDoc>({
      databaseInstanceToken: randomToken(10),
      databaseName: 'db',
      collectionName: 'frozen',
      schema,
      options: {},
      multiInstance: false,
      devMode: true,
    })) as unknown as Instance;
    open.push(inst);
    await write(inst, [{ document: doc('a', 'Ann', 1) }]);
    const found = (await get(inst, 'a'))!;
    expect(Object.isFrozen(found)).toBe(true);
    expect(Object.isFrozen(found._meta)).toBe(true);
    expect(() => {
      (found as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });
});
