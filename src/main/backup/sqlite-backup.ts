// Backups of the store file, made in a worker thread so the core's event loop stays free:
// API calls are answered at their usual speed while a multi-gigabyte store is copied.
//
// How (a page-exact copy of a pinned snapshot, hashed as it is written):
// 1. The worker holds the write lock for a moment (BEGIN IMMEDIATE on its own connection,
//    so no commit can slip in), runs a PASSIVE checkpoint, and if every WAL frame is now in
//    the database file, opens a read transaction on a second connection: its snapshot is
//    exactly the database file's first `page_count` pages. Then it lets writers go.
// 2. While that read transaction is open, SQLite cannot change those pages in the file: a
//    checkpoint may copy a frame into the file only up to the oldest reader's snapshot, and
//    a reader whose snapshot needs no WAL frame (read-lock slot 0) stops checkpoints from
//    writing into the file at all (walCheckpoint takes slot 0 exclusively). New commits go
//    to the WAL and the core keeps reading and writing meanwhile.
// 3. The worker reads those pages from the file in 1 MiB pieces, makes page 1 the header of
//    a self-contained rollback-journal file (file format bytes 18-19 = 1, the in-header page
//    count made valid), and feeds each piece to SHA-256 and to the copy: one pass, where
//    SQLite's online backup writes one 4 KiB page per system call and needs a second pass
//    to hash (it rewrites page 1 at the end).
// If the checkpoint cannot catch up (readers holding old snapshots) after a few tries, or
// the store is not in WAL mode, it falls back to SQLite's online backup API on a pinned
// snapshot, then hashes the finished copy.
//
// The file is read through a descriptor the caller owns (`Store.fileDescriptor()`): opening
// and closing one here would drop this process's POSIX locks on the file, SQLite's included.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WorkerBackupProgress {
  /** The file copy hashes as it copies (no checksum phase); the fallback hashes afterwards. */
  phase: 'copying' | 'checksum';
  /** 0..1 of the whole backup. */
  fraction: number;
}

export interface WorkerBackupResult {
  sha256: string;
  sizeBytes: number;
  pages: number;
  ms: number;
  /** `file-copy`: pages copied and hashed in one pass; `online-backup`: the fallback. */
  method: 'file-copy' | 'online-backup';
}

/** The store to back up: its path, and a descriptor of it that the caller opened and will close. */
export interface BackupSource {
  file: string;
  fd: number;
}

export interface WorkerBackupOptions {
  onProgress?: (progress: WorkerBackupProgress) => void;
  signal?: AbortSignal;
  /** Use SQLite's online backup even when the file copy is possible (tests of the fallback). */
  forceOnlineBackup?: boolean;
  /** Where the lock-byte page starts (tests move it; SQLite's is at 1 GiB). A multiple of 1 MiB. */
  lockByteOffset?: number;
}

/** An error from the worker, with the file system's error code when there is one (ENOSPC...). */
export class BackupWorkerError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'BackupWorkerError';
  }
}

// The store is read with read(), not memory-mapped: a read error of a failing disk inside a
// mapping kills the process (SIGBUS) instead of failing the backup with a message, and a
// failing disk is when a backup matters most.
/** Pages per online-backup step: 64 MiB with 4 KiB pages, so progress moves several times a second. */
const PAGES_PER_STEP = 16384;
/**
 * Piece size of the copy and the hash. 1 MiB fits the CPU's L2 cache, so SHA-256 and the
 * write take what read() has just copied from cache instead of from RAM (measured 15% less
 * CPU than 8 MiB pieces on a 4.35 GB file; OpenSSL's SHA-NI code, about 1.6 GB/s).
 */
