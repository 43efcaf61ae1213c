// Verifying a backup file: its SHA-256 against the record (or sidecar), SQLite's
// `PRAGMA integrity_check`, and opening a copy as a Counterbook store with the real
// storage (every collection opens and counts). The checks run on a private copy in
// the data folder, so the backup itself is never modified (opening a store writes).
import Database from 'better-sqlite3';
import { promises as fsp, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackupCheck, VerifyReport } from '@shared/api/ops/backup';
import { newId } from '@shared/ids';
import { SHOP_PROFILE_ID } from '@shared/schema';
import { openDatabase } from '../store/database';
import { getRxStorageBetterSqlite3 } from '../store/rxstorage-better-sqlite3';
import { copyAndHash } from './files';
import { betterSqlite3Module } from './sqlite-backup';

export interface VerifyOptions {
  /** What the record or sidecar says; without it the checksum is computed but not compared. */
  expected?: { sha256: string; sizeBytes: number } | null;
  /** This device: a backup made by another device is reported in the 'shop' check. */
  deviceId?: string;
  /** A scratch folder on a disk with room for one copy of the backup. */
  scratchDir: string;
  onProgress?: (fraction: number, phase: 'checksum' | 'integrity' | 'opening', message: string) => void;
}

export interface VerifyResult extends VerifyReport {
  /** Identity read from the backup's own metadata. */
  backupDeviceId: string | null;
  backupShopName: string | null;
  /** Counts of audit entries and sales: a store without either is empty. */
  isEmpty: boolean;
}

