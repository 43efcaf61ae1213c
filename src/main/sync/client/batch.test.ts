import { describe, expect, it } from 'vitest';
import { pushCandidates, rowsOfWholeWrites } from './engine';
import { expandPushResult } from '../server/protocol';

const rows = (...collections: string[]) => collections.map((collection, i) => ({ collection, seq: i + 1 }));

describe('rowsOfWholeWrites: a push batch never ends inside one local write', () => {
  it('keeps a batch that ends at a write boundary, or with nothing after it', () => {
    expect(rowsOfWholeWrites(rows('sales', 'auditLog', 'products', 'auditLog'), { collection: 'expenses' })).toBe(4);
    expect(rowsOfWholeWrites(rows('sales', 'auditLog', 'products'), undefined)).toBe(3);
  });
  it('cuts back to the last whole write when the batch ends between a change and its audit entries', () => {
    expect(rowsOfWholeWrites(rows('products', 'auditLog', 'sales'), { collection: 'auditLog' })).toBe(2);
    expect(rowsOfWholeWrites(rows('products', 'auditLog', 'sales', 'drawerMovements'), { collection: 'auditLog' })).toBe(2);
    // Between two audit entries of one write.
    expect(rowsOfWholeWrites(rows('products', 'auditLog', 'sales', 'expenses', 'auditLog'), { collection: 'auditLog' })).toBe(2);
  });
  it('sends the batch as it is when it holds no boundary (one write larger than a batch, rows without audit entries)', () => {
    expect(rowsOfWholeWrites(rows('sales', 'sales', 'sales'), { collection: 'auditLog' })).toBe(3);
    expect(rowsOfWholeWrites(rows('sales', 'sales'), { collection: 'sales' })).toBe(2);
  });
});

describe('pushCandidates: the next batch while another is in flight', () => {
  const row = (collection: string, id: string, seq: number) => ({ collection, id, seq });
  const key = (collection: string, id: string) => `${collection}\u0000${id}`;

  it('passes over the versions in flight and takes the rest', () => {
    const pending = [row('sales', 's1', 1), row('auditLog', 'a1', 2), row('sales', 's2', 3), row('auditLog', 'a2', 4)];
    const inFlight = new Map([[key('sales', 's1'), 1], [key('auditLog', 'a1'), 2]]);
    expect(pushCandidates(pending, inFlight)).toEqual({ rows: [pending[2], pending[3]], stopped: false });
    expect(pushCandidates(pending, new Map()).rows.map((r) => r.id)).toEqual(['s1', 'a1', 's2', 'a2']);
  });

  it('ends before a document changed again since it was sent, so that write goes whole in a later batch', () => {
    // s1 (seq 1) is in flight; a manager's correction rewrote it (now seq 5) with its override entry a3 (seq 6).
    const pending = [row('sales', 's2', 3), row('auditLog', 'a2', 4), row('sales', 's1', 5), row('auditLog', 'a3', 6), row('sales', 's4', 7)];
    const inFlight = new Map([[key('sales', 's1'), 1]]);
    const next = pushCandidates(pending, inFlight);
    expect(next.stopped).toBe(true);
    expect(next.rows.map((r) => r.id)).toEqual(['s2', 'a2']);
    // Not the override entry without its document.
    expect(next.rows.some((r) => r.id === 'a3')).toBe(false);
  });

  it('holds back the start of a write whose later document is in flight, rather than send part of it', () => {
    // s1 (seq 1) is in flight; one write then changed c1 (seq 3) and s1 again (seq 4), with its audit entry a3 (seq 5).
    const pending = [row('creditNotes', 'c1', 3), row('sales', 's1', 4), row('auditLog', 'a3', 5)];
    const { rows, stopped } = pushCandidates(pending, new Map([[key('sales', 's1'), 1]]));
    expect(rows.map((r) => r.id)).toEqual(['c1']);
    expect(rowsOfWholeWrites(rows, pending[1], stopped)).toBe(0);
    // Without a batch in flight the same lone document would go as it is (a write larger than a batch).
    expect(rowsOfWholeWrites(rows, pending[1])).toBe(1);
    // An earlier whole write before it still goes.
    const withEarlier = [row('sales', 's0', 1), row('auditLog', 'a0', 2), ...pending];
    const cut = pushCandidates(withEarlier, new Map([[key('sales', 's1'), 0]]));
    expect(rowsOfWholeWrites(cut.rows, withEarlier[3], cut.stopped)).toBe(2);
  });
});

describe('expandPushResult: a compact answer becomes one result per row', () => {
  const rows = [
    { collection: 'sales', id: 's1' },
    { collection: 'sales', id: 's2' },
    { collection: 'auditLog', id: 'a1' },
  ];
  const base = { batchId: 'b', accepted: 2, conflicts: 0, rejected: 1, compact: true };

  it('fills the unlisted rows as accepted', () => {
    const rejected = { index: 1, collection: 'sales', id: 's2', status: 'rejected' as const, reason: 'invalid' as const, message: 'no' };
    expect(expandPushResult({ ...base, results: [rejected] }, rows)).toEqual([
      { index: 0, collection: 'sales', id: 's1', status: 'accepted' },
      rejected,
      { index: 2, collection: 'auditLog', id: 'a1', status: 'accepted' },
    ]);
  });

  it('takes an older server’s full answer as it is, and refuses answers that do not fit the batch', () => {
    const full = rows.map((r, index) => ({ index, ...r, status: 'accepted' as const }));
    expect(expandPushResult({ batchId: 'b', accepted: 3, conflicts: 0, rejected: 0, results: full }, rows)).toBe(full);
    expect(expandPushResult({ batchId: 'b', accepted: 2, conflicts: 0, rejected: 0, results: full.slice(0, 2) }, rows)).toBeNull();
    const one = { index: 1, collection: 'sales', id: 's2', status: 'rejected' as const, reason: 'invalid' as const, message: 'no' };
    expect(expandPushResult({ ...base, results: [one, one] }, rows)).toBeNull();
    expect(expandPushResult({ ...base, results: [{ ...one, index: 3 }] }, rows)).toBeNull();
    expect(expandPushResult({ ...base, accepted: 1, results: [one] }, rows)).toBeNull();
    expect(expandPushResult({ ...base, results: [null as never] }, rows)).toBeNull();
  });
});