const CHUNK_BYTES = 1024 * 1024;
/** SQLite's PENDING_BYTE: the page holding it is the lock-byte page. A multiple of CHUNK_BYTES. */
const SQLITE_LOCK_BYTE_OFFSET = 0x40000000;
/** Tries at a checkpoint that leaves no WAL frame outside the file, 20 ms more apart each time. */
const PIN_ATTEMPTS = 8;
/** How long, at most, writers wait while the worker pins its snapshot (once per attempt). */
const CHECKPOINT_WAIT_MS = 50;
/** How long the worker's connections wait for the core's writer. */
const BUSY_TIMEOUT_MS = 10_000;

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const Database = require(workerData.modulePath);

let lastProgress = 0;
let lastPhase = '';
function progress(phase, fraction) {
  const now = Date.now();
  if (now - lastProgress > 50 || fraction === 0 || fraction >= 1 || phase !== lastPhase) {
    lastPhase = phase;
    lastProgress = now;
    parentPort.postMessage({ type: 'progress', phase, fraction });
  }
}
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Opens a read transaction whose snapshot is exactly the database file, or returns null. */
function pinFileSnapshot(reader, writer) {
  if (String(reader.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return null;
  for (let attempt = 1; attempt <= workerData.pinAttempts; attempt++) {
    writer.exec('BEGIN IMMEDIATE');
    try {
      // The core's writer checkpoints right after its commits (wal_autocheckpoint): the one it
      // may be running when the write lock came free ends within milliseconds.
      let state = reader.pragma('wal_checkpoint(PASSIVE)')[0];
      for (let wait = 0; state.busy !== 0 && wait < workerData.checkpointWaitMs; wait++) {
        sleep(1);
        state = reader.pragma('wal_checkpoint(PASSIVE)')[0];
      }
      if (state.busy === 0 && state.log === state.checkpointed) {
        reader.exec('BEGIN');
        reader.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
        return {
          pageSize: reader.pragma('page_size', { simple: true }),
          pageCount: reader.pragma('page_count', { simple: true }),
        };
      }
    } finally {
      writer.exec('ROLLBACK');
    }
    sleep(20 * attempt);
  }
  return null;
}

/** Page 1 as the header of a rollback-journal file holding pageCount pages. */
function selfContainedHeader(page1, pageCount) {
  page1[18] = 1; // file format write version: rollback journal (2 = WAL)
  page1[19] = 1; // read version
  page1.writeUInt32BE(pageCount, 28); // database size in pages...
  page1.writeUInt32BE(page1.readUInt32BE(24), 92); // ...valid for this change counter
}

function writeAll(fd, buffer, length, position) {
  let done = 0;
  while (done < length) done += fs.writeSync(fd, buffer, done, length - done, position + done);
}

/** Copies the pinned snapshot's pages from the file, hashing them on the way. */
function copyPinnedFile(snapshot) {
  const total = snapshot.pageSize * snapshot.pageCount;
  const hash = crypto.createHash('sha256');
  const buffer = Buffer.allocUnsafe(workerData.chunkBytes);
  const out = fs.openSync(workerData.destination, 'wx');
  try {
    let position = 0;
    progress('copying', 0);
    while (position < total) {
      const length = Math.min(buffer.length, total - position);
      let read = 0;
      if (position === workerData.lockByteOffset) {
        // SQLite's lock-byte page: never holds data, and Windows refuses to read the bytes
        // other connections hold locks on. Copied as zeros, as SQLite's own backup does.
        read = Math.min(snapshot.pageSize, length);
        buffer.fill(0, 0, read);
      }
      while (read < length) {
        const n = fs.readSync(workerData.sourceFd, buffer, read, length - read, position + read);
        if (n === 0) throw new Error('The store file is shorter than its page count; nothing was backed up.');
        read += n;
      }
      if (position === 0) selfContainedHeader(buffer, snapshot.pageCount);
      hash.update(buffer.subarray(0, length));
      writeAll(out, buffer, length, position);
      position += length;
      progress('copying', position / Math.max(1, total));
    }
    fs.fsyncSync(out);
  } finally {
    fs.closeSync(out);
  }
  return { sha256: hash.digest('hex'), sizeBytes: total, pages: snapshot.pageCount };
}

/** SQLite's online backup on a pinned snapshot, then a hash pass over the finished copy. */
async function onlineBackup(source) {
  source.exec('BEGIN');
  source.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
  const result = await source.backup(workerData.destination, {
    progress: ({ totalPages, remainingPages }) => {
      progress('copying', 0.7 * (totalPages - remainingPages) / Math.max(1, totalPages));
      return workerData.pagesPerStep;
    },
  });
  source.exec('COMMIT');
  // One self-contained file (no WAL) that opens read-only anywhere.
  const copy = new Database(workerData.destination);
  try { copy.pragma('journal_mode = DELETE'); } finally { copy.close(); }

  progress('checksum', 0.7);
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(workerData.destination, 'r');
  let size = 0;
  try {
    const total = fs.fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(workerData.chunkBytes);
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, size);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      size += n;
      progress('checksum', size >= total ? 1 : 0.7 + 0.3 * size / Math.max(1, total));
    }
  } finally {
    fs.closeSync(fd);
  }
  return { sha256: hash.digest('hex'), sizeBytes: size, pages: result.totalPages };
}

