// The outbox counts kept by triggers (sync_outbox_count) against count(*) of the outbox,
// on a real SQLite file: after random enqueues, re-queues, rejections, drops and rolled-back
// transactions, and for a store whose outbox was filled before the counts existed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSyncState } from './local-state';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'cb-local-state-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'store.sqlite'));
  db.pragma('journal_mode = WAL');
  return db;
}

function counted(db: Database.Database): { all: number; pending: number; rejected: number } {
  const n = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    all: n('SELECT count(*) FROM sync_outbox'),
    pending: n("SELECT count(*) FROM sync_outbox WHERE status = 'pending'"),
    rejected: n("SELECT count(*) FROM sync_outbox WHERE status = 'rejected'"),
  };
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('enqueue' as const), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('reject' as const), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('drop' as const), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('rollback' as const), id: fc.integer({ min: 0, max: 12 }) }),
);

describe('LocalSyncState outbox counts', () => {
  it('equal count(*) of the outbox after any sequence of changes, rolled-back ones included', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const db = open();
        try {
          const state = new LocalSyncState(db);
          for (const { kind, id } of ops) {
            const key = `d${id}`;
            if (kind === 'enqueue') state.enqueue('products', key, null);
            else if (kind === 'reject') {
              const row = state.outboxRow('products', key);
              if (row) state.reject('products', key, row.seq, 'invalid', 'bad');
            } else if (kind === 'drop') state.drop('products', key);
            else {
              db.exec('BEGIN');
              state.enqueue('products', key, null);
              state.enqueue('products', `${key}-new`, null);
              db.exec('ROLLBACK');
            }
            const c = counted(db);
            expect([state.queueDepth(), state.pendingCount(), state.rejectedCount()]).toEqual([c.all, c.pending, c.rejected]);
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('starts from the outbox as it is when a store written before the counts opens', () => {
    const db = open();
    db.exec(`CREATE TABLE sync_outbox (collection TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, base_doc TEXT,
      status TEXT NOT NULL DEFAULT 'pending', reason TEXT, message TEXT, PRIMARY KEY (collection, id)) WITHOUT ROWID`);
    const insert = db.prepare('INSERT INTO sync_outbox (collection, id, seq, status) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < 50; i++) insert.run('sales', `s${i}`, i + 1, i % 5 === 0 ? 'rejected' : 'pending');
    const state = new LocalSyncState(db);
    expect([state.queueDepth(), state.pendingCount(), state.rejectedCount()]).toEqual([50, 40, 10]);
    state.enqueue('sales', 's0', null); // a rejected row queued again
    expect([state.queueDepth(), state.pendingCount(), state.rejectedCount()]).toEqual([50, 41, 9]);
    db.close();
  });
});
