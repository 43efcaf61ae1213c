// Words for what the sync engine reports.
import type { SyncConflict, SyncStatus } from '@shared/api/ops/sync';

/** "creditNotes" -> "Credit notes", "order_items" -> "Order items". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const RESOLUTION_LABELS: Record<NonNullable<SyncConflict['resolution']>, string> = {
  keep_local: 'Kept this device’s',
  keep_server: 'Kept the server’s',
  merged: 'Merged',
  discarded: 'Discarded',
};

/** A field value as text for the side-by-side comparison. */
export function showValue(value: unknown): { text: string; block: boolean; empty: boolean } {
  if (value === undefined) return { text: 'not set', block: false, empty: true };
  if (value === null || value === '') return { text: 'empty', block: false, empty: true };
  if (typeof value === 'string') return { text: value, block: value.length > 60 || value.includes('\n'), empty: false };
  if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value), block: false, empty: false };
  return { text: JSON.stringify(value, null, 2), block: true, empty: false };
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** "1,234 of 5,000 · 320 per second · about 12 s left". */
export function progressText(progress: NonNullable<SyncStatus['progress']>): string {
  const n = new Intl.NumberFormat('en');
  const parts = [progress.total > 0 ? `${n.format(progress.done)} of ${n.format(progress.total)} records` : `${n.format(progress.done)} records`];
  if (progress.perSecond > 0) {
    parts.push(`${n.format(Math.round(progress.perSecond))} per second`);
    const left = progress.total - progress.done;
    if (progress.total > 0 && left > 0) parts.push(`about ${secondsText(left / progress.perSecond)} left`);
  }
  return parts.join(' · ');
}

function secondsText(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