/** PRAGMA integrity_check in a worker thread: on a large file it takes seconds and must not stall the core. */
function integrityCheck(file: string): Promise<string[]> {
  const modulePath = betterSqlite3Module();
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    try {
      const Database = require(workerData.modulePath);
      const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
      try {
        const rows = db.pragma('integrity_check(20)');
        parentPort.postMessage({ ok: true, rows: rows.map((r) => String(Object.values(r)[0])) });
      } finally { db.close(); }
    } catch (error) {
      parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
    }`;
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { file, modulePath } });
    worker.once('message', (m: { ok: boolean; rows?: string[]; message?: string }) => {
      void worker.terminate();
      if (m.ok) resolvePromise(m.rows ?? []);
      else reject(new Error(m.message));
    });
    worker.once('error', reject);
  });
}

function notADatabase(message: string): boolean {
  return /not a database|file is encrypted|malformed|NOTADB|CORRUPT/i.test(message);
}

/** Runs every check; never throws for a bad backup (the report says what is wrong). */
export async function verifyBackupFile(path: string, options: VerifyOptions): Promise<VerifyResult> {
  const checks: BackupCheck[] = [];
  const counts: Record<string, number> = {};
  const report = (sha256 = '', sizeBytes = 0): VerifyResult => {
    const ok = checks.length > 0 && checks.filter((c) => c.name !== 'shop').every((c) => c.ok);
    return { ok, path, sha256, sizeBytes, checks, counts, verifiedAt: Date.now(), backupDeviceId, backupShopName, isEmpty };
  };
  let backupDeviceId: string | null = null;
  let backupShopName: string | null = null;
  let isEmpty = true;

  let size = 0;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    checks.push({ name: 'file', ok: false, message: `The backup file ${path} is not there (deleted, moved, or on a drive that is not plugged in).` });
    return report();
  }
  if (size === 0) {
    checks.push({ name: 'file', ok: false, message: 'The backup file is empty.' });
    return report();
  }
  if (options.expected && options.expected.sizeBytes !== size) {
    checks.push({ name: 'file', ok: false, message: `The file is ${size} bytes but the backup was ${options.expected.sizeBytes} bytes when it was made: it has been changed or cut short.` });
  } else {
    checks.push({ name: 'file', ok: true, message: `${size} bytes.` });
  }

  const work = join(options.scratchDir, `verify-${newId()}`);
  await fsp.mkdir(work, { recursive: true });
  const name = `verify${newId().replace(/-/g, '').slice(-12).toLowerCase()}`;
  const copy = join(work, `${name}.sqlite`);
  try {
    options.onProgress?.(0, 'checksum', 'Reading the backup and computing its checksum…');
    const { sha256 } = await copyAndHash(path, copy, (done, total) => options.onProgress?.((0.4 * done) / Math.max(1, total), 'checksum', 'Computing the checksum…'));
    if (!options.expected) checks.push({ name: 'checksum', ok: true, message: `SHA-256 ${sha256} (no checksum was recorded for this file to compare with).` });
    else if (options.expected.sha256 === sha256) checks.push({ name: 'checksum', ok: true, message: `SHA-256 matches (${sha256.slice(0, 12)}…).` });
    else checks.push({ name: 'checksum', ok: false, message: `The checksum does not match: the file was changed or damaged after the backup was made (expected ${options.expected.sha256.slice(0, 12)}…, found ${sha256.slice(0, 12)}…).` });

    options.onProgress?.(0.4, 'integrity', 'Checking the database structure (integrity check)…');
    let integrityOk = false;
    try {
      const rows = await integrityCheck(copy);
      integrityOk = rows.length === 1 && rows[0] === 'ok';
      checks.push({ name: 'integrity', ok: integrityOk, message: integrityOk ? 'PRAGMA integrity_check: ok.' : `The database is damaged: ${rows.slice(0, 3).join('; ')}` });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      checks.push({ name: 'integrity', ok: false, message: notADatabase(message) ? `This is not a readable Counterbook backup: ${message}.` : `The integrity check failed: ${message}.` });
    }
    if (!integrityOk) return report(sha256, size);

    // Identity from the store's own metadata.
    const raw = new Database(copy, { readonly: true, fileMustExist: true });
    try {
      const hasMeta = raw.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'counterbook_meta'").pluck().get() === 1;
      if (!hasMeta) {
        checks.push({ name: 'store', ok: false, message: 'This is an SQLite database, but not a Counterbook store.' });
        return report(sha256, size);
      }
      backupDeviceId = (raw.prepare("SELECT value FROM counterbook_meta WHERE key = 'deviceId'").pluck().get() as string | undefined) ?? null;
    } finally {
      raw.close();
    }

    options.onProgress?.(0.75, 'opening', 'Opening the backup as a store…');
    const storage = getRxStorageBetterSqlite3({ path: work, synchronous: 'OFF' });
    try {
      const db = await openDatabase({ storage, name });
      try {
        for (const [collectionName, collection] of Object.entries(db.collections)) {
          counts[collectionName] = await collection.count().exec();
        }
        const shop = await db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
        backupShopName = shop?.shopName ?? null;
      } finally {
        await db.close();
      }
      isEmpty = (counts.auditLog ?? 0) === 0 && (counts.sales ?? 0) === 0;
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      checks.push({
        name: 'store',
        ok: true,
        message: `Opens as a Counterbook store: ${Object.keys(counts).length} collections, ${total} records (${counts.sales ?? 0} sales, ${counts.auditLog ?? 0} audit entries).`,
      });
    } catch (error) {
      checks.push({ name: 'store', ok: false, message: `The backup does not open as a Counterbook store: ${error instanceof Error ? error.message : String(error)}` });
      return report(sha256, size);
    }

    if (options.deviceId) {
      const same = backupDeviceId === options.deviceId;
      const shop = backupShopName ? `“${backupShopName}”` : 'a shop without a profile';
      checks.push({
        name: 'shop',
        ok: same,
        message: same ? `Made on this device (${shop}).` : `Made on another device (${shop}, device ${backupDeviceId ?? 'unknown'}).`,
      });
    }
    options.onProgress?.(1, 'opening', 'Checked.');
    return report(sha256, size);
  } finally {
    await fsp.rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}
