import { describe, expect, it } from 'vitest';
import { idTime, isUuidV7, newId, newIdAt } from './ids';

describe('ids', () => {
  it('newId is a time-ordered UUIDv7', () => {
    const a = newId();
    const b = newId();
    expect(isUuidV7(a)).toBe(true);
    expect(a < b).toBe(true);
    expect(Math.abs(idTime(a)! - Date.now())).toBeLessThan(5000);
    expect(idTime('not-an-id')).toBeUndefined();
  });
  it('newIdAt is deterministic with given random bytes and sorts by time', () => {
    const r = new Uint8Array(16).fill(7);
    const t = Date.UTC(2024, 0, 1);
    expect(newIdAt(t, r)).toBe(newIdAt(t, r));
    expect(idTime(newIdAt(t, r))).toBe(t);
    expect(newIdAt(t, r) < newIdAt(t + 1, r)).toBe(true);
    expect(() => newIdAt(-1)).toThrow(RangeError);
  });
});
