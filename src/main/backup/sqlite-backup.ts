// SQLite's online backup API (better-sqlite3 `db.backup`) with small, self-tuning
// steps: between steps the event loop runs, so the app keeps answering (and writing)
// while a large store is copied. Writes made on the same connection during the
// backup are carried into the copy by SQLite, so the finished file is the store as it
// was at the end of the backup, consistent and without restarting.
import Database from 'better-sqlite3';

export interface OnlineBackupOptions {
  /** Told after each step: pages copied so far of the total. */
  onProgress?: (copiedPages: number, totalPages: number) => void;
  /** Aimed time per step; the page count per step adapts to it (default 8 ms). */
  stepBudgetMs?: number;
  signal?: AbortSignal;
}

export interface OnlineBackupResult {
  pages: number;
  steps: number;
  ms: number;
}

const MIN_PAGES = 16;
const MAX_PAGES = 65_536;

/**
 * Copies the main database of `source` into `destination` (a new file). The copy is
 * switched from WAL to a rollback journal so it is one self-contained file that opens
 * read-only anywhere.
 */
export async function onlineBackup(source: Database.Database, destination: string, options: OnlineBackupOptions = {}): Promise<OnlineBackupResult> {
  const budget = options.stepBudgetMs ?? 8;
  const started = performance.now();
  let pagesPerStep = 256;
  let steps = 0;
  let last = performance.now();
  let lastRemaining = -1;
  let total = 0;
  const result = await source.backup(destination, {
    progress: ({ totalPages, remainingPages }) => {
      if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('backup aborted');
      steps += 1;
      total = totalPages;
      const now = performance.now();
      const copied = lastRemaining < 0 ? totalPages - remainingPages : Math.max(0, lastRemaining - remainingPages);
      const elapsed = Math.max(0.05, now - last);
      // Time per step includes the other work the event loop did meanwhile, so a busy
      // app gets smaller steps; an idle one gets larger steps (fewer round trips).
      if (copied > 0) {
        const perMs = copied / elapsed;
        pagesPerStep = Math.round(Math.min(MAX_PAGES, Math.max(MIN_PAGES, 0.5 * pagesPerStep + 0.5 * perMs * budget)));
      }
      lastRemaining = remainingPages;
      options.onProgress?.(totalPages - remainingPages, totalPages);
      last = performance.now();
      return pagesPerStep;
    },
  });
  total = result.totalPages;
  options.onProgress?.(total, total);
  const copy = new Database(destination);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return { pages: total, steps, ms: performance.now() - started };
}
