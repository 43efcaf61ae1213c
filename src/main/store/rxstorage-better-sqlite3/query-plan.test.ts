/**
 * The SQL a query() sends must be an index range scan with ORDER BY and
 * LIMIT done by SQLite when the index satisfies selector and sort (the
 * "today's sales for this register" shape): no table scan, no temporary
 * sort b-tree, no JS sort. Checked with EXPLAIN QUERY PLAN on the statements
 * the storage actually prepares.
 */
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { fillWithDefaultSettings, now, randomToken } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BetterSqlite3Internals, RxStorageBetterSqlite3, RxStorageInstanceBetterSqlite3 } from './index';
import { getRxStorageBetterSqlite3 } from './index';
import { makeTempDir, prepared } from './test-support';

type Sale = { id: string; deviceId: string; createdAt: number; totalMinor: number };

const schema: RxJsonSchema<RxDocumentData<Sale>> = fillWithDefaultSettings<Sale>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    deviceId: { type: 'string', maxLength: 16 },
    createdAt: { type: 'integer', minimum: 0, maximum: 9_999_999_999_999, multipleOf: 1 },
    totalMinor: { type: 'integer' },
  },
  required: ['id', 'deviceId', 'createdAt', 'totalMinor'],
  indexes: [['deviceId', 'createdAt']],
});

let tmp: ReturnType<typeof makeTempDir>;
let storage: RxStorageBetterSqlite3;
let inst: RxStorageInstanceBetterSqlite3<Sale>;

beforeEach(async () => {
  tmp = makeTempDir();
  storage = getRxStorageBetterSqlite3({ path: tmp.dir });
  inst = await storage.createStorageInstance<Sale>({
    databaseInstanceToken: randomToken(10),
    databaseName: 'db',
    collectionName: 'sales',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  });
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    document: {
      id: 'sale-' + String(i).padStart(5, '0'),
      deviceId: 'reg-' + (i % 4),
      createdAt: 1_700_000_000_000 + i * 60_000,
      totalMinor: i,
      _deleted: false,
      _attachments: {},
      _rev: '1-plan',
      _meta: { lwt: now() },
    },
  }));
  await inst.bulkWrite(rows, 'query-plan.test');
  // Let SQLite's planner see real statistics, as on a store that has been in use.
  (inst.internals as BetterSqlite3Internals).connection.db.exec('ANALYZE');
});

afterEach(async () => {
  await inst.close();
  tmp.cleanup();
});

/** Runs `fn` and returns the SQL of every statement the storage prepared or reused meanwhile. */
async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const conn = (inst.internals as BetterSqlite3Internals).connection;
  const seen: string[] = [];
  const original = conn.prepare;
  conn.prepare = (sql, mode) => {
    seen.push(sql);
    return original.call(conn, sql, mode);
  };
  try {
    await fn();
  } finally {
    conn.prepare = original;
  }
  return seen;
}

function planOf(sql: string, params: unknown[]): string {
  const db = (inst.internals as BetterSqlite3Internals).connection.db;
  return (db.prepare('EXPLAIN QUERY PLAN ' + sql).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
}

describe('query plans', () => {
  it("serves today's sales for one register by an index range with SQL ORDER BY and LIMIT", async () => {
    const from = 1_700_000_000_000 + 500 * 60_000;
    const query = prepared(schema, {
      selector: { deviceId: 'reg-1', createdAt: { $gte: from, $lt: from + 86_400_000 }, _deleted: { $eq: false } },
      sort: [{ createdAt: 'asc' }],
      limit: 50,
    });
    expect(query.queryPlan.index).toEqual(['_deleted', 'deviceId', 'createdAt', 'id']);
    expect(query.queryPlan.selectorSatisfiedByIndex && query.queryPlan.sortSatisfiedByIndex).toBe(true);
    let documents: RxDocumentData<Sale>[] = [];
    const sqls = await statementsOf(async () => {
      documents = (await inst.query(query)).documents;
    });
    expect(documents).toHaveLength(50);
    expect(documents.map((d) => d.createdAt)).toEqual([...documents.map((d) => d.createdAt)].sort((a, b) => a - b));
    const selects = sqls.filter((sql) => sql.startsWith('SELECT'));
    expect(selects).toHaveLength(1);
    const sql = selects[0] as string;
    expect(sql).toMatch(/ORDER BY "ckey:_deleted,deviceId,createdAt,id" LIMIT \? OFFSET \?$/);
    const plan = planOf(sql, ['a', 'b', 50, 0]);
    expect(plan).toMatch(/SEARCH .* USING INDEX .*_deleted,deviceId,createdAt,id/);
    expect(plan).not.toMatch(/TEMP B-TREE|SCAN/);
  });

  it('counts the same range with COUNT(*) on the index alone', async () => {
    const query = prepared(schema, { selector: { deviceId: 'reg-1', _deleted: { $eq: false } } });
    const sqls = await statementsOf(async () => expect(await inst.count(query)).toEqual({ count: 500, mode: 'fast' }));
    const sql = sqls.find((s) => s.startsWith('SELECT count(*)')) as string;
    expect(planOf(sql, ['a', 'b'])).toMatch(/SEARCH .* USING COVERING INDEX/);
  });

  it('reads changes since a checkpoint by the (lwt, id) index without sorting', async () => {
    const sqls = await statementsOf(() => inst.getChangedDocumentsSince(10, { id: 'sale-00010', lwt: 0 }));
    const sql = sqls.find((s) => s.startsWith('SELECT')) as string;
    const plan = planOf(sql, [0, 'x', 10]);
    expect(plan).toMatch(/SEARCH .* USING INDEX .*lwt,id/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
