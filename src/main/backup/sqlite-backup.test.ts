// The backup worker on real SQLite files, both ways it copies (the one-pass file copy of a
// pinned snapshot and SQLite's online backup as the fallback): the checksum it reports is
// the SHA-256 of the whole file it leaves (computed here independently, in one read), the
// copy is a self-contained rollback-journal file, and it holds the snapshot taken when the
// backup began even though another connection keeps writing and checkpointing.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupInWorker, type WorkerBackupOptions, type WorkerBackupProgress, type WorkerBackupResult } from './sqlite-backup';

const dirs: string[] = [];
const fds: number[] = [];
afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Backs up `file` through a descriptor the test owns (closed after its connections). */
function backup(file: string, target: string, options: WorkerBackupOptions = {}): Promise<WorkerBackupResult> {
  const fd = openSync(file, 'r');
  fds.push(fd);
  return backupInWorker({ file, fd }, target, options);
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cb-sqlite-backup-'));
  dirs.push(dir);
  return dir;
}

/** A WAL-mode database of about `megabytes` MB (random blobs, so nothing compresses or repeats). */
function makeStore(file: string, megabytes: number): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 20'); // checkpoints often, also while a backup copies the file
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < megabytes * 16; i++) insert.run(Buffer.from(createHash('sha512').update(String(i)).digest().toString('hex').repeat(512)));
  })();
  return db;
}

const METHODS = [
  { method: 'file-copy', options: {}, phases: ['copying'] },
  { method: 'online-backup', options: { forceOnlineBackup: true }, phases: ['copying', 'checksum'] },
] as const;

describe.each(METHODS)('backupInWorker ($method)', ({ method, options, phases: expectedPhases }) => {
  it('reports the SHA-256 and size of the whole file it leaves, which is one self-contained file', async () => {
    const dir = tempDir();
    const db = makeStore(join(dir, 'store.sqlite'), 5); // several pieces of 1 MiB, and a partial last one
    db.prepare('INSERT INTO t (body) VALUES (?)').run(Buffer.alloc(100, 7)); // a commit left in the WAL
    const rows = db.prepare('SELECT count(*) FROM t').pluck().get();
    const phases = new Set<WorkerBackupProgress['phase']>();
    const fractions: number[] = [];
    const target = join(dir, 'copy.sqlite');

    const result = await backup(join(dir, 'store.sqlite'), target, {
      ...options,
      onProgress: (p) => {
        phases.add(p.phase);
        fractions.push(p.fraction);
      },
    });
    db.close();

    expect(result.method).toBe(method);
    const bytes = readFileSync(target);
    expect(result.sizeBytes).toBe(statSync(target).size);
    expect(result.sizeBytes % (1024 * 1024)).not.toBe(0);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect([...phases]).toEqual(expectedPhases);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    // File format bytes 18 and 19: 1 = rollback journal (2 would mean WAL, needing a -wal file).
    expect([bytes[18], bytes[19]]).toEqual([1, 1]);
    expect(existsSync(target + '-wal')).toBe(false);
    const copy = new Database(target, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT count(*) FROM t').pluck().get()).toBe(rows);
    } finally {
      copy.close();
    }
  });

  it('copies the snapshot from when it began while another connection keeps writing and checkpointing', async () => {
    const dir = tempDir();
    const file = join(dir, 'store.sqlite');
    const db = makeStore(file, 40);
    const before = db.prepare('SELECT count(*) FROM t').pluck().get() as number;
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    let running = true;
    let written = 0;
    const writer = (async () => {
      while (running) {
        insert.run(Buffer.alloc(3000, written % 251));
        written++;
        if (written % 50 === 0) db.pragma('wal_checkpoint(PASSIVE)');
        await new Promise((r) => setImmediate(r));
      }
    })();
    const result = await backup(file, join(dir, 'copy.sqlite'), options);
    expect(result.method).toBe(method);
    running = false;
    await writer;
    db.close();

    expect(written).toBeGreaterThan(0);
    const copy = new Database(join(dir, 'copy.sqlite'), { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = copy.prepare('SELECT count(*) FROM t').pluck().get() as number;
      // A consistent snapshot: every row up to some commit, none torn.
      expect(count).toBeGreaterThanOrEqual(before);
      expect(count).toBeLessThanOrEqual(before + written);
      expect(copy.prepare('SELECT max(id) FROM t').pluck().get()).toBe(count);
    } finally {
      copy.close();
    }
    expect(result.sha256).toBe(createHash('sha256').update(readFileSync(join(dir, 'copy.sqlite'))).digest('hex'));
  });
});

describe('backupInWorker: falling back', () => {
  it('uses SQLite online backup when a reader keeps the WAL from being checkpointed, and still copies the snapshot', async () => {
    const dir = tempDir();
    const file = join(dir, 'store.sqlite');
    const db = makeStore(file, 2);
    // A reader on an old snapshot: frames committed after it cannot be checkpointed.
    const reader = new Database(file);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').pluck().get();
    db.prepare('INSERT INTO t (body) VALUES (?)').run(Buffer.alloc(100, 1));
    const rows = db.prepare('SELECT count(*) FROM t').pluck().get();
    try {
      const result = await backup(file, join(dir, 'copy.sqlite'));
      expect(result.method).toBe('online-backup');
    } finally {
      reader.exec('COMMIT');
      reader.close();
      db.close();
    }
    const copy = new Database(join(dir, 'copy.sqlite'), { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT count(*) FROM t').pluck().get()).toBe(rows);
    } finally {
      copy.close();
    }
  });
});

describe('backupInWorker: the lock-byte page', () => {
  it('copies the page at SQLite\'s lock byte as zeros (never data; Windows refuses to read it) and every other byte as it is', async () => {
    const dir = tempDir();
    const file = join(dir, 'store.sqlite');
    const db = makeStore(file, 3);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Moved to 2 MiB for the test (SQLite's is at 1 GiB): that page is real data here, so
    // the copy differs from the store exactly there.
    const at = 2 * 1024 * 1024;
    const result = await backup(file, join(dir, 'copy.sqlite'), { lockByteOffset: at });
    expect(result.method).toBe('file-copy');
    const source = readFileSync(file);
    const copy = readFileSync(join(dir, 'copy.sqlite'));
    expect(copy.length).toBe(source.length);
    expect(source.subarray(at, at + 4096).some((b) => b !== 0)).toBe(true);
    expect(copy.subarray(at, at + 4096).every((b) => b === 0)).toBe(true);
    expect(copy.subarray(at + 4096).equals(source.subarray(at + 4096))).toBe(true);
    expect(copy.subarray(100, at).equals(source.subarray(100, at))).toBe(true);
  });
});
