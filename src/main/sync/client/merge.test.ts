import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqual, mergeVersions, stripMeta, type Version } from './merge';

const v = (doc: Record<string, unknown>, deleted = false): Version => ({ doc: { id: 'x', ...doc }, deleted });

describe('mergeVersions', () => {
  const base = v({ name: 'Tea', priceMinor: 100, category: '', updatedAt: 1 });

  it('merges edits of different fields, newest bookkeeping wins', () => {
    const local = v({ name: 'Green tea', priceMinor: 100, category: '', updatedAt: 5 });
    const server = v({ name: 'Tea', priceMinor: 120, category: 'Drinks', updatedAt: 3 });
    expect(mergeVersions(base, local, server)).toEqual({
      kind: 'merged',
      version: v({ name: 'Green tea', priceMinor: 120, category: 'Drinks', updatedAt: 5 }),
      fields: ['category', 'name', 'priceMinor'],
    });
  });

  it('the same change on both sides is no conflict', () => {
    const local = v({ name: 'Green tea', priceMinor: 100, category: '', updatedAt: 5 });
    const server = v({ name: 'Green tea', priceMinor: 100, category: '', updatedAt: 7 });
    expect(mergeVersions(base, local, server)).toEqual({ kind: 'same' });
    const both = mergeVersions(base, v({ name: 'Green tea', priceMinor: 1, category: '', updatedAt: 5 }), v({ name: 'Green tea', priceMinor: 100, category: 'X', updatedAt: 7 }));
    expect(both).toMatchObject({ kind: 'merged', version: { doc: { name: 'Green tea', priceMinor: 1, category: 'X' } } });
  });

  it('the same field changed to different values is a conflict naming the field', () => {
    expect(mergeVersions(base, v({ ...base.doc, name: 'A' }), v({ ...base.doc, name: 'B', priceMinor: 5 }))).toEqual({ kind: 'conflict', fields: ['name'] });
  });

  it('a delete against an edit is a conflict; a delete against nothing merges', () => {
    expect(mergeVersions(base, v(base.doc, true), v({ ...base.doc, priceMinor: 5 }))).toEqual({ kind: 'conflict', fields: ['_deleted', 'priceMinor'] });
    expect(mergeVersions(base, v({ ...base.doc, name: 'A' }), v(base.doc, true))).toEqual({ kind: 'conflict', fields: ['_deleted', 'name'] });
    expect(mergeVersions(base, v(base.doc, true), v({ ...base.doc, updatedAt: 9 }))).toMatchObject({ kind: 'merged', version: { deleted: true } });
    expect(mergeVersions(base, v(base.doc, true), v(base.doc, true))).toEqual({ kind: 'same' });
  });

  it('without a base, or for append-only collections, any difference is a conflict', () => {
    expect(mergeVersions(null, v({ name: 'A' }), v({ name: 'B' }))).toEqual({ kind: 'conflict', fields: ['name'] });
    expect(mergeVersions(null, v({ name: 'A', updatedAt: 1 }), v({ name: 'A', updatedAt: 2 }))).toEqual({ kind: 'same' });
    expect(mergeVersions(base, v({ ...base.doc, name: 'A' }), v({ ...base.doc, priceMinor: 1 }), { appendOnly: true })).toMatchObject({ kind: 'conflict' });
  });

  it('embedded lists are one field', () => {
    const b = v({ lines: [{ q: 1 }, { q: 2 }] });
    expect(mergeVersions(b, v({ lines: [{ q: 3 }, { q: 2 }] }), v({ lines: [{ q: 1 }, { q: 4 }] }))).toEqual({ kind: 'conflict', fields: ['lines'] });
  });

  it('a merged document the schema refuses is a conflict', () => {
    const local = v({ ...base.doc, name: 'A' });
    const server = v({ ...base.doc, priceMinor: 5 });
    expect(mergeVersions(base, local, server, { validate: () => false })).toEqual({ kind: 'conflict', fields: ['name', 'priceMinor'] });
  });

  it('never loses a change: every field of a merge comes from the side that changed it', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(undefined));
    const doc = fc.record({ a: value, b: value, c: value });
    fc.assert(
      fc.property(doc, doc, doc, (bd, ld, sd) => {
        const clean = (d: Record<string, unknown>) => Object.fromEntries(Object.entries(d).filter(([, x]) => x !== undefined));
        const [b, l, s] = [v(clean(bd)), v(clean(ld)), v(clean(sd))];
        const r = mergeVersions(b, l, s);
        if (r.kind !== 'merged') return;
        for (const k of ['a', 'b', 'c']) {
          const changedLocally = !deepEqual(l.doc[k], b.doc[k]);
          expect(r.version.doc[k]).toEqual(changedLocally ? l.doc[k] : s.doc[k]);
        }
      }),
    );
  });
});

describe('stripMeta', () => {
  it("drops RxDB's underscore fields only", () => {
    expect(stripMeta({ id: 'a', name: 'x', _rev: '1-a', _meta: { lwt: 1 }, _deleted: false, _attachments: {} })).toEqual({ id: 'a', name: 'x' });
  });
});