(async () => {
  const started = Date.now();
  const reader = new Database(workerData.source, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
  let result;
  let method;
  try {
    const writer = new Database(workerData.source, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
    let snapshot;
    try {
      snapshot = workerData.forceOnline ? null : pinFileSnapshot(reader, writer);
    } finally {
      writer.close();
    }
    if (snapshot) {
      method = 'file-copy';
      result = copyPinnedFile(snapshot);
      reader.exec('COMMIT');
    } else {
      method = 'online-backup';
      result = await onlineBackup(reader);
    }
  } finally {
    reader.close();
  }
  parentPort.postMessage({ type: 'done', ...result, method, ms: Date.now() - started });
})().catch((error) => {
  parentPort.postMessage({ type: 'error', message: String((error && error.message) || error), code: error && error.code });
});
`;

type WorkerMessage =
  | { type: 'progress'; phase: 'copying' | 'checksum'; fraction: number }
  | { type: 'done'; sha256: string; sizeBytes: number; pages: number; ms: number; method: WorkerBackupResult['method'] }
  | { type: 'error'; message: string; code?: string };

/** The file better-sqlite3 loads from, for the worker's `require`. */
export function betterSqlite3Module(): string {
  return createRequire(__filename).resolve('better-sqlite3');
}

/**
 * Backs up the SQLite database `source` (open elsewhere in this process or not) into
 * `destination` (a new file) and returns its SHA-256 and size.
 */
export function backupInWorker(source: BackupSource, destination: string, options: WorkerBackupOptions = {}): Promise<WorkerBackupResult> {
  return new Promise((resolvePromise, reject) => {
    const workerData = {
      source: source.file,
      sourceFd: source.fd,
      destination,
      modulePath: betterSqlite3Module(),
      pagesPerStep: PAGES_PER_STEP,
      chunkBytes: CHUNK_BYTES,
      pinAttempts: PIN_ATTEMPTS,
      checkpointWaitMs: CHECKPOINT_WAIT_MS,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      forceOnline: options.forceOnlineBackup === true,
      lockByteOffset: options.lockByteOffset ?? SQLITE_LOCK_BYTE_OFFSET,
    };
    const worker = new Worker(WORKER_CODE, { eval: true, workerData });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => finish(() => reject(options.signal?.reason instanceof Error ? options.signal.reason : new Error('The backup was stopped.')));
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.({ phase: message.phase, fraction: message.fraction });
      else if (message.type === 'done') finish(() => resolvePromise({ sha256: message.sha256, sizeBytes: message.sizeBytes, pages: message.pages, ms: message.ms, method: message.method }));
      else finish(() => reject(new BackupWorkerError(message.message, message.code)));
    });
    worker.once('error', (error) => finish(() => reject(error)));
    worker.once('exit', (code) => finish(() => reject(new Error(`The backup worker stopped unexpectedly (exit code ${code}).`))));
  });
}
