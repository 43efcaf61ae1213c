/**
 * Contract tests of the RxStorageInstance interface, written from RxDB's
 * documented storage semantics, on real SQLite files in fresh temp dirs.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBulk, RxDocumentData, RxStorageChangeEvent, RxStorageInstance, RxStorageWriteErrorConflict } from 'rxdb';
import { now } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RxStorageBetterSqlite3 } from './index';
import { addWriteHook, getRxStorageBetterSqlite3, getSqliteDatabase } from './index';
import type { TestDoc } from './test-support';
import { createInstance, doc, makeTempDir, nextRev, prepared, testSchema } from './test-support';

const CTX = 'storage-instance.test';
const schema = testSchema();

let tmp: ReturnType<typeof makeTempDir>;
let storage: RxStorageBetterSqlite3;
let open: RxStorageInstance<unknown, unknown, unknown>[];

beforeEach(() => {
  tmp = makeTempDir();
  storage = getRxStorageBetterSqlite3({ path: tmp.dir });
  open = [];
});

afterEach(async () => {
  for (const instance of open) await instance.close().catch(() => undefined);
  tmp.cleanup();
});

async function instance<T = TestDoc>(collectionName = 'docs', databaseName = 'db', s = schema) {
  const created = await createInstance<T>(storage, databaseName, collectionName, s as never);
  open.push(created as RxStorageInstance<unknown, unknown, unknown>);
  return created;
}

async function insert(inst: RxStorageInstance<TestDoc, unknown, unknown>, docs: RxDocumentData<TestDoc>[]) {
  const result = await inst.bulkWrite(
    docs.map((document) => ({ document })),
    CTX,
  );
  expect(result.error).toEqual([]);
  return docs;
}

async function ids(inst: RxStorageInstance<TestDoc, unknown, unknown>, query: Parameters<typeof prepared<TestDoc>>[1]) {
  const result = await inst.query(prepared(schema, query));
  return result.documents.map((d) => d.id);
}

describe('creation and files', () => {
  it('puts one file per database under the directory and shares one connection', async () => {
    const a = await instance('alpha', 'shop');
    const b = await instance('beta', 'shop');
    expect(a.internals).toMatchObject({ databaseFile: join(tmp.dir, 'shop.sqlite') });
    expect((a.internals as { connection: unknown }).connection).toBe((b.internals as { connection: unknown }).connection);
    const db = getSqliteDatabase(storage, 'shop');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['rxdocs__alpha__v0', 'rxdocs__beta__v0']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    await a.close();
    expect(getSqliteDatabase(storage, 'shop').open).toBe(true); // b still holds it
    await b.close();
    expect(() => getSqliteDatabase(storage, 'shop')).toThrow(/not open/);
  });

  it('names files safely and honours the synchronous option', async () => {
    const relaxed = getRxStorageBetterSqlite3({ path: tmp.dir, synchronous: 'NORMAL' });
    const inst = await createInstance(relaxed, '../weird/name', 'docs', schema);
    expect(readdirSync(tmp.dir)).toContain('%2E%2E%2Fweird%2Fname.sqlite');
    expect(relaxed.getSqliteDatabase('../weird/name').pragma('synchronous', { simple: true })).toBe(1);
    await inst.close();
    expect(() => getRxStorageBetterSqlite3({ path: '' })).toThrow(/path/);
  });

  it('rejects keyCompression like every RxDB storage (UT5)', async () => {
    await expect(instance('docs', 'db', { ...schema, keyCompression: true })).rejects.toThrow(/UT5/);
  });

  it('keeps the data when the file is reopened', async () => {
    const a = await instance();
    await insert(a, [doc('a', 'Ann', 30), doc('b', 'Bob', 40)]);
    await a.close();
    const reopened = await instance();
    const found = await reopened.findDocumentsById(['a', 'b'], false);
    expect(found.map((d) => d.name).sort()).toEqual(['Ann', 'Bob']);
  });

  it('refuses to reuse a table whose indexes changed without a schema version bump', async () => {
    const a = await instance();
    await a.close();
    const changed = testSchema({ indexes: ['tag'] });
    await expect(instance('docs', 'db', changed)).rejects.toThrow(/key columns/);
  });
});

describe('bulkWrite', () => {
  it('writes the exact document and reads it back', async () => {
    const inst = await instance();
    const written = doc('x', 'Xavier', 12, { tag: 'vip' });
    await insert(inst, [written]);
    const [found] = await inst.findDocumentsById(['x'], false);
    expect(found).toEqual(written);
  });

  it('returns a 409 carrying the stored document on conflicts', async () => {
    const inst = await instance();
    const [stored] = await insert(inst, [doc('c', 'Carl', 1)]);
    // insert again without previous
    const again = await inst.bulkWrite([{ document: doc('c', 'Other', 2) }], CTX);
    expect(again.error).toHaveLength(1);
    const conflict = again.error[0] as RxStorageWriteErrorConflict<TestDoc>;
    expect(conflict.status).toBe(409);
    expect(conflict.documentId).toBe('c');
    expect(conflict.documentInDb).toEqual(stored);
    expect(Object.keys(conflict.documentInDb).sort()).toEqual(Object.keys(stored as object).sort());
    // update with a stale previous
    const stale = { ...(stored as RxDocumentData<TestDoc>), _rev: '1-stale' };
    const staleWrite = await inst.bulkWrite([{ previous: stale, document: nextRev(stale, { age: 5 }) }], CTX);
    expect(staleWrite.error[0]?.status).toBe(409);
    // update with the right previous
    const ok = await inst.bulkWrite([{ previous: stored, document: nextRev(stored!, { age: 5 }) }], CTX);
    expect(ok.error).toEqual([]);
    expect((await inst.findDocumentsById(['c'], false))[0]?.age).toBe(5);
  });

  it('lets only the first of two parallel inserts of the same id win', async () => {
    const inst = await instance();
    const [first, second] = await Promise.all([
      inst.bulkWrite([{ document: doc('p', 'first', 1) }], CTX),
      inst.bulkWrite([{ document: doc('p', 'second', 2) }], CTX),
    ]);
    expect(first?.error).toEqual([]);
    expect(second?.error[0]?.status).toBe(409);
    expect((await inst.findDocumentsById(['p'], false))[0]?.name).toBe('first');
  });

  it('applies a call that names the same id twice in order', async () => {
    const inst = await instance();
    const v1 = doc('d', 'v1', 1);
    const v2 = nextRev(v1, { name: 'v2' });
    const result = await inst.bulkWrite([{ document: v1 }, { previous: v1, document: v2 }, { document: doc('d', 'v3', 3) }], CTX);
    expect(result.error.map((e) => e.status)).toEqual([409]);
    expect((await inst.findDocumentsById(['d'], false))[0]?.name).toBe('v2');
  });

  it('emits the change events before the promise resolves, with a checkpoint', async () => {
    const inst = await instance();
    const seen: EventBulk<RxStorageChangeEvent<TestDoc>, unknown>[] = [];
    const sub = inst.changeStream().subscribe((bulk) => seen.push(bulk));
    const a = doc('a', 'Ann', 1);
    const writePromise = inst.bulkWrite([{ document: a }], 'ctx-insert');
    await writePromise.then(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.context).toBe('ctx-insert');
    expect(seen[0]?.events.map((e) => [e.operation, e.documentId])).toEqual([['INSERT', 'a']]);
    expect(seen[0]?.checkpoint).toEqual({ id: 'a', lwt: a._meta.lwt });
    const a2 = nextRev(a, { age: 2 });
    await inst.bulkWrite([{ previous: a, document: a2 }], CTX);
    const a3 = nextRev(a2, { _deleted: true });
    await inst.bulkWrite([{ previous: a2, document: a3 }], CTX);
    expect(seen.map((b) => b.events[0]?.operation)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    // a write that only conflicts emits nothing
    await inst.bulkWrite([{ document: doc('a', 'again', 1) }], CTX);
    expect(seen).toHaveLength(3);
    sub.unsubscribe();
  });

  it('runs write hooks inside the transaction; a throwing hook rolls everything back', async () => {
    const inst = await instance();
    const db = getSqliteDatabase(storage, 'db');
    db.exec('CREATE TABLE audit (collection TEXT, doc_id TEXT, context TEXT)');
    const remove = addWriteHook(storage, (event) => {
      expect(event.db.inTransaction).toBe(true);
      for (const w of event.writes) {
        event.db
          .prepare('INSERT INTO audit VALUES (?, ?, ?)')
          .run(event.collectionName, w.document.id, event.context);
      }
      if (event.writes.some((w) => w.document.name === 'forbidden')) throw new Error('locked');
    });
    await insert(inst, [doc('ok', 'fine', 1)]);
    expect(db.prepare('SELECT * FROM audit').all()).toEqual([{ collection: 'docs', doc_id: 'ok', context: CTX }]);
    let events = 0;
    const sub = inst.changeStream().subscribe(() => events++);
    await expect(inst.bulkWrite([{ document: doc('bad', 'forbidden', 1) }, { document: doc('b2', 'x', 1) }], CTX)).rejects.toThrow(
      'locked',
    );
    expect(events).toBe(0);
    expect(await inst.findDocumentsById(['bad', 'b2'], true)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(1);
    remove();
    await insert(inst, [doc('after', 'forbidden', 1)]);
    expect(db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(1);
    sub.unsubscribe();
  });
});

describe('findDocumentsById', () => {
  it('reads more ids than fit in one statement and hides deleted documents unless asked', async () => {
    const inst = await instance();
    const docs = Array.from({ length: 1203 }, (_, i) => doc('id' + String(i).padStart(5, '0'), 'n' + i, i % 100));
    await insert(inst, docs);
    const wanted = docs.map((d) => d.id).concat(['missing']);
    const found = await inst.findDocumentsById(wanted, false);
    expect(found).toHaveLength(1203);
    expect(new Set(found.map((d) => d.id)).size).toBe(1203);
    const victim = docs[7] as RxDocumentData<TestDoc>;
    await inst.bulkWrite([{ previous: victim, document: nextRev(victim, { _deleted: true }) }], CTX);
    expect(await inst.findDocumentsById([victim.id], false)).toEqual([]);
    expect((await inst.findDocumentsById([victim.id], true))[0]?._deleted).toBe(true);
    expect(await inst.findDocumentsById([], false)).toEqual([]);
  });
});

describe('query and count', () => {
  const people = () => [
    doc('p1', 'Bea', 30, { tag: 'x' }),
    doc('p2', 'Al', 30),
    doc('p3', 'Cy', 25, { tag: 'y' }),
    doc('p4', 'Al', 41, { tag: 'x' }),
    doc('p5', 'Dee', -3),
    doc('p6', 'Eve', 30, { tag: 'z' }),
  ];

  it('excludes deleted documents from queries and counts', async () => {
    const inst = await instance();
    const docs = await insert(inst, people());
    const p3 = docs[2] as RxDocumentData<TestDoc>;
    await inst.bulkWrite([{ previous: p3, document: nextRev(p3, { _deleted: true }) }], CTX);
    expect(await ids(inst, { selector: { _deleted: { $eq: false } }, sort: [{ id: 'asc' }] })).toEqual(['p1', 'p2', 'p4', 'p5', 'p6']);
    const count = await inst.count(prepared(schema, { selector: { _deleted: { $eq: false } } }));
    expect(count).toEqual({ count: 5, mode: 'fast' });
  });

  it('breaks sort ties by primary key and applies skip and limit', async () => {
    const inst = await instance();
    await insert(inst, people());
    expect(await ids(inst, { selector: {}, sort: [{ age: 'asc' }] })).toEqual(['p5', 'p3', 'p1', 'p2', 'p6', 'p4']);
    expect(await ids(inst, { selector: {}, sort: [{ age: 'desc' }] })).toEqual(['p4', 'p1', 'p2', 'p6', 'p3', 'p5']);
    expect(await ids(inst, { selector: { age: { $eq: 30 } }, sort: [{ name: 'desc' }] })).toEqual(['p6', 'p1', 'p2']);
    expect(await ids(inst, { selector: {}, sort: [{ age: 'asc' }], skip: 2, limit: 3 })).toEqual(['p1', 'p2', 'p6']);
    expect(await ids(inst, { selector: {}, sort: [{ age: 'asc' }], skip: 10 })).toEqual([]);
    expect(await ids(inst, { selector: { tag: { $eq: 'x' } }, sort: [{ age: 'desc' }], skip: 1, limit: 5 })).toEqual(['p1']);
  });

  it('returns nothing for limit 0, like RxDB memory storage', async () => {
    const inst = await instance();
    await insert(inst, people());
    const memory = await createInstance(getRxStorageMemory(), 'mem' + Date.now(), 'docs', schema);
    await memory.bulkWrite(people().map((document) => ({ document })), CTX);
    const query = prepared(schema, { selector: {}, sort: [{ age: 'asc' }], limit: 0 });
    expect((await memory.query(query)).documents).toEqual([]);
    expect((await inst.query(query)).documents).toEqual([]);
    await memory.close();
  });

  it('supports $in, $or, $regex and $gt/$lte ranges (index range plus matcher)', async () => {
    const inst = await instance();
    await insert(inst, people());
    expect(await ids(inst, { selector: { name: { $in: ['Al', 'Eve'] } }, sort: [{ id: 'asc' }] })).toEqual(['p2', 'p4', 'p6']);
    expect(await ids(inst, { selector: { $or: [{ age: { $lt: 0 } }, { tag: { $eq: 'y' } }] }, sort: [{ id: 'asc' }] })).toEqual([
      'p3',
      'p5',
    ]);
    expect(await ids(inst, { selector: { name: { $regex: '^[A-C]' } }, sort: [{ name: 'asc' }] })).toEqual(['p2', 'p4', 'p1', 'p3']);
    expect(await ids(inst, { selector: { age: { $gt: 25, $lte: 30 } }, sort: [{ age: 'asc' }] })).toEqual(['p1', 'p2', 'p6']);
    expect(await ids(inst, { selector: { age: { $gte: 25, $lt: 30 } } })).toEqual(['p3']);
    // RxDB adds `_deleted: false`; then the ['_deleted', 'age', 'id'] index satisfies the selector.
    const countRange = await inst.count(prepared(schema, { selector: { _deleted: { $eq: false }, age: { $gt: 25, $lte: 30 } } }));
    expect(countRange).toEqual({ count: 3, mode: 'fast' });
    // Without it the index cannot satisfy the selector alone: matched in JS.
    expect(await inst.count(prepared(schema, { selector: { age: { $gt: 25, $lte: 30 } } }))).toEqual({ count: 3, mode: 'slow' });
    const countRegex = await inst.count(prepared(schema, { selector: { name: { $regex: 'e' } } }));
    expect(countRegex).toEqual({ count: 3, mode: 'slow' });
  });

  it('orders unicode like JavaScript: emoji, chars above U+FFFF, private use and \\uFFFF', async () => {
    const inst = await instance();
    const names = ['a', 'Z', '\u00e9', '\u4e2d', '\ud83d\ude00', '\ud800\udc00', '\ue000', '\uffff', '\uffff\uffff', 'a\uffff', '\t', ''];
    const docs = names.map((name, i) => doc('😀id-' + i + '-\uffff', name, i));
    await insert(inst, docs);
    const byName = (await inst.query(prepared(schema, { selector: {}, sort: [{ name: 'asc' }] }))).documents.map((d) => d.name);
    // The index string pads with spaces, so '' and '\t' compare padded, exactly like RxDB's memory storage.
    const memory = await createInstance(getRxStorageMemory(), 'mem-uni' + Date.now(), 'docs', schema);
    await memory.bulkWrite(docs.map((document) => ({ document })), CTX);
    const memoryByName = (await memory.query(prepared(schema, { selector: {}, sort: [{ name: 'asc' }] }))).documents.map((d) => d.name);
    expect(byName).toEqual(memoryByName);
    expect(byName.filter((n) => n.length > 0 && n !== '\t')).toEqual(names.filter((n) => n.length > 0 && n !== '\t').sort());
    // range queries with bounds around the surrogate/private-use boundary
    const range = prepared(schema, { selector: { name: { $gt: '\u4e2d', $lt: '\uffff' } }, sort: [{ name: 'asc' }] });
    expect((await inst.query(range)).documents.map((d) => d.name)).toEqual(['\ud800\udc00', '\ud83d\ude00', '\ue000']);
    expect((await inst.count(range)).count).toBe(3);
    // ids with emoji and \uFFFF round-trip through the primary key
    const found = await inst.findDocumentsById(docs.map((d) => d.id), false);
    expect(found.map((d) => d.id).sort()).toEqual(docs.map((d) => d.id).sort());
    await memory.close();
  });

  it('falls back to a full scan for a query index the table does not have', async () => {
    const inst = await instance();
    await insert(inst, people());
    const query = prepared(schema, { selector: { age: { $gte: 30 } }, sort: [{ name: 'asc' }] });
    query.queryPlan = { ...query.queryPlan, index: ['tag', 'id'] };
    expect((await inst.query(query)).documents.map((d) => d.id)).toEqual(['p2', 'p4', 'p1', 'p6']);
    expect(await inst.count(query)).toEqual({ count: 4, mode: 'slow' });
  });
});

describe('getChangedDocumentsSince', () => {
  it('pages through all writes in (lwt, id) order, including tombstones', async () => {
    const inst = await instance();
    const lwt = now();
    // same lwt for several docs: the id breaks ties
    const docs = ['e', 'b', 'd', 'a', 'c'].map((id) => doc(id, id, 1, { _meta: { lwt } }));
    await insert(inst, docs);
    const later = doc('0-later', 'z', 1, { _meta: { lwt: lwt + 5 } });
    await insert(inst, [later]);
    const b = docs[1] as RxDocumentData<TestDoc>;
    const bDeleted = { ...nextRev(b, { _deleted: true }), _meta: { lwt: lwt + 10 } };
    await inst.bulkWrite([{ previous: b, document: bDeleted }], CTX);

    const getChanges = inst.getChangedDocumentsSince!.bind(inst);
    const page1 = await getChanges(3);
    expect(page1.documents.map((d) => d.id)).toEqual(['a', 'c', 'd']);
    expect(page1.checkpoint).toEqual({ id: 'd', lwt });
    const page2 = await getChanges(3, page1.checkpoint);
    expect(page2.documents.map((d) => d.id)).toEqual(['e', '0-later', 'b']);
    expect(page2.documents[2]?._deleted).toBe(true);
    const page3 = await getChanges(3, page2.checkpoint);
    expect(page3.documents).toEqual([]);
    expect(page3.checkpoint).toEqual(page2.checkpoint);
  });

  it('returns an empty result and a zero checkpoint on an empty collection', async () => {
    const inst = await instance();
    expect(await inst.getChangedDocumentsSince!(10)).toEqual({ documents: [], checkpoint: { id: '', lwt: 0 } });
  });
});

describe('cleanup', () => {
  it('purges only tombstones older than minimumDeletedTime', async () => {
    const inst = await instance();
    const [keep, gone] = await insert(inst, [doc('keep', 'k', 1), doc('gone', 'g', 1)]);
    await inst.bulkWrite([{ previous: gone, document: nextRev(gone!, { _deleted: true }) }], CTX);
    expect(await inst.cleanup(60 * 60 * 1000)).toBe(true);
    expect((await inst.findDocumentsById(['gone'], true))[0]?._deleted).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(await inst.cleanup(0)).toBe(true);
    expect(await inst.findDocumentsById(['gone'], true)).toEqual([]);
    expect((await inst.findDocumentsById(['keep'], true))[0]).toEqual(keep);
  });
});

describe('close and remove', () => {
  it('rejects every call after close; close is idempotent', async () => {
    const inst = await instance();
    await insert(inst, [doc('a', 'A', 1)]);
    await inst.close();
    await inst.close();
    const q = prepared(schema, { selector: {} });
    await expect(inst.bulkWrite([{ document: doc('b', 'B', 1) }], CTX)).rejects.toThrow(/closed/);
    await expect(inst.findDocumentsById(['a'], false)).rejects.toThrow(/closed/);
    await expect(inst.query(q)).rejects.toThrow(/closed/);
    await expect(inst.count(q)).rejects.toThrow(/closed/);
    await expect(inst.getChangedDocumentsSince!(1)).rejects.toThrow(/closed/);
    await expect(inst.cleanup(0)).rejects.toThrow(/closed/);
    await expect(inst.getAttachmentData('a', 'x', 'd')).rejects.toThrow(/closed/);
    await expect(inst.remove()).rejects.toThrow(/closed/);
    expect(() => inst.changeStream()).toThrow(/closed/);
  });

  it('remove drops the collection tables; close after remove resolves; the emptied file is deleted', async () => {
    const other = await instance('other');
    const inst = await instance('victim');
    await insert(inst, [doc('a', 'A', 1)]);
    await inst.remove();
    await inst.close();
    await expect(inst.query(prepared(schema, { selector: {} }))).rejects.toThrow(/removed/);
    const tables = getSqliteDatabase(storage, 'db').prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(['rxdocs__other__v0']);
    const again = await instance('victim');
    expect(await again.findDocumentsById(['a'], true)).toEqual([]);
    await again.remove();
    await other.remove();
    expect(existsSync(join(tmp.dir, 'db.sqlite'))).toBe(false);
  });
});

describe('attachments', () => {
  const attSchema = testSchema({ attachments: {} });

  it('round-trips attachment data given as Blob or base64 and removes it with the document', async () => {
    const inst = await instance('files', 'db', attSchema);
    const blob = new Blob(['hello 😀 world'], { type: 'text/plain' });
    const first = doc('f', 'file', 1, {
      _attachments: { readme: { data: blob, digest: 'md5-1', length: blob.size, type: 'text/plain' } } as never,
    });
    expect((await inst.bulkWrite([{ document: first }], CTX)).error).toEqual([]);
    const [stored] = await inst.findDocumentsById(['f'], false);
    expect(stored?._attachments).toEqual({ readme: { digest: 'md5-1', length: blob.size, type: 'text/plain' } });
    const data = await inst.getAttachmentData('f', 'readme', 'md5-1');
    expect(await data.text()).toBe('hello 😀 world');
    expect(data.type).toBe('text/plain');
    await expect(inst.getAttachmentData('f', 'readme', 'md5-other')).rejects.toThrow(/does not exist/);
    await expect(inst.getAttachmentData('f', 'nope', 'md5-1')).rejects.toThrow(/does not exist/);

    // update: replace readme (base64 input), add a second one
    const second = nextRev(stored!, {
      _attachments: {
        readme: { data: Buffer.from('v2').toString('base64'), digest: 'md5-2', length: 2, type: 'text/plain' },
        extra: { data: new Blob([new Uint8Array([0, 1, 2, 255])]), digest: 'md5-3', length: 4, type: 'application/octet-stream' },
      } as never,
    });
    expect((await inst.bulkWrite([{ previous: stored, document: second }], CTX)).error).toEqual([]);
    expect(await (await inst.getAttachmentData('f', 'readme', 'md5-2')).text()).toBe('v2');
    expect([...new Uint8Array(await (await inst.getAttachmentData('f', 'extra', 'md5-3')).arrayBuffer())]).toEqual([0, 1, 2, 255]);

    // dropping an attachment from the document removes its data
    const [stored2] = await inst.findDocumentsById(['f'], false);
    const third = nextRev(stored2!, { _attachments: { extra: stored2!._attachments.extra! } });
    expect((await inst.bulkWrite([{ previous: stored2, document: third }], CTX)).error).toEqual([]);
    await expect(inst.getAttachmentData('f', 'readme', 'md5-2')).rejects.toThrow(/does not exist/);

    // deleting the document removes all attachments
    await inst.bulkWrite([{ previous: third, document: nextRev(third, { _deleted: true, _attachments: {} }) }], CTX);
    await expect(inst.getAttachmentData('f', 'extra', 'md5-3')).rejects.toThrow(/does not exist/);
  });
});

describe('backups through the shared connection', () => {
  it('db.backup() copies a consistent database', async () => {
    const inst = await instance();
    await insert(inst, [doc('a', 'A', 1), doc('b', 'B', 2)]);
    const target = join(tmp.dir, 'backup.sqlite');
    await getSqliteDatabase(storage, 'db').backup(target);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM rxdocs__docs__v0').pluck().get()).toBe(2);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
  });
});
