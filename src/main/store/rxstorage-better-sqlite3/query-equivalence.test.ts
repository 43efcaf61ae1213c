/**
 * Property test: random documents and random Mango queries give exactly the
 * same results (same documents, same order) and counts on this storage as on
 * RxDB's memory storage. Both get the same prepared query (normalizeMangoQuery
 * + prepareQuery, i.e. the same query plan).
 */
import fc from 'fast-check';
import type { MangoQuery, MangoQuerySelector, RxDocumentData, RxJsonSchema, RxStorageInstance } from 'rxdb';
import { fillWithDefaultSettings } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RxStorageBetterSqlite3 } from './index';
import { getRxStorageBetterSqlite3 } from './index';
import { createInstance, makeTempDir, prepared } from './test-support';

type Item = {
  id: string;
  str: string;
  num: number;
  int: number;
  bool: boolean;
  txt: string;
  opt?: string;
};

const schema: RxJsonSchema<RxDocumentData<Item>> = fillWithDefaultSettings<Item>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 24 },
    str: { type: 'string', maxLength: 16 },
    num: { type: 'number', minimum: -1000, maximum: 1000, multipleOf: 0.01 },
    int: { type: 'integer', minimum: -100, maximum: 100, multipleOf: 1 },
    bool: { type: 'boolean' },
    txt: { type: 'string' },
    opt: { type: 'string' },
  },
  required: ['id', 'str', 'num', 'int', 'bool', 'txt'],
  indexes: ['str', 'num', ['bool', 'int'], ['str', 'int']],
});

// Few distinct characters so that equal values, prefixes and ties are common.
const CHARS = ['a', 'b', 'B', ' ', '\t', 'é', '中', '😀', '\ud800\udc00', '\ue000', '\uffff', 'z'];
const shortString = (maxLength: number) =>
  fc.array(fc.constantFrom(...CHARS), { maxLength }).map((chars) => chars.join(''));
const num = fc.integer({ min: -100000, max: 100000 }).map((cents) => cents / 100);
const int = fc.integer({ min: -100, max: 100 });

const itemArb = fc.record(
  {
    id: shortString(5).map((s) => 'i' + s),
    str: shortString(4),
    num,
    int,
    bool: fc.boolean(),
    txt: shortString(3),
    opt: shortString(2),
  },
  { requiredKeys: ['id', 'str', 'num', 'int', 'bool', 'txt'] },
);

const docsArb = fc
  .uniqueArray(fc.tuple(itemArb, fc.double({ min: 0, max: 1, noNaN: true })), { selector: ([item]) => item.id, maxLength: 40 })
  .map((rows) =>
    rows.map(
      ([item, r], i): RxDocumentData<Item> => ({
        ...item,
        _deleted: r < 0.1,
        _attachments: {},
        _rev: '1-rev' + i,
        _meta: { lwt: 1700000000000 + i },
      }),
    ),
  );

type FieldGen = { field: keyof Item; value: fc.Arbitrary<unknown> };
const FIELDS: FieldGen[] = [
  { field: 'str', value: shortString(3) },
  { field: 'num', value: num },
  { field: 'int', value: int },
  { field: 'bool', value: fc.boolean() },
  { field: 'txt', value: shortString(2) },
  { field: 'id', value: shortString(3).map((s) => 'i' + s) },
];
const REGEXES = ['^a', 'b', '😀', '^$', '.', 'é$', '\uffff', '^i[ab]'];

