import { describe, expect, it } from 'vitest';
import { describeStoreUpgrade, storeUpgradeFraction, storeUpgradeLines, throttleStoreUpgrade, upgradedCollection } from './store-upgrade';

describe('store upgrade progress', () => {
  it('names the collection of a storage table', () => {
    expect(upgradedCollection('rxdocs__sales__v0')).toBe('sales');
    expect(upgradedCollection('rxdocs__customerCreditEntries__v12')).toBe('customerCreditEntries');
    expect(upgradedCollection('something else')).toBe('something else');
  });

  it('counts rows as the first half of a table and indexes as the second', () => {
    expect(storeUpgradeFraction({ table: 't', phase: 'rows', done: 0, total: 1000 })).toBe(0);
    expect(storeUpgradeFraction({ table: 't', phase: 'rows', done: 500, total: 1000 })).toBe(0.25);
    expect(storeUpgradeFraction({ table: 't', phase: 'rows', done: 1000, total: 1000 })).toBe(0.5);
    expect(storeUpgradeFraction({ table: 't', phase: 'indexes', done: 3, total: 12 })).toBe(0.625);
    expect(storeUpgradeFraction({ table: 't', phase: 'indexes', done: 12, total: 12 })).toBe(1);
    // An empty table is done at once.
    expect(storeUpgradeFraction({ table: 't', phase: 'rows', done: 0, total: 0 })).toBe(0.5);
  });

  it('says what is happening in words', () => {
    expect(describeStoreUpgrade({ table: 'rxdocs__sales__v0', phase: 'rows', done: 400000, total: 1000862 })).toBe('sales: copying 400,000 of 1,000,862 records');
    expect(describeStoreUpgrade({ table: 'rxdocs__sales__v0', phase: 'indexes', done: 3, total: 9 })).toBe('sales: building index 3 of 9');
  });

  it('prints a line at most every interval, and always the end of a table', () => {
    const lines: string[] = [];
    const print = storeUpgradeLines((l) => lines.push(l), 60_000);
    print({ table: 'rxdocs__sales__v0', phase: 'rows', done: 0, total: 10 });
    print({ table: 'rxdocs__sales__v0', phase: 'rows', done: 5, total: 10 });
    print({ table: 'rxdocs__sales__v0', phase: 'rows', done: 10, total: 10 });
    expect(lines).toEqual([
      'Upgrading the data folder for this version (once): sales: copying 0 of 10 records',
      'Upgrading the data folder for this version (once): sales: copying 10 of 10 records',
    ]);
  });

  it('passes on every step start and end, and between them at most once per interval', () => {
    const seen: number[] = [];
    const pass = throttleStoreUpgrade(60_000, (p) => seen.push(p.done));
    for (const done of [0, 1, 2, 3, 4]) pass({ table: 't', phase: 'rows', done, total: 4 });
    for (const done of [1, 2]) pass({ table: 't', phase: 'indexes', done, total: 2 });
    expect(seen).toEqual([0, 4, 2]);
  });
});
