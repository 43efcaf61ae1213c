/**
 * The stored form of an RxDB index key: a compact string that sorts exactly
 * like RxDB's index string, which pads every string field to its maxLength
 * with spaces (a product's [_deleted, category, name, id] key is 321
 * characters, mostly spaces, stored once in the row and once in the index).
 *
 * Fields are encoded one by one and concatenated:
 * - numbers and booleans: RxDB's fixed-width digits, as they are;
 * - strings: `encodeStringField()`, which drops the padding and ends the
 *   field with a terminator, written so that the order of the encoded values
 *   is the order of the padded ones (proof below).
 * Every field's encoding is order-preserving and prefix-free (fixed width, or
 * ending in the only terminator byte), so the concatenation orders like the
 * padded concatenation: by the first field that differs. `toSqliteKey()`
 * then makes SQLite's byte order agree with JavaScript's.
 *
 * Bounds of range scans go through the same per-field encoding of RxDB's own
 * bound strings (getStartIndexStringFromLowerBound/UpperBound), so queries,
 * bounds and stored keys can never disagree. `index-key.test.ts` checks the
 * order against RxDB's strings on random values.
 */
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { getIndexMeta, getStartIndexStringFromLowerBound, getStartIndexStringFromUpperBound } from 'rxdb';
import { toSqliteKey } from './key-encoding';

/*
 * A padded string field compares character by character, the padding being
 * spaces. Only characters up to U+0020 need care: a run of spaces sorts before
 * or after another character depending on what follows the run. So, after
 * dropping trailing spaces (they equal the padding):
 *   character above U+0020   -> itself
 *   control character c      -> CONTROL, code(c)
 *   run of k spaces followed by a character above U+0020 -> SPACES_THEN_HIGH, code(maxLength - k)
 *     (the longer the run, the sooner a space meets that character: the smaller)
 *   run of k spaces followed by a control character      -> SPACES_THEN_LOW, code(k)
 *     (the longer the run, the later the control character comes: the larger)
 *   end of the value          -> END (the padding: more spaces)
 * At the first position where two padded values differ, the tokens that start
 * there (or the space runs that contain it) compare as those characters do:
 * CONTROL < SPACES_THEN_LOW < END < SPACES_THEN_HIGH < any character above U+0020.
 * Codes follow a marker only and never equal END, so END ends the field.
 */
const CONTROL = '\u0001';
const SPACES_THEN_LOW = '\u0002';
const END = '\u0003';
const SPACES_THEN_HIGH = '\u0004';
const CODE_BASE = 0x30;

const code = (n: number) => String.fromCharCode(CODE_BASE + Math.max(0, Math.min(n, 0xffff - CODE_BASE)));

/** One string field of a key (JavaScript order; toSqliteKey() comes after). */
export function encodeStringField(value: string, maxLength: number): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x20) end--;
  const s = end === value.length ? value : value.slice(0, end);
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) <= 0x20) {
      plain = false;
      break;
    }
  }
  if (plain) return s + END;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c > 0x20) {
      let j = i + 1;
      while (j < s.length && s.charCodeAt(j) > 0x20) j++;
      out += s.slice(i, j);
      i = j;
    } else if (c < 0x20) {
      out += CONTROL + code(c);
      i++;
    } else {
      let j = i + 1;
      while (s.charCodeAt(j) === 0x20) j++; // trailing spaces are gone: a character follows
      const run = j - i;
      out += s.charCodeAt(j) > 0x20 ? SPACES_THEN_HIGH + code(maxLength - run) : SPACES_THEN_LOW + code(run);
      i = j;
    }
  }
  return out + END;
}

type Schema = RxJsonSchema<RxDocumentData<unknown>>;
type Part = (doc: RxDocumentData<unknown>) => string;

/** The stored key of a document for the index `fields` (ready for SQLite). */
export function indexKeyFunction(schema: Schema, fields: readonly string[]): (doc: RxDocumentData<unknown>) => string {
  const parts: Part[] = getIndexMeta(schema, [...fields]).map((meta) => {
    if (meta.schemaPart.type !== 'string') return meta.getIndexStringPart;
    const maxLength = meta.schemaPart.maxLength as number;
    return (doc) => encodeStringField((meta.getValue(doc) as string | undefined) || '', maxLength);
  });
  return (doc) => {
    let key = '';
    for (let i = 0; i < parts.length; i++) key += (parts[i] as Part)(doc);
    return toSqliteKey(key);
  };
}

/** A bound as the query planner gives it (INDEX_MIN is a number, INDEX_MAX a string). */
export type BoundValue = string | number | boolean | null | undefined;

function boundKey(
  schema: Schema,
  fields: readonly string[],
  values: readonly BoundValue[],
  rxdbBound: (schema: Schema, index: string[], values: BoundValue[]) => string,
): string {
  let key = '';
  getIndexMeta(schema, [...fields]).forEach((meta, i) => {
    // RxDB's bound string of this one field (padded, or a run of '\0' / '\uffff').
    const part = rxdbBound(schema, [meta.fieldName], [values[i]]);
    key += meta.schemaPart.type === 'string' ? encodeStringField(part, meta.schemaPart.maxLength as number) : part;
  });
  return toSqliteKey(key);
}

/** The lower bound of a range scan on the index `fields` (query planner `startKeys`, INDEX_MIN / INDEX_MAX allowed). */
export function lowerBoundKey(schema: Schema, fields: readonly string[], values: readonly BoundValue[]): string {
  return boundKey(schema, fields, values, getStartIndexStringFromLowerBound);
}

/** The upper bound of a range scan on the index `fields` (query planner `endKeys`). */
export function upperBoundKey(schema: Schema, fields: readonly string[], values: readonly BoundValue[]): string {
  return boundKey(schema, fields, values, getStartIndexStringFromUpperBound);
}