const fieldCondition: fc.Arbitrary<MangoQuerySelector<Item>> = fc.oneof(
  ...FIELDS.map(({ field, value }) =>
    fc.oneof(
      fc.record({ op: fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte'), v: value }).map(({ op, v }) => ({ [field]: { [op]: v } })),
      fc.record({ lo: value, hi: value, a: fc.constantFrom('$gt', '$gte'), b: fc.constantFrom('$lt', '$lte') }).map(({ lo, hi, a, b }) => ({
        [field]: { [a]: lo, [b]: hi },
      })),
      fc.record({ op: fc.constantFrom('$in', '$nin'), v: fc.array(value, { maxLength: 4 }) }).map(({ op, v }) => ({ [field]: { [op]: v } })),
    ),
  ),
  ...(['str', 'txt', 'id'] as const).map((field) => fc.constantFrom(...REGEXES).map((r) => ({ [field]: { $regex: r } }))),
  fc.boolean().map((exists) => ({ opt: { $exists: exists } })),
) as fc.Arbitrary<MangoQuerySelector<Item>>;

const selectorArb: fc.Arbitrary<MangoQuerySelector<Item>> = fc
  .record({
    parts: fc.array(fieldCondition, { maxLength: 2 }),
    logical: fc.oneof(
      fc.constant(undefined),
      fc.record({ op: fc.constantFrom('$or', '$and'), subs: fc.array(fieldCondition, { minLength: 1, maxLength: 3 }) }),
    ),
    notDeleted: fc.boolean(),
  })
  .map(({ parts, logical, notDeleted }) => {
    const selector: Record<string, unknown> = {};
    // Merging several conditions of the same field would overwrite: keep the first.
    for (const part of parts) for (const [k, v] of Object.entries(part)) if (!(k in selector)) selector[k] = v;
    if (logical) selector[logical.op] = logical.subs;
    if (notDeleted) selector._deleted = { $eq: false };
    return selector as MangoQuerySelector<Item>;
  });

const sortArb = fc
  .uniqueArray(
    fc.record({ field: fc.constantFrom('str', 'num', 'int', 'bool', 'txt', 'opt', 'id'), dir: fc.constantFrom('asc', 'desc') }),
    { selector: (s) => s.field, maxLength: 2 },
  )
  .map((parts) => parts.map(({ field, dir }) => ({ [field]: dir })));

const queryArb: fc.Arbitrary<MangoQuery<Item>> = fc
  .record({
    selector: selectorArb,
    sort: fc.option(sortArb, { nil: undefined }),
    skip: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    limit: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  })
  .map((q) => {
    const query: MangoQuery<Item> = { selector: q.selector };
    if (q.sort && q.sort.length > 0) query.sort = q.sort as MangoQuery<Item>['sort'];
    if (q.skip !== undefined) query.skip = q.skip;
    if (q.limit !== undefined) query.limit = q.limit;
    return query;
  });

let tmp: ReturnType<typeof makeTempDir>;
let storage: RxStorageBetterSqlite3;

beforeAll(() => {
  tmp = makeTempDir();
  // Durability is not what this test is about.
  storage = getRxStorageBetterSqlite3({ path: tmp.dir, synchronous: 'OFF' });
});
afterAll(() => tmp.cleanup());

describe('query() and count() equal RxDB memory storage', () => {
  it('on random documents and random Mango queries', async () => {
    const memoryStorage = getRxStorageMemory();
    let run = 0;
    let nonEmpty = 0;
    const plans = new Set<string>();
    await fc.assert(
      fc.asyncProperty(docsArb, fc.array(queryArb, { minLength: 1, maxLength: 6 }), async (docs, queries) => {
        run++;
        const ours = await createInstance<Item>(storage, 'equiv', 'c' + run, schema);
        const memory = await createInstance<Item>(memoryStorage, 'equiv-mem-' + run + '-' + Date.now(), 'c', schema);
        try {
          if (docs.length > 0) {
            const rows = docs.map((document) => ({ document }));
            expect((await ours.bulkWrite(rows, 'equiv')).error).toEqual([]);
            expect((await memory.bulkWrite(rows, 'equiv')).error).toEqual([]);
          }
          for (const mango of queries) {
            const query = prepared(schema, mango);
            plans.add(`${query.queryPlan.selectorSatisfiedByIndex}/${query.queryPlan.sortSatisfiedByIndex}`);
            const expected = (await memory.query(query)).documents;
            const actual = (await ours.query(query)).documents;
            expect(actual.map((d) => d.id), JSON.stringify(mango)).toEqual(expected.map((d) => d.id));
            expect(actual).toEqual(expected);
            if (expected.length > 0) nonEmpty++;
            const countQuery = prepared(schema, { selector: mango.selector });
            expect((await ours.count(countQuery)).count, JSON.stringify(mango.selector)).toBe((await memory.count(countQuery)).count);
          }
        } finally {
          await (ours as RxStorageInstance<Item, unknown, unknown>).remove();
          await memory.remove();
        }
      }),
      { numRuns: 150 },
    );
    // The generators must exercise every query-plan branch and real results.
    expect(plans).toEqual(new Set(['true/true', 'true/false', 'false/true', 'false/false']));
    // Unseeded generators: runs with only 47 and 50 non-empty results were seen, so 50 was flaky; 25 still proves real results.
    expect(nonEmpty).toBeGreaterThan(25);
  });
});
