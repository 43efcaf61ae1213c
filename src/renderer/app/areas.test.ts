import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '@shared/auth/permissions';
import { AREA_IDS, areaDigit, areaForDigit, areaFromHash, areasFor, hashForArea } from './areas';

describe('area hashes', () => {
  it('round-trips every area', () => {
    for (const id of AREA_IDS) expect(areaFromHash(hashForArea(id))).toBe(id);
  });

  it('rejects anything else', () => {
    for (const hash of ['', '#', '#/', '#/nope', '#main-content', '#/counter/x']) expect(areaFromHash(hash)).toBeNull();
  });
});

describe('area digits', () => {
  it('numbers the areas from 1 in navigation order', () => {
    expect(AREA_IDS.map(areaDigit)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(areaForDigit(1)).toBe('counter');
    expect(areaForDigit(8)).toBeNull();
  });
});

describe('areas by role', () => {
  it('shows each role only the areas it can use', () => {
    expect(areasFor(ROLE_PERMISSIONS.admin)).toEqual([...AREA_IDS]);
    expect(areasFor(ROLE_PERMISSIONS.manager)).toEqual(['counter', 'orders', 'people', 'audit', 'backups', 'sync']);
    expect(areasFor(ROLE_PERMISSIONS.cashier)).toEqual(['counter', 'sync']);
    expect(areasFor(ROLE_PERMISSIONS.writer)).toEqual(['orders', 'people']);
    expect(areasFor(ROLE_PERMISSIONS.client)).toEqual(['orders']);
  });
});
