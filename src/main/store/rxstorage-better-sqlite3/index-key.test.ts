/**
 * The compact keys sort, in SQLite, exactly as RxDB's padded index strings sort
 * in JavaScript: for values, for whole documents and for range bounds. SQLite
 * itself does the comparing, on random values full of the hard cases (spaces
 * before and after other characters, control characters, '\0' and '\uffff'
 * as RxDB uses them in bounds, surrogates).
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { INDEX_MAX, INDEX_MIN, fillWithDefaultSettings, getIndexableStringMonad, getStartIndexStringFromLowerBound, getStartIndexStringFromUpperBound } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeStringField, indexKeyFunction, lowerBoundKey, upperBoundKey, type BoundValue } from './index-key';
import { toSqliteKey } from './key-encoding';

const CHARS = [' ', ' ', ' ', '\t', '\n', '\u0000', '\u001f', '!', 'a', 'b', 'é', '\ud83d\ude00', '\ud800', '\uffff'];
const value = (maxLength: number) =>
  fc.array(fc.constantFrom(...CHARS), { maxLength }).map((cs) => cs.join('').slice(0, maxLength));

const jsSign = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let db: Database.Database;
let sqliteCompare: (a: string, b: string) => number;
beforeAll(() => {
  db = new Database(':memory:');
  const stmt = db.prepare('SELECT (? > ?) - (? < ?)').pluck();
  sqliteCompare = (a, b) => stmt.get(a, b, a, b) as number;
});
afterAll(() => db.close());

describe('encodeStringField', () => {
  it('drops the padding: an ordinary value is itself and one terminator', () => {
    expect(encodeStringField('Product-12', 200)).toBe('Product-12\u0003');
    expect(encodeStringField('Product 12', 200)).toHaveLength('Product 12'.length + 2); // a space run is a marker and a count
    expect(encodeStringField('abc   ', 10)).toBe(encodeStringField('abc', 10));
  });

  it('orders like the padded values, in SQLite', () => {
    const maxLength = 7;
    fc.assert(
      fc.property(value(maxLength), value(maxLength), (a, b) => {
        const padded = jsSign(a.padEnd(maxLength, ' '), b.padEnd(maxLength, ' '));
        const encoded = sqliteCompare(toSqliteKey(encodeStringField(a, maxLength)), toSqliteKey(encodeStringField(b, maxLength)));
        expect(encoded).toBe(padded);
      }),
      { numRuns: 3000 },
    );
  });

  it('gets the space cases right that a plain terminator would get wrong', () => {
    const cmp = (a: string, b: string) => sqliteCompare(toSqliteKey(encodeStringField(a, 5)), toSqliteKey(encodeStringField(b, 5)));
    expect(cmp('a', 'a\t')).toBe(1); // padding (spaces) sorts after a tab
    expect(cmp('a', 'a b')).toBe(-1);
    expect(cmp('a  b', 'a b')).toBe(-1); // a space meets 'b' sooner in the second
    expect(cmp('a  \t', 'a \t')).toBe(1);
    expect(cmp('a b', 'a b  ')).toBe(0);
  });
});

type Doc = { id: string; flag: boolean; name: string; amount: number; tag: string };
const schema = fillWithDefaultSettings<Doc>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 6 },
    flag: { type: 'boolean' },
    name: { type: 'string', maxLength: 5 },
    amount: { type: 'number', minimum: -100, maximum: 100, multipleOf: 0.5 },
    tag: { type: 'string', maxLength: 3 },
  },
  required: ['id', 'flag', 'name', 'amount', 'tag'],
  indexes: [['flag', 'name', 'amount', 'tag']],
}) as RxJsonSchema<RxDocumentData<unknown>>;
const FIELDS = ['_deleted', 'flag', 'name', 'amount', 'tag', 'id'];

const docArb = fc.record({
  id: value(6).map((s) => 'i' + s.replace(/ /g, '_').slice(0, 5)),
  flag: fc.boolean(),
  name: value(5),
  amount: fc.integer({ min: -200, max: 200 }).map((n) => n / 2),
  tag: value(3),
  _deleted: fc.boolean(),
});
const asStored = (d: Record<string, unknown>) => ({ ...d, _meta: { lwt: 1 }, _rev: '1-a', _attachments: {} }) as unknown as RxDocumentData<unknown>;

const stringBound = (maxLength: number) => fc.oneof(value(maxLength), fc.constant(INDEX_MIN), fc.constant(INDEX_MAX));
const boundsArb = fc.tuple(
  fc.oneof(fc.boolean(), fc.constant(INDEX_MIN), fc.constant(INDEX_MAX)),
  fc.oneof(fc.boolean(), fc.constant(INDEX_MIN), fc.constant(INDEX_MAX)),
  stringBound(5),
  fc.oneof(fc.integer({ min: -200, max: 200 }).map((n) => n / 2), fc.constant(INDEX_MIN), fc.constant(INDEX_MAX)),
  stringBound(3),
  stringBound(6),
) as fc.Arbitrary<BoundValue[]>;

describe('indexKeyFunction and the bounds', () => {
  const rxKey = getIndexableStringMonad(schema, FIELDS);
  const key = indexKeyFunction(schema, FIELDS);

  it('orders documents like RxDB index strings', () => {
    fc.assert(
      fc.property(docArb, docArb, (a, b) => {
        expect(sqliteCompare(key(asStored(a)), key(asStored(b)))).toBe(jsSign(rxKey(asStored(a)), rxKey(asStored(b))));
      }),
      { numRuns: 2000 },
    );
  });

  it('puts a document inside a range exactly when RxDB does', () => {
    fc.assert(
      fc.property(docArb, boundsArb, boundsArb, (d, lowerValues, upperValues) => {
        const doc = asStored(d);
        const rx = rxKey(doc);
        const rxLower = getStartIndexStringFromLowerBound(schema, FIELDS, lowerValues);
        const rxUpper = getStartIndexStringFromUpperBound(schema, FIELDS, upperValues);
        const k = key(doc);
        const lower = lowerBoundKey(schema, FIELDS, lowerValues);
        const upper = upperBoundKey(schema, FIELDS, upperValues);
        expect(sqliteCompare(k, lower)).toBe(jsSign(rx, rxLower));
        expect(sqliteCompare(k, upper)).toBe(jsSign(rx, rxUpper));
      }),
      { numRuns: 3000 },
    );
  });

  it('is much shorter than the padded string', () => {
    const doc = asStored({ id: 'i1', flag: true, name: 'ab', amount: 3, tag: 'x', _deleted: false });
    expect(key(doc).length).toBeLessThan(rxKey(doc).length);
  });
});
