/**
 * A table written by the storage before the compact keys (key columns "key:<fields>"
 * holding RxDB's padded index strings) is rebuilt when it is opened: same documents,
 * same query results, compact key columns, progress reported, and a second opening
 * finds nothing to do.
 */
import Database from 'better-sqlite3';
import type { MangoQuery, RxDocumentData } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import type { TableRebuildProgress } from './settings';
import { getRxStorageBetterSqlite3 } from './index';
import { toSqliteKey } from './key-encoding';
import { KEY_PREFIX, LEGACY_KEY_PREFIX, getTableLayout } from './table-layout';
import { createInstance, doc, makeTempDir, prepared, testSchema, writeLegacyKeysTable, type TestDoc } from './test-support';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** Writes `docs` into `file` the way the storage laid tables out before the compact keys. */
function writeLegacyTable(file: string, docs: RxDocumentData<TestDoc>[]): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  writeLegacyKeysTable(db, 'people', testSchema() as never, docs.map((d) => ({ id: toSqliteKey(d.id), lwt: d._meta.lwt, deleted: d._deleted ? 1 : 0, data: JSON.stringify(d) })));
  db.close();
}

describe('tables from before the compact keys', () => {
  it('are rebuilt on opening, with the same documents and query results', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const names = ['Ann', 'Ann Lee', 'Ann\tTab', 'bob', 'Bo', 'Zoë', '', 'Ann  Lee'];
    const docs = Array.from({ length: 1200 }, (_, i) => doc(`p${String(i).padStart(5, '0')}`, names[i % names.length]!, (i * 37) % 200 - 100, i % 97 === 0 ? { _deleted: true } : {}));
    const file = `${dir}/legacy.sqlite`;
    writeLegacyTable(file, docs);

    const progress: TableRebuildProgress[] = [];
    const storage = getRxStorageBetterSqlite3({ path: dir, onTableRebuild: (p) => progress.push(p) });
    const schema = testSchema();
    const instance = await createInstance<TestDoc>(storage, 'legacy', 'people', schema);
    cleanups.push(() => void instance.close());

    expect(progress[0]).toEqual({ table: 'rxdocs__people__v0', phase: 'rows', done: 0, total: 1200 });
    expect(progress.filter((p) => p.phase === 'rows').at(-1)).toEqual({ table: 'rxdocs__people__v0', phase: 'rows', done: 1200, total: 1200 });
    // Then the indexes, one step each, ending with all of them built.
    const indexSteps = progress.filter((p) => p.phase === 'indexes');
    expect(indexSteps.map((p) => p.done)).toEqual(indexSteps.map((_, i) => i + 1));
    expect(progress.at(-1)).toEqual({ table: 'rxdocs__people__v0', phase: 'indexes', done: indexSteps.length, total: indexSteps.length });
    expect(indexSteps.length).toBeGreaterThanOrEqual(3);
    const sqlite = storage.getSqliteDatabase('legacy');
    const columns = sqlite.prepare("SELECT name FROM pragma_table_info('rxdocs__people__v0')").pluck().all() as string[];
    expect(columns.filter((c) => c.startsWith(KEY_PREFIX))).toHaveLength(getTableLayout('people', schema).keyColumns.length);
    expect(columns.some((c) => c.startsWith(LEGACY_KEY_PREFIX))).toBe(false);
    expect(sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rxdocs__people__v0' AND name NOT LIKE 'sqlite_autoindex%'").pluck().get()).toBe(
      getTableLayout('people', schema).keyColumns.length + 2,
    );
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');

    const live = docs.filter((d) => !d._deleted);
    const stored = await instance.findDocumentsById(docs.map((d) => d.id), true);
    expect(stored).toHaveLength(docs.length);
    // Range queries on the rebuilt keys give what RxDB's memory storage gives on the same documents.
    const memory = await createInstance<TestDoc>(getRxStorageMemory(), 'legacy-memory', 'people', schema);
    cleanups.push(() => void memory.close());
    await memory.bulkWrite(docs.map((document) => ({ document })), 'test');
    const queries: MangoQuery<RxDocumentData<TestDoc>>[] = [
      { selector: { _deleted: false, name: { $gte: 'Ann', $lt: 'Ann M' } }, sort: [{ name: 'asc' }, { id: 'asc' }] },
      { selector: { _deleted: false, name: { $gt: 'Ann' } }, sort: [{ name: 'asc' }, { age: 'asc' }, { id: 'asc' }], limit: 50 },
      { selector: { _deleted: false, age: { $gt: 50 } }, sort: [{ age: 'asc' }, { id: 'asc' }] },
    ];
    for (const query of queries) {
      const ours = (await instance.query(prepared(schema, query))).documents.map((d) => d.id);
      expect(ours.length).toBeGreaterThan(0);
      expect(ours).toEqual((await memory.query(prepared(schema, query))).documents.map((d) => d.id));
      expect((await instance.count(prepared(schema, query))).count).toBe((await memory.count(prepared(schema, query))).count);
    }
    await instance.close();

    // Opened again: nothing left to rebuild.
    progress.length = 0;
    const again = await createInstance<TestDoc>(storage, 'legacy', 'people', schema);
    cleanups.push(() => void again.close());
    expect(progress).toEqual([]);
    expect((await again.count(prepared(schema, { selector: { _deleted: false } }))).count).toBe(live.length);
  });
});
