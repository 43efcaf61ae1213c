/**
 * Proof that toSqliteKey() makes SQLite's TEXT order (memcmp over UTF-8)
 * equal JavaScript's string order (UTF-16 code units), checked by SQLite
 * itself on random strings full of the hard cases.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSqliteKey } from './key-encoding';

const HARD_UNITS = [0x00, 0x09, 0x20, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffe, 0xffff];

/** Strings from single code units, so lone surrogates, pairs, '\uFFFF' etc. all occur. */
const unitString = fc
  .array(fc.oneof(fc.constantFrom(...HARD_UNITS), fc.integer({ min: 0, max: 0xffff })), { maxLength: 8 })
  .map((units) => String.fromCharCode(...units));
const anyString = fc.oneof(unitString, fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 }));

const jsCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let db: Database.Database;
beforeAll(() => {
  db = new Database(':memory:');
});
afterAll(() => db.close());

describe('toSqliteKey', () => {
  it('keeps strings below U+D800 unchanged (no cost for ordinary keys)', () => {
    expect(toSqliteKey('abc 123 é 中')).toBe('abc 123 é 中');
  });

  it('plain UTF-8 TEXT would get the order wrong (why the encoding exists)', () => {
    const sqliteLess = db.prepare('SELECT ? < ?').pluck();
    // JS: '\uD83D\uDE00' (emoji) < '\uFFFF'; SQLite on raw strings says the opposite.
    expect('\ud83d\ude00' < '\uffff').toBe(true);
    expect(sqliteLess.get('\ud83d\ude00', '\uffff')).toBe(0);
    expect(sqliteLess.get(toSqliteKey('\ud83d\ude00'), toSqliteKey('\uffff'))).toBe(1);
  });

  it('SQLite compares encoded keys exactly like JavaScript compares the strings', () => {
    const cmp = db.prepare('SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END FROM (SELECT ? AS a, ? AS b)').pluck();
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        expect(cmp.get(toSqliteKey(a), toSqliteKey(b))).toBe(jsCompare(a, b));
      }),
      { numRuns: 3000 },
    );
  });

  it('an indexed column sorts encoded keys in JavaScript order', () => {
    db.exec('CREATE TABLE k (v TEXT NOT NULL, i INTEGER); CREATE INDEX k_v ON k (v);');
    const insert = db.prepare('INSERT INTO k VALUES (?, ?)');
    const select = db.prepare('SELECT i FROM k ORDER BY v, i').pluck();
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 40 }), (strings) => {
        db.exec('DELETE FROM k');
        strings.forEach((s, i) => insert.run(toSqliteKey(s), i));
        const expected = strings.map((s, i) => [s, i] as const).sort((x, y) => jsCompare(x[0], y[0]) || x[1] - y[1]);
        expect(select.all()).toEqual(expected.map((e) => e[1]));
      }),
      { numRuns: 300 },
    );
  });
});
