// How the one-time upgrade of an older store is described to people: the same words on
// the opening screen, in the browser host's terminal and in the CLI.
import type { StoreUpgradeProgress } from './api/events';

/** The collection a storage table belongs to ('rxdocs__sales__v0' -> 'sales'). */
export function upgradedCollection(table: string): string {
  const m = /^rxdocs__(.+)__v\d+$/.exec(table);
  return m ? m[1]! : table;
}

/** 0..1 of one table's upgrade: copying its rows is the first half, building its indexes the second. */
export function storeUpgradeFraction(p: StoreUpgradeProgress): number {
  const part = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  return p.phase === 'rows' ? part / 2 : 0.5 + part / 2;
}

/** "sales: copying 400,000 of 1,000,862 records" / "sales: building index 3 of 9". */
export function describeStoreUpgrade(p: StoreUpgradeProgress): string {
  const what = upgradedCollection(p.table);
  return p.phase === 'rows'
    ? `${what}: copying ${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} records`
    : `${what}: building index ${p.done} of ${p.total}`;
}

/** Passes progress on at most every `everyMs`, and always the start and the end of a step. */
export function throttleStoreUpgrade(everyMs: number, report: (p: StoreUpgradeProgress) => void): (p: StoreUpgradeProgress) => void {
  let last = -Infinity;
  return (p) => {
    const now = Date.now();
    if (p.done !== 0 && p.done !== p.total && now - last < everyMs) return;
    last = now;
    report(p);
  };
}

/** A printer of upgrade progress for a terminal: a line at most every `everyMs`, and each step's start and end. */
export function storeUpgradeLines(write: (line: string) => void, everyMs = 2000): (p: StoreUpgradeProgress) => void {
  return throttleStoreUpgrade(everyMs, (p) => write(`Upgrading the data folder for this version (once): ${describeStoreUpgrade(p)}`));
}
