// Backups on real SQLite files, through a real core: a backup taken during continuous
// writes is consistent; corruption is detected; restore gives back exactly the data;
// automatic backups, on-quit backups, retention pruning and the backup folder.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import type { BackupProgress } from '@shared/api/ops/backup';
import { newId } from '@shared/ids';
import { allCollections, type AuditLogDoc, type CollectionName } from '@shared/schema';
import { verifyChain } from '../audit/hash-chain';
import { startCore, type Core } from '../core/core';
import { silentLogger } from '../core/log';
import type { CallContext } from '../core/router';
import { openDatabase, type CounterbookDatabase } from '../store/database';
import { seedDemo } from '../store/demo-seed';
import { getRxStorageBetterSqlite3 } from '../store/rxstorage-better-sqlite3';
import { BackupService } from './service';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cb-backup-${tag}-`));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, host: 'test' | 'browser' = 'test'): Promise<Core> {
  const core = await startCore({ dataDir, appVersion: '1.2.3', host, logger: silentLogger });
  cleanup.push(() => core.close());
  return core;
}

const ctx = (): CallContext => ({ connectionId: 'test', host: 'test', session: { userId: 'admin-1', name: 'Admin', role: 'admin' } });

async function call<K extends OpName>(core: Core, op: K, input: OpInput<K>): Promise<OpOutput<K>> {
  const result = await core.router.call(op, input, ctx());
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.output as OpOutput<K>;
}

async function callError(core: Core, op: OpName, input: unknown): Promise<{ code: string; message: string }> {
  const result = await core.router.call(op, input, ctx());
  if (result.ok) throw new Error(`${op} should have failed`);
  return result.error;
}

const actor = { userId: 'user-1', name: 'Ada' };

function product(name = 'Tea 500g') {
  return {
    id: newId(),
    name,
    sku: 'TEA-500',
    barcode: '',
    priceMinor: 450,
    currency: 'KES',
    taxRateBp: 0,
    category: 'Groceries',
    favourite: false,
    active: true,
  };
}

async function addProduct(core: Core, name?: string): Promise<string> {
  const p = product(name);
  await core.writes.run({ action: 'product.create', actor }, (tx) => tx.insert('products', p as never));
  return p.id;
}

/** Opens a copy of a backup file as a store (the file itself is left untouched). */
async function openBackup(file: string): Promise<CounterbookDatabase> {
  const dir = tempDir('open');
  const name = `b${newId().replace(/-/g, '').slice(-10)}`;
  copyFileSync(file, join(dir, `${name}.sqlite`));
  const db = await openDatabase({ storage: getRxStorageBetterSqlite3({ path: dir }), name });
  cleanup.push(() => db.close().then(() => undefined));
  return db;
}

async function snapshot(db: CounterbookDatabase, except: CollectionName[] = []): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of Object.keys(allCollections) as CollectionName[]) {
    if (except.includes(name)) continue;
    const docs = await db.collections[name].find().exec();
    out[name] = docs.map((d) => d.toJSON()).sort((a, b) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1));
  }
  return out;
}

async function auditEntries(db: CounterbookDatabase): Promise<AuditLogDoc[]> {
  const docs = await db.collections.auditLog.find({ sort: [{ deviceId: 'asc' }, { seq: 'asc' }] }).exec();
  return docs.map((d) => d.toMutableJSON() as AuditLogDoc);
}

function flipBytes(file: string, at: number, count = 32): void {
  const bytes = readFileSync(file);
  for (let i = at; i < at + count && i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff;
  writeFileSync(file, bytes);
}

describe('backup during continuous writes', () => {
  it('opens, verifies, and holds a consistent state: the audit chain is whole up to its last entry and matches the data', async () => {
    const dir = tempDir('busy');
    const core = await start(dir);
    await seedDemo(core.store.db, { sales: 4000, deviceId: core.deviceId, now: Date.UTC(2025, 5, 15, 12) });
    for (let i = 0; i < 5; i++) await addProduct(core, `before ${i}`);
    const headBefore = (await auditEntries(core.store.db)).at(-1)!.seq;

    let stop = false;
    let written = 0;
    const writer = (async () => {
      while (!stop) {
        await addProduct(core, `during ${written}`);
        written++;
        // Writes arrive as API calls do, from the event loop (a bare promise loop would starve timers and I/O).
        await new Promise((r) => setImmediate(r));
      }
    })();
    const steps: BackupProgress[] = [];
    const off = core.bus.subscribe((name, payload) => {
      if (name === 'backup.progress') steps.push(payload as BackupProgress);
    });
    // Let the writer get going, then back up while it writes.
    while (written < 3) await new Promise((r) => setTimeout(r, 1));
    const writtenAtStart = written;
    const seqAtStart = (await auditEntries(core.store.db)).at(-1)!.seq;
    const info = await call(core, 'backup.create', { note: 'busy' });
    const writtenByEnd = written;
    stop = true;
    await writer;
    off();

    // The app kept writing while the backup ran.
    expect(writtenByEnd).toBeGreaterThan(writtenAtStart);
    expect(steps.map((s) => s.phase)).toEqual(expect.arrayContaining(['copying', 'checksum', 'done']));
    expect(steps.at(-1)?.phase).toBe('done');

    const report = await call(core, 'backup.verify', { id: info.id });
    expect(report.ok, JSON.stringify(report.checks)).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['file', 'checksum', 'integrity', 'store', 'shop']);

    const backup = await openBackup(info.path);
    const entries = await auditEntries(backup);
    // Whole chain, holding at least everything written before the backup started (a snapshot from then).
    expect(verifyChain(entries)).toBeNull();
    expect(entries.at(-1)!.seq).toBeGreaterThanOrEqual(Math.max(seqAtStart, headBefore));
    // It is a prefix of the live chain: the same entries, none missing, none torn.
    const live = await auditEntries(core.store.db);
    expect(entries).toEqual(live.slice(0, entries.length));
    // Every product written in the test is in the backup exactly when its audit entry is (the seed's products have none).
    const products = (await backup.collections.products.find().exec())
      .filter((p) => p.name.startsWith('before ') || p.name.startsWith('during '))
      .map((p) => p.id)
      .sort();
    const audited = entries.filter((e) => e.action === 'product.create').map((e) => e.resourceId).sort();
    expect(products).toEqual(audited);
    expect(await backup.collections.sales.count().exec()).toBe(await core.store.db.collections.sales.count().exec());
  });
});

describe('verify', () => {
  it('detects flipped bytes (checksum) and refuses to restore them, changing nothing', async () => {
    const dir = tempDir('corrupt');
    const core = await start(dir);
    await addProduct(core);
    const info = await call(core, 'backup.create', {});
    expect((await call(core, 'backup.verify', { id: info.id })).ok).toBe(true);

    flipBytes(info.path, Math.floor(info.sizeBytes / 2));
    const report = await call(core, 'backup.verify', { id: info.id });
    expect(report.ok).toBe(false);
    const checksum = report.checks.find((c) => c.name === 'checksum')!;
    expect(checksum.ok).toBe(false);
    expect(checksum.message).toMatch(/checksum does not match/);

    await addProduct(core);
    const before = await snapshot(core.store.db);
    const error = await callError(core, 'backup.restore', { id: info.id });
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/cannot be restored: The checksum does not match.*Nothing was changed\./);
    expect(await snapshot(core.store.db)).toEqual(before);
    expect(readdirSync(join(dir, 'store')).filter((f) => f.includes('restoring'))).toEqual([]);
  });

  it('detects a damaged database even without a recorded checksum', async () => {
    const dir = tempDir('damaged');
    const core = await start(dir);
    await addProduct(core);
    const info = await call(core, 'backup.create', {});
    const loose = join(tempDir('loose'), 'copy.cbbackup.sqlite');
    copyFileSync(info.path, loose); // no sidecar: nothing to compare the checksum with
    flipBytes(loose, 0, 16); // the SQLite header
    const report = await call(core, 'backup.verify', { path: loose });
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'checksum')).toMatchObject({ ok: true, message: expect.stringMatching(/no checksum was recorded/) });
    expect(report.checks.find((c) => c.name === 'integrity')).toMatchObject({ ok: false, message: expect.stringMatching(/not a readable Counterbook backup/) });

    // An SQLite database that is not a Counterbook store.
    const other = join(tempDir('other'), 'other.sqlite');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    foreign.close();
    const otherReport = await call(core, 'backup.verify', { path: other });
    expect(otherReport.ok).toBe(false);
    expect(otherReport.checks.find((c) => c.name === 'store')?.message).toMatch(/not a Counterbook store/);

    // A missing file.
    const missing = await callError(core, 'backup.restore', { path: join(dir, 'nope.cbbackup.sqlite') });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/There is no file at/);
  });
});

describe('restore', () => {
  it('gives back exactly the backed-up data, keeps the current data as a pre-restore backup, and audits it', async () => {
    const dir = tempDir('restore');
    const core = await start(dir);
    await seedDemo(core.store.db, { sales: 300, deviceId: core.deviceId, now: Date.UTC(2025, 5, 15, 12) });
    const kept = await addProduct(core, 'kept');
    await core.writes.run({ action: 'product.update', actor }, (tx) => tx.update('products', kept, { priceMinor: 999 } as never));
    // The state the backup holds (its own record is written after the copy, so it is not in it).
    const expected = await snapshot(core.store.db, ['backups']);
    const expectedAudit = await auditEntries(core.store.db);
    const info = await call(core, 'backup.create', { note: 'before the mistake' });

    const afterwards = await addProduct(core, 'written after the backup');
    await core.writes.run({ action: 'product.remove', actor }, (tx) => tx.remove('products', kept));
    // Invoice and credit-note numbers given out after the backup (as a sale or refund would).
    const counterAtBackup = (await core.store.db.collections.invoiceCounters.findOne(core.deviceId).exec())!.toMutableJSON();
    await core.writes.run({ action: 'counter.finalise', actor }, (tx) =>
      tx.update('invoiceCounters', core.deviceId, { lastInvoiceSeq: counterAtBackup.lastInvoiceSeq + 7, lastCreditNoteSeq: counterAtBackup.lastCreditNoteSeq + 2 }),
    );
    const auditBeforeRestore = await auditEntries(core.store.db);
    const storeFileBefore = core.store.file;

    const progress: BackupProgress[] = [];
    const off = core.bus.subscribe((name, payload) => name === 'backup.progress' && progress.push(payload as BackupProgress));
    const result = await call(core, 'backup.restore', { id: info.id });
    off();
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['checksum', 'integrity', 'opening', 'copying', 'safety-copy', 'swapping', 'restarting', 'done']));

    // The same Core object now serves the restored store.
    expect(core.store.file).toBe(storeFileBefore);
    expect(await core.store.db.collections.products.findOne(afterwards).exec()).toBeNull();
    expect((await core.store.db.collections.products.findOne(kept).exec())?.priceMinor).toBe(999);
    const actual = await snapshot(core.store.db, ['backups']);
    const { auditLog: actualAudit, invoiceCounters: actualCounters, ...actualRest } = actual;
    const { auditLog: _expectedAudit, invoiceCounters: _expectedCounters, ...expectedRest } = expected;
    expect(actualRest).toEqual(expectedRest);
    // What a restore never rolls back: the audit log (the backed-up entries, then those written
    // after the backup, unchanged, then the restore on top, one whole chain, no seq used twice)...
    const audit = await auditEntries(core.store.db);
    expect(audit.slice(0, expectedAudit.length)).toEqual(expectedAudit);
    expect(auditBeforeRestore.length).toBeGreaterThan(expectedAudit.length);
    expect(audit.slice(0, auditBeforeRestore.length)).toEqual(auditBeforeRestore);
    expect(verifyChain(audit)).toBeNull();
    const added = audit.slice(auditBeforeRestore.length);
    expect(added[0]).toMatchObject({ action: 'backup.restore', userId: ctx().session!.userId, resourceId: result.preRestore.id });
    expect(added.every((e) => e.action.startsWith('backup.'))).toBe(true);
    expect(actualAudit).toHaveLength(audit.length);
    // ...and the numbering: the next invoice does not reuse a number given out before the restore.
    expect(actualCounters).toHaveLength(1);
    expect(actualCounters![0]).toMatchObject({ lastInvoiceSeq: counterAtBackup.lastInvoiceSeq + 7, lastCreditNoteSeq: counterAtBackup.lastCreditNoteSeq + 2 });

    // The data from before the restore is a verified, pinned pre-restore backup, listed with the others.
    const list = await call(core, 'backup.list', {});
    const pre = list.backups.find((b) => b.id === result.preRestore.id)!;
    expect(pre).toMatchObject({ kind: 'pre-restore', keep: true, retention: 'pinned', available: true });
    expect(list.backups.map((b) => b.id)).toContain(info.id);
    const preDb = await openBackup(pre.path);
    expect(await preDb.collections.products.findOne(afterwards).exec()).not.toBeNull();
    expect((await call(core, 'backup.verify', { id: pre.id })).ok).toBe(true);

    // Writing after the restore continues the chain.
    await addProduct(core, 'after restore');
    expect(verifyChain(await auditEntries(core.store.db))).toBeNull();
    expect(existsSync(join(dir, 'backup-restore.json'))).toBe(false);
  });

  it('refuses a backup from another shop, but restores it onto a fresh data folder (a new computer)', async () => {
    const otherDir = tempDir('other-shop');
    const other = await start(otherDir);
    await seedDemo(other.store.db, { sales: 20, deviceId: other.deviceId, now: Date.UTC(2025, 5, 15, 12) });
    const foreign = await call(other, 'backup.create', {});
    const otherDevice = other.deviceId;
    await other.close();

    const dir = tempDir('this-shop');
    const core = await start(dir);
    await addProduct(core, 'ours');
    const before = await snapshot(core.store.db);
    const error = await callError(core, 'backup.restore', { path: foreign.path });
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/made on another device \(“Duka Letu Mini-Mart”\).*Nothing was changed\./);
    expect(await snapshot(core.store.db)).toEqual(before);
    await core.close();

    const freshDir = tempDir('fresh');
    const fresh = await start(freshDir);
    const restored = await call(fresh, 'backup.restore', { path: foreign.path });
    expect(restored.counts.sales).toBeGreaterThan(0);
    expect(fresh.deviceId).toBe(otherDevice);
    expect(await fresh.store.db.collections.sales.count().exec()).toBe(restored.counts.sales);
  });
});

describe('automatic backups and retention', () => {
  it('backs up when data changed and an interval passed, classifies weekly/daily/hourly and prunes by retention', async () => {
    const dir = tempDir('auto');
    const core = await start(dir);
    await seedDemo(core.store.db, { sales: 10, deviceId: core.deviceId, now: Date.UTC(2025, 5, 15, 12) }); // Nairobi time zone
    let now = Date.UTC(2025, 5, 16, 6, 0); // Monday 09:00 in Nairobi
    const service = new BackupService(core, { restart: () => Promise.reject(new Error('no restart in this test')), schedule: false, clock: () => now });
    await service.start();
    cleanup.push(() => service.close());

    expect(await service.tick()).toBeNull(); // nothing changed yet
    await addProduct(core);
    const first = await service.tick();
    expect(first?.kind).toBe('weekly');
    expect(await service.tick()).toBeNull(); // nothing changed since

    await addProduct(core);
    now += 30 * 60_000;
    expect(await service.tick()).toBeNull(); // changed, but within the hour
    now += 31 * 60_000;
    const second = await service.tick();
    expect(second?.kind).toBe('hourly');

    await addProduct(core);
    now += 24 * 3_600_000;
    const third = await service.tick();
    expect(third?.kind).toBe('daily');
    for (let i = 0; i < 3; i++) {
      await addProduct(core);
      now += 3_600_000;
      expect((await service.tick())?.kind).toBe('hourly');
    }
    // A person's manual backup is never pruned.
    const manual = await call(core, 'backup.create', { note: 'keep me' });

    // Keep 2 hourly: the older hourly backups (files, sidecars and records) go.
    await call(core, 'backup.settings', { retention: { hourly: 2 } });
    const list = await service.list();
    expect(list.backups.map((b) => b.kind).sort()).toEqual(['daily', 'hourly', 'hourly', 'manual', 'weekly']);
    expect(list.backups.every((b) => b.retention !== 'expired')).toBe(true);
    expect(list.backups.find((b) => b.id === manual.id)?.retention).toBe('pinned');
    const files = readdirSync(join(dir, 'backups'));
    expect(files.filter((f) => f.endsWith('.cbbackup.sqlite'))).toHaveLength(5);
    expect(files.filter((f) => f.endsWith('.cbbackup.sqlite.json'))).toHaveLength(5);
    expect(existsSync(second!.path)).toBe(false);
    const pruned = (await auditEntries(core.store.db)).filter((e) => e.action === 'backup.prune');
    expect(pruned.map((e) => e.resourceId)).toContain(second!.id);
  });

  it('takes an on-quit backup when data changed in this run', async () => {
    const dir = tempDir('quit');
    const core = await start(dir, 'browser');
    await core.close(); // nothing changed: no backup
    expect(existsSync(join(dir, 'backups')) ? readdirSync(join(dir, 'backups')) : []).toEqual([]);

    const again = await start(dir, 'browser');
    await addProduct(again);
    await again.close();
    const sidecars = readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.json'));
    expect(sidecars).toHaveLength(1);
    const sidecar = JSON.parse(readFileSync(join(dir, 'backups', sidecars[0]!), 'utf8'));
    expect(sidecar).toMatchObject({ note: 'On quit', kind: 'weekly', keep: false });

    const reopened = await start(dir);
    const list = await call(reopened, 'backup.list', {});
    expect(list.backups).toHaveLength(1);
    expect(list.changedSinceLastBackup).toBe(false);
  });
});

describe('backup folder', () => {
  it('accepts only an existing, writable folder outside the store, and lists a folder from its sidecars', async () => {
    const dir = tempDir('folder');
    const core = await start(dir);
    const usb = tempDir('usb');

    expect(await callError(core, 'backup.settings', { folder: join(usb, 'missing') })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/does not exist/) });
    expect(await callError(core, 'backup.settings', { folder: 'relative/path' })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/not a full path/) });
    expect(await callError(core, 'backup.settings', { folder: join(dir, 'store') })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/inside the store folder/) });
    const aFile = join(usb, 'file.txt');
    writeFileSync(aFile, 'x');
    expect(await callError(core, 'backup.settings', { folder: aFile })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/is a file, not a folder/) });

    const settings = await call(core, 'backup.settings', { folder: usb });
    expect(settings).toMatchObject({ folder: usb, isDefaultFolder: false });
    await addProduct(core);
    const info = await call(core, 'backup.create', {});
    expect(info.path.startsWith(usb)).toBe(true);

    // One-off folder from --to.
    const elsewhere = tempDir('elsewhere');
    const oneOff = await call(core, 'backup.create', { folder: elsewhere });
    expect(oneOff.path.startsWith(elsewhere)).toBe(true);
    expect((await call(core, 'backup.settings', {})).folder).toBe(usb);

    // The drive's backups can be listed without the store's records (e.g. on another machine).
    const listed = await call(core, 'backup.list', { folder: usb });
    expect(listed.backups.map((b) => [b.id, b.sha256, b.sizeBytes])).toEqual([[info.id, info.sha256, info.sizeBytes]]);

    // Unplugged drive: a clear message, and the default folder again when chosen.
    rmSync(usb, { recursive: true, force: true });
    expect(await callError(core, 'backup.create', {})).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/is not available \(is the drive plugged in\?\)/) });
    mkdirSync(usb);
    expect((await call(core, 'backup.settings', { folder: '' })).isDefaultFolder).toBe(true);
  });
});
