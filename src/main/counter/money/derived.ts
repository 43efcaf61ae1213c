// Derived tables in the store's SQLite file, kept exact by a write hook that runs inside
// every write's transaction (also writes arriving by sync), and rebuilt from the source
// documents when missing or when their version or configuration changes.
//
// A rebuild walks the source key by key (days, customers) in ascending order, each key
// in its own short transaction together with the persisted cursor, yielding to the
// event loop between keys so the counter keeps working. While it runs, the write hook
// maintains only keys up to the cursor ("covered"); the rest is picked up when the
// rebuild reaches it. A restart resumes from the persisted cursor.
import type Database from 'better-sqlite3';
import type { Logger } from '../../core/log';

export interface DerivedState {
  state: 'ready' | 'building';
  doneKeys: number;
  totalKeys: number;
}

interface Meta {
  version: number;
  config: string;
  /** Last key rebuilt; null = none yet. */
  cursor: string | null;
  complete: boolean;
}

export interface DerivedSpec {
  /** Name in cm_meta. */
  name: string;
  version: number;
  /** CREATE TABLE / INDEX statements (IF NOT EXISTS). */
  ddl: string[];
  /** Tables to clear before a rebuild from scratch. */
  tables: string[];
  /** Current configuration (e.g. currency and time zone); null = not available yet (no shop). */
  config(): string | null;
  /** First source key after `after` (undefined = the first), or undefined at the end. */
  nextKey(after: string | null): string | undefined;
  /** Number of keys to rebuild (for progress; an estimate is fine). */
  countKeys(): number;
  /** Replaces the derived rows of one key from the source (runs inside a transaction). */
  recomputeKey(key: string): void;
}

export class Derived {
  private meta: Meta;
  /** The rows must be cleared before the next rebuild step. */
  private needsClear = false;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly waiters = new Set<() => void>();
  private done = 0;
  private total = 0;
  /** Work per transaction during a rebuild (at least one key); the event loop runs in between. */
  sliceMs = 50;
  /** Pause between slices (tests slow the rebuild down so that writes land in the middle of it). */
  stepDelayMs = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly spec: DerivedSpec,
    private readonly logger: Logger,
  ) {
    sqlite.exec('CREATE TABLE IF NOT EXISTS cm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    const allThere = spec.tables.every((t) => exists.get(t) !== undefined);
    for (const sql of spec.ddl) sqlite.exec(sql);
    const row = sqlite.prepare('SELECT value FROM cm_meta WHERE name = ?').get(spec.name) as { value: string } | undefined;
    // A table that went missing (dropped by hand, an older file) means the stored state says nothing.
    const stored = row && allThere ? (JSON.parse(row.value) as Meta) : null;
    const config = spec.config();
    if (stored && stored.version === spec.version && config !== null && stored.config === config) this.meta = stored;
    else this.meta = { version: spec.version, config: config ?? '', cursor: null, complete: false };
    // Anything but a resumable or complete state of this version and configuration starts from scratch.
    this.needsClear = this.meta !== stored;
  }

  get ready(): boolean {
    return this.meta.complete;
  }

  status(): DerivedState {
    return this.meta.complete ? { state: 'ready', doneKeys: this.total, totalKeys: this.total } : { state: 'building', doneKeys: this.done, totalKeys: Math.max(this.total, this.done) };
  }

  /** Whether the derived rows of `key` are maintained (ready, or the rebuild has passed it). */
  covers(key: string): boolean {
    return this.meta.complete || (this.meta.cursor !== null && key <= this.meta.cursor);
  }

  /** Starts (or resumes) the rebuild if one is due and the configuration is known. */
  start(): void {
    if (this.meta.complete || this.running || this.stopped) return;
    if (this.spec.config() === null) return;
    let failed = false;
    this.running = this.run()
      .catch((error: unknown) => {
        // Left incomplete: queries say so, and the next start (or invalidation) tries again.
        failed = true;
        this.logger.error('derived tables: rebuild failed', { name: this.spec.name, error });
      })
      .finally(() => {
        this.running = null;
        // Invalidated again while finishing: go round once more.
        if (!failed && !this.meta.complete && !this.stopped) this.start();
      });
  }

  /**
   * The configuration changed (seen by the write hook): forget everything and rebuild.
   * Nothing is written here (the hook's transaction may still roll back); the rebuild
   * clears the rows in its first step.
   */
  invalidate(): void {
    this.meta = { version: this.spec.version, config: this.spec.config() ?? '', cursor: null, complete: false };
    this.needsClear = true;
    this.done = 0;
    setImmediate(() => this.start());
  }

  /** Forces a rebuild from scratch (benchmarks, repair). */
  async rebuild(): Promise<void> {
    await this.running;
    this.invalidate();
    this.start();
    await this.whenReady();
  }

  whenReady(timeoutMs?: number): Promise<boolean> {
    if (this.meta.complete) return Promise.resolve(true);
    const ready = new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.meta.complete);
      };
      this.waiters.add(done);
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
    });
    // After registering: a small rebuild can finish synchronously inside start().
    this.start();
    if (this.meta.complete) for (const w of [...this.waiters]) w();
    return ready;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    for (const w of [...this.waiters]) w();
  }

  private persist(): void {
    this.sqlite.prepare('INSERT INTO cm_meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(this.spec.name, JSON.stringify(this.meta));
  }

  private async run(): Promise<void> {
    const started = performance.now();
    this.total = this.spec.countKeys();
    this.logger.info('derived tables: rebuilding', { name: this.spec.name, keys: this.total, from: this.meta.cursor });
    while (!this.stopped) {
      // Never inside someone else's open transaction (the write path keeps one open across awaits).
      if (this.sqlite.inTransaction) {
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      const config = this.spec.config();
      if (config === null) return;
      const [metaBefore, clearBefore, doneBefore] = [this.meta, this.needsClear, this.done];
      const step = this.sqlite.transaction(() => {
        if (this.needsClear) {
          for (const t of this.spec.tables) this.sqlite.exec(`DELETE FROM ${t}`);
          this.meta = { version: this.spec.version, config, cursor: null, complete: false };
          this.needsClear = false;
        }
        // Keys for up to ~50 ms per transaction: one commit (an fsync) per key would cost more than the work.
        const sliceStart = performance.now();
        let end = false;
        do {
          const key = this.spec.nextKey(this.meta.cursor);
          if (key === undefined) {
            this.meta = { ...this.meta, complete: true };
            end = true;
          } else {
            this.spec.recomputeKey(key);
            this.meta = { ...this.meta, cursor: key };
            this.done++;
          }
        } while (!end && performance.now() - sliceStart < this.sliceMs);
        this.persist();
        return end;
      });
      let finished: boolean;
      try {
        finished = step();
      } catch (error) {
        // Rolled back: so is the state in memory.
        [this.meta, this.needsClear, this.done] = [metaBefore, clearBefore, doneBefore];
        throw error;
      }
      if (finished) {
        this.logger.info('derived tables: ready', { name: this.spec.name, keys: this.done, ms: Math.round(performance.now() - started) });
        for (const w of [...this.waiters]) w();
        return;
      }
      await new Promise((r) => (this.stepDelayMs > 0 ? setTimeout(r, this.stepDelayMs) : setImmediate(r)));
    }
  }
}
