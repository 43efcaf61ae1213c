// Backups of the local store: on demand, automatic (every interval while data changes,
// and on quit), verify, restore, retention and the backup folder.
//
// Where things are recorded:
// - each backup is a record in the local-only `backups` collection, written through
//   the write path, so creating, pruning, deleting and restoring are in the audit log;
// - next to each backup file, a JSON sidecar with the same facts (checksum, kind, time,
//   device, shop), so a backup folder on a USB drive can be listed, verified and
//   restored on another machine, and so records the store cannot hold survive: the
//   restored store does not know of the backups made after it (nor of the pre-restore
//   one), and they are re-recorded from their sidecars when the core starts again.
import Database from 'better-sqlite3';
import { existsSync, promises as fsp } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ApiError } from '@shared/api/errors';
import type { BackupInfo, BackupKind, BackupProgress, BackupSettings, VerifyReport } from '@shared/api/ops/backup';
import { newId } from '@shared/ids';
import { SHOP_PROFILE_ID, allCollections, type BackupDoc } from '@shared/schema';
import { SYSTEM_ACTOR } from '../core/actor';
import type { CoreServices, RestartCore } from '../core/core';
import { dataPaths } from '../core/paths';
import type { Actor } from '../store/write-path';
import {
  PARTIAL_EXT,
  backupFileName,
  checkBackupFolder,
  copyAndHash,
  fsyncDir,
  readSidecar,
  removePartials,
  scanFolder,
  sidecarPath,
  writeFileDurably,
  writeSidecar,
  type Sidecar,
} from './files';
import { AuditTable } from '../audit/audit-table';
import { readCarriedForward, type CarriedForward } from './carry-forward';
import { automaticBackupDue, automaticKind, isAutomatic, planRetention } from './retention';
import { readStoredSettings, resolveSettings, writeStoredSettings, type StoredSettings } from './settings';
import { BackupWorkerError, backupInWorker } from './sqlite-backup';
import { verifyBackupFile, type VerifyResult } from './verify';

/** Written by a restore just before the core restarts; the next core records the restore from it. */
const RESTORE_MARKER = 'backup-restore.json';
const STAGED_SUFFIX = '.restoring';
const TICK_MS = 60_000;

export interface BackupServiceOptions {
  /** Closes the core, runs work on the closed data folder, starts the core again. */
  restart: RestartCore;
  /** Run automatic backups (the desktop app and the browser host; not the CLI). */
  schedule: boolean;
  clock?: () => number;
}

export interface CreateOptions {
  actor: Actor;
  kind?: 'manual' | 'automatic';
  note?: string;
  folder?: string;
}

export interface RestoreResult {
  restored: { path: string; sha256: string; createdAt: number | null };
  preRestore: BackupInfo;
  counts: Record<string, number>;
}

interface RestoreMarker {
  preRestore: { path: string; sidecar: Sidecar };
  restoredPath: string;
  restoredSha256: string;
  restoredCreatedAt: number | null;
  actor: Actor;
  at: number;
}

type Job = BackupProgress['operation'];

function describeFsError(error: unknown, where: string): string {
  const code = error instanceof BackupWorkerError ? error.code : (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'SQLITE_FULL') return `There is not enough free space in ${where}. Free some space or choose another backup folder.`;
  if (code === 'ENOSPC') return `There is not enough free space in ${where}. Free some space or choose another backup folder.`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `Counterbook may not write to ${where}. Check the folder's permissions, or whether the drive is read-only.`;
  if (code === 'ENOENT') return `${where} is not available (is the drive plugged in?).`;
  return `${error instanceof Error ? error.message : String(error)}`;
}

export class BackupService {
  private readonly paths: ReturnType<typeof dataPaths>;
  private readonly clock: () => number;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private running: BackupProgress | null = null;
  private lastEmit = 0;
  /** Data changed since the last backup (also across restarts, from the audit log). */
  private changed = false;
  /** Data changed in this run of the core since the last backup: an on-quit backup is worth it. */
  private changedThisRun = false;
  private lastBackupAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private restoring = false;
  private closed = false;

  constructor(
    private readonly core: CoreServices,
    private readonly options: BackupServiceOptions,
  ) {
    this.paths = dataPaths(core.options.dataDir);
    this.clock = options.clock ?? Date.now;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Cleans up after a crash, records a restore that just happened and backups known only from sidecars, starts the schedule. */
  async start(): Promise<void> {
    this.unsubscribe = this.core.bus.subscribe((name, payload) => {
      if (name !== 'data.changed') return;
      const collections = (payload as { collections: string[] }).collections;
      // Recording a backup is itself a write: it must not count as a change to back up.
      if (collections.some((c) => c !== 'backups' && c !== 'auditLog')) {
        this.changed = true;
        this.changedThisRun = true;
      }
    });
    const settings = this.settings();
    // Backups must never stop the core from starting: problems here are logged.
    try {
      await fsp.rm(this.core.store.file + STAGED_SUFFIX, { force: true });
      await fsp.rm(this.scratchDir(), { recursive: true, force: true });
      await removePartials(settings.folder);
      await this.completeRestore();
      await this.reconcile([settings.folder, this.paths.backups]);
      const records = await this.records();
      this.lastBackupAt = records.reduce<number | null>((max, r) => (max === null || r.createdAt > max ? r.createdAt : max), null);
      const lastChange = await this.core.store.db.collections.auditLog
        .findOne({ selector: { resourceType: { $ne: 'backups' } }, sort: [{ at: 'desc' }] })
        .exec();
      this.changed = lastChange !== null && (this.lastBackupAt === null || lastChange.at > this.lastBackupAt);
    } catch (error) {
      this.core.logger.error('backup: start-up checks failed', { error });
    }
    if (this.options.schedule) {
      this.timer = setInterval(() => void this.tick(), Math.min(TICK_MS, settings.intervalMinutes * 60_000));
      this.timer.unref();
    }
  }

  /**
   * Stops the schedule. When the core quits (not when it restarts for a restore) and
   * data changed in this run, takes the on-quit backup first.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    if (this.restoring) return; // the restore job is the one closing the core
    if (this.options.schedule && this.settings().automatic && this.changedThisRun) {
      try {
        await this.enqueue('create', (jobId) => this.createNow(jobId, { actor: SYSTEM_ACTOR, kind: 'automatic', note: 'On quit' }), true);
      } catch (error) {
        this.core.logger.error('backup: on-quit backup failed', { error });
      }
    }
    await this.queue;
  }

  /** One scheduler step: an automatic backup when one is due. */
  async tick(): Promise<BackupInfo | null> {
    const settings = this.settings();
    if (this.closed || !settings.automatic || this.running) return null;
    if (!automaticBackupDue({ now: this.clock(), changed: this.changed, lastBackupAt: this.lastBackupAt, intervalMs: settings.intervalMinutes * 60_000 })) return null;
    try {
      return await this.create({ actor: SYSTEM_ACTOR, kind: 'automatic' });
    } catch (error) {
      this.core.logger.error('backup: automatic backup failed', { error });
      return null;
    }
  }

  // ---------------------------------------------------------------- settings

  settings(): BackupSettings {
    return resolveSettings(readStoredSettings(this.core.options.dataDir), this.paths.backups);
  }

  async updateSettings(update: { folder?: string; automatic?: boolean; intervalMinutes?: number; retention?: Partial<BackupSettings['retention']> }): Promise<BackupSettings> {
    const stored: StoredSettings = readStoredSettings(this.core.options.dataDir);
    if (update.folder !== undefined) {
      if (update.folder.trim() === '') delete stored.folder;
      else {
        const folder = await checkBackupFolder(update.folder, dirname(this.core.store.file));
        if (folder === resolve(this.paths.backups)) delete stored.folder;
        else stored.folder = folder;
      }
    }
    if (update.automatic !== undefined) stored.automatic = update.automatic;
    if (update.intervalMinutes !== undefined) stored.intervalMinutes = update.intervalMinutes;
    if (update.retention) stored.retention = { ...stored.retention, ...update.retention };
    await writeStoredSettings(this.core.options.dataDir, stored);
    const settings = this.settings();
    this.core.logger.info('backup settings changed', { folder: settings.folder, automatic: settings.automatic, intervalMinutes: settings.intervalMinutes, retention: settings.retention });
    if (update.retention) await this.enqueue('create', () => this.prune(), true).catch(() => undefined);
    return settings;
  }

  // ---------------------------------------------------------------- queries

  async list(folder?: string): Promise<{
    backups: BackupInfo[];
    settings: BackupSettings;
    running: BackupProgress | null;
    lastBackupAt: number | null;
    changedSinceLastBackup: boolean;
    nextAutomaticAt: number | null;
  }> {
    const settings = this.settings();
    let backups: BackupInfo[];
    if (folder) {
      if (!isAbsolute(folder)) throw new ApiError('VALIDATION', 'Give the whole path of the folder to list.', [{ path: 'folder', message: 'Give the whole path.' }]);
      if (!existsSync(folder)) throw new ApiError('NOT_FOUND', `The folder ${folder} does not exist (is the drive plugged in?).`);
      const records = new Map((await this.records()).map((r) => [r.id, r]));
      const found = await scanFolder(resolve(folder));
      const states = planRetention(found.map((f) => f.sidecar), settings.retention);
      backups = found.map(({ path, sidecar }) => ({
        id: sidecar.id,
        path,
        fileName: basename(path),
        sizeBytes: sidecar.sizeBytes,
        sha256: sidecar.sha256,
        createdAt: sidecar.createdAt,
        kind: sidecar.kind,
        keep: sidecar.keep,
        retention: states.get(sidecar.id) ?? 'pinned',
        appVersion: sidecar.appVersion,
        note: sidecar.note,
        verifiedAt: records.get(sidecar.id)?.verifiedAt ?? null,
        available: true,
      }));
    } else {
      const records = await this.records();
      const states = planRetention(records, settings.retention);
      backups = records.map((r) => this.info(r, states.get(r.id)));
    }
    backups.sort((a, b) => b.createdAt - a.createdAt);
    const nextAutomaticAt =
      settings.automatic && this.changed ? Math.max(this.clock(), (this.lastBackupAt ?? 0) + settings.intervalMinutes * 60_000) : null;
    return { backups, settings, running: this.running, lastBackupAt: this.lastBackupAt, changedSinceLastBackup: this.changed, nextAutomaticAt };
  }

  // ---------------------------------------------------------------- commands

  create(options: CreateOptions): Promise<BackupInfo> {
    return this.enqueue('create', (jobId) => this.createNow(jobId, options));
  }

  verify(ref: { id?: string; path?: string }, actor: Actor): Promise<VerifyReport> {
    return this.enqueue('verify', async (jobId) => {
      const source = await this.resolveRef(ref);
      const result = await this.verifyFile(jobId, source, 0, 1);
      if (source.record && result.ok) {
        await this.core.writes.run({ action: 'backup.verify', actor }, (tx) => tx.update('backups', source.record!.id, { verifiedAt: result.verifiedAt }));
      }
      this.progress(jobId, 'verify', result.ok ? 'done' : 'failed', 1, result.ok ? 'The backup is intact.' : 'The backup failed verification.');
      return stripVerify(result);
    });
  }

  restore(ref: { id?: string; path?: string }, actor: Actor): Promise<RestoreResult> {
    return this.enqueue('restore', (jobId) => this.restoreNow(jobId, ref, actor));
  }

  async delete(id: string, actor: Actor): Promise<void> {
    await this.enqueue('create', async () => {
      const record = await this.record(id);
      await this.removeFiles(record.path);
      await this.core.writes.run({ action: 'backup.delete', actor }, (tx) => tx.remove('backups', id));
    }, true);
  }

  async setKeep(id: string, keep: boolean, actor: Actor): Promise<BackupInfo> {
    return this.enqueue('create', async () => {
      const record = await this.record(id);
      const updated = await this.core.writes.run({ action: keep ? 'backup.pin' : 'backup.unpin', actor }, (tx) => tx.update('backups', id, { keep }));
      const sidecar = await readSidecar(record.path);
      if (sidecar) await writeSidecar(record.path, { ...sidecar, keep }).catch(() => undefined);
      const records = await this.records();
      return this.info(updated, planRetention(records, this.settings().retention).get(id));
    }, true);
  }

  // ---------------------------------------------------------------- jobs

  /** One job at a time: backups, verifies and restores queue behind each other. */
  private enqueue<T>(operation: Job, work: (jobId: string) => Promise<T>, silent = false): Promise<T> {
    const jobId = newId();
    if (!silent && this.pending > 0) this.progress(jobId, operation, 'queued', 0, 'Waiting for the backup job before it to finish…');
    this.pending += 1;
    const run = this.queue.then(async () => {
      try {
        return await work(jobId);
      } catch (error) {
        if (!silent) this.progress(jobId, operation, 'failed', 1, error instanceof Error ? error.message : String(error));
        throw error;
      } finally {
        this.pending -= 1;
        if (this.running?.jobId === jobId) this.running = null;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private progress(jobId: string, operation: Job, phase: BackupProgress['phase'], fraction: number, message: string): void {
    const now = performance.now();
    const previous = this.running?.jobId === jobId ? this.running : null;
    const event: BackupProgress = { jobId, operation, phase, fraction: Math.max(0, Math.min(1, fraction)), message };
    this.running = phase === 'done' || phase === 'failed' ? null : event;
    // At most ~10 events a second, but every change of phase.
    if (previous && previous.phase === phase && now - this.lastEmit < 100 && fraction < 1) return;
    this.lastEmit = now;
    this.core.bus.emit('backup.progress', event);
  }

  private async createNow(jobId: string, options: CreateOptions): Promise<BackupInfo> {
    const settings = this.settings();
    let folder: string;
    if (options.folder) folder = await checkBackupFolder(options.folder, dirname(this.core.store.file));
    else {
      folder = settings.folder;
      if (settings.isDefaultFolder) await fsp.mkdir(folder, { recursive: true });
      else if (!existsSync(folder)) throw new ApiError('UNAVAILABLE', `The backup folder ${folder} is not available (is the drive plugged in?). Plug it in, or choose another folder.`);
    }
    const id = newId();
    const createdAt = this.clock();
    const records = await this.records();
    const kind: BackupKind = options.kind === 'automatic' ? automaticKind(createdAt, records, settings.retention, await this.timeZone()) : 'manual';
    const file = join(folder, backupFileName(createdAt, kind, id));
    const partial = file + PARTIAL_EXT;
    const label = kind === 'manual' ? 'Backing up' : 'Automatic backup';

    // The backup is the store as it is when the copy starts; changes from then on count for the next one.
    this.changed = false;
    this.changedThisRun = false;
    this.progress(jobId, 'create', 'copying', 0, `${label}: copying the store…`);
    let sha256: string;
    let sizeBytes: number;
    try {
      ({ sha256, sizeBytes } = await backupInWorker({ file: this.core.store.file, fd: this.core.store.fileDescriptor() }, partial, {
        onProgress: ({ phase, fraction }) =>
          phase === 'copying'
            ? this.progress(jobId, 'create', 'copying', 0.95 * fraction, `${label}: copying the store (${Math.round(fraction * 100)}%)…`)
            : this.progress(jobId, 'create', 'checksum', 0.95 * fraction, `${label}: computing the checksum…`),
      }));
      await fsp.rename(partial, file);
      await fsyncDir(folder);
    } catch (error) {
      this.changed = true;
      await fsp.rm(partial, { force: true }).catch(() => undefined);
      this.core.logger.error('backup failed', { error, folder });
      if (error instanceof ApiError) throw error;
      throw new ApiError('UNAVAILABLE', `The backup could not be written. ${describeFsError(error, `the backup folder ${folder}`)}`);
    }

    const doc: BackupDoc = {
      id,
      createdAt,
      updatedAt: createdAt,
      path: file,
      sizeBytes,
      sha256,
      kind,
      keep: !isAutomatic(kind),
      appVersion: this.core.options.appVersion.slice(0, 40),
      note: (options.note ?? '').slice(0, 500),
    };
    await writeSidecar(file, await this.sidecarOf(doc));
    const action = kind === 'manual' ? 'backup.create' : 'backup.automatic';
    const recorded = await this.core.writes.run({ action, actor: options.actor, ...(doc.note ? { reason: doc.note } : {}) }, (tx) => tx.insert('backups', doc));
    this.lastBackupAt = createdAt;
    this.core.logger.info('backup created', { id, kind, file, sizeBytes });

    this.progress(jobId, 'create', 'checksum', 0.97, 'Applying retention…');
    await this.prune();
    const all = await this.records();
    const info = this.info(recorded, planRetention(all, settings.retention).get(id));
    this.progress(jobId, 'create', 'done', 1, `Backup ${info.fileName} created.`);
    return info;
  }

  /** Deletes the backups retention no longer keeps (files, sidecars and records). */
  private async prune(): Promise<void> {
    const records = await this.records();
    const states = planRetention(records, this.settings().retention);
    for (const record of records) {
      if (states.get(record.id) !== 'expired') continue;
      // A backup on a drive that is not plugged in is pruned when it is back.
      if (!existsSync(dirname(record.path))) continue;
      try {
        await this.removeFiles(record.path);
        await this.core.writes.run({ action: 'backup.prune', actor: SYSTEM_ACTOR, reason: 'retention' }, (tx) => tx.remove('backups', record.id));
      } catch (error) {
        this.core.logger.warn('backup: could not prune', { id: record.id, error });
      }
    }
  }

  private async removeFiles(path: string): Promise<void> {
    try {
      await fsp.rm(path, { force: true });
      await fsp.rm(sidecarPath(path), { force: true });
    } catch (error) {
      throw new ApiError('UNAVAILABLE', `Could not delete ${path}. ${describeFsError(error, dirname(path))}`);
    }
  }

  private async verifyFile(jobId: string, source: ResolvedSource, from: number, to: number): Promise<VerifyResult> {
    return verifyBackupFile(source.path, {
      expected: source.expected,
      deviceId: this.core.deviceId,
      scratchDir: this.scratchDir(),
      onProgress: (fraction, phase, message) => this.progress(jobId, source.operation ?? 'verify', phase, from + (to - from) * fraction, message),
    });
  }

  private async restoreNow(jobId: string, ref: { id?: string; path?: string }, actor: Actor): Promise<RestoreResult> {
    const source = { ...(await this.resolveRef(ref)), operation: 'restore' as const };
    this.progress(jobId, 'restore', 'checksum', 0, 'Checking the backup before restoring it…');
    const verified = await this.verifyFile(jobId, source, 0, 0.35);
    if (!verified.ok) {
      const failed = verified.checks.find((c) => !c.ok && c.name !== 'shop');
      throw new ApiError('VALIDATION', `This backup cannot be restored: ${failed?.message ?? 'it failed verification.'} Nothing was changed.`);
    }
    if (verified.backupDeviceId !== this.core.deviceId) {
      const current = await this.storeIsEmpty();
      if (!current) {
        const shop = verified.backupShopName ? `“${verified.backupShopName}”` : 'another shop';
        throw new ApiError(
          'VALIDATION',
          `This backup was made on another device (${shop}). Restoring it would replace this device's own data with another device's, so Counterbook refuses. ` +
            'To move a shop to a new computer, restore onto a fresh data folder there. Nothing was changed.',
        );
      }
    }

    const storeFile = this.core.store.file;
    const staged = storeFile + STAGED_SUFFIX;
    this.progress(jobId, 'restore', 'copying', 0.35, 'Copying the backup next to the store…');
    try {
      const copied = await copyAndHash(source.path, staged, (done, total) => this.progress(jobId, 'restore', 'copying', 0.35 + (0.15 * done) / Math.max(1, total), 'Copying the backup next to the store…'));
      if (copied.sha256 !== verified.sha256) throw new ApiError('CONFLICT', 'The backup file changed while it was being restored. Nothing was changed; try again.');
    } catch (error) {
      await fsp.rm(staged, { force: true }).catch(() => undefined);
      if (error instanceof ApiError) throw error;
      throw new ApiError('UNAVAILABLE', `Could not copy the backup next to the store. ${describeFsError(error, dirname(storeFile))} Nothing was changed.`);
    }

    const settings = this.settings();
    const preFolder = existsSync(settings.folder) ? settings.folder : this.paths.backups;
    await fsp.mkdir(preFolder, { recursive: true });
    const preId = newId();
    let preCreatedAt = 0;
    let preFile = '';
    let preSidecar: Sidecar | null = null;
    const deviceIdBefore = this.core.deviceId;
    const shopNameBefore = await this.shopName();

    // Let writes already queued finish before the store closes.
    await this.core.writes.run({ action: 'backup.restore.drain', actor }, () => undefined);
    this.restoring = true;
    let undone = false;
    let swapped = false;
    try {
      await this.options.restart(
        async () => {
          // The core is closed: nothing writes to the store now.
          try {
            this.progress(jobId, 'restore', 'safety-copy', 0.5, 'Making a safety copy of the current data…');
            await checkpointClosedStore(storeFile);
            preCreatedAt = this.clock();
            preFile = join(preFolder, backupFileName(preCreatedAt, 'pre-restore', preId));
            const partial = preFile + PARTIAL_EXT;
            // The store is closed: this descriptor is the only one, so closing it drops no lock.
            const storeHandle = await fsp.open(storeFile, 'r');
            let copied: { sha256: string; sizeBytes: number };
            try {
              copied = await backupInWorker({ file: storeFile, fd: storeHandle.fd }, partial, {
                onProgress: ({ fraction }) =>
                  this.progress(jobId, 'restore', 'safety-copy', 0.5 + 0.3 * fraction, 'Making a safety copy of the current data…'),
              });
            } finally {
              await storeHandle.close();
            }
            const { sha256, sizeBytes } = copied;
            await fsp.rename(partial, preFile);
            await fsyncDir(preFolder);
            preSidecar = {
              format: 'counterbook-backup/1',
              id: preId,
              createdAt: preCreatedAt,
              kind: 'pre-restore',
              keep: true,
              sizeBytes,
              sha256,
              deviceId: deviceIdBefore,
              shopName: shopNameBefore,
              appVersion: this.core.options.appVersion.slice(0, 40),
              note: (source.createdAt
                ? `Before restoring the backup of ${new Date(source.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`
                : `Before restoring ${basename(source.path)}`
              ).slice(0, 500),
            };
            await writeSidecar(preFile, preSidecar);
          } catch (error) {
            await fsp.rm(staged, { force: true }).catch(() => undefined);
            await fsp.rm(preFile + PARTIAL_EXT, { force: true }).catch(() => undefined);
            throw new ApiError('UNAVAILABLE', `Could not make the safety copy of the current data. ${describeFsError(error, preFolder)} Nothing was changed.`);
          }

          this.progress(jobId, 'restore', 'swapping', 0.8, 'Swapping in the restored store…');
          const marker: RestoreMarker = {
            preRestore: { path: preFile, sidecar: preSidecar },
            restoredPath: source.path,
            restoredSha256: verified.sha256,
            restoredCreatedAt: source.createdAt,
            actor,
            at: this.clock(),
          };
          await writeFileDurably(join(this.core.options.dataDir, RESTORE_MARKER), JSON.stringify(marker));
          await swapInto(staged, storeFile);
          swapped = true;
          this.progress(jobId, 'restore', 'restarting', 0.9, 'Starting the restored store…');
        },
        async () => {
          // The restored store would not open: put the safety copy back.
          this.core.logger.error('backup: the restored store did not open; putting the previous data back', { preFile });
          await copyAndHash(preFile, staged);
          await swapInto(staged, storeFile);
          await fsp.rm(join(this.core.options.dataDir, RESTORE_MARKER), { force: true });
          undone = true;
        },
      );
    } catch (error) {
      this.core.logger.error('backup: restore failed', { error, from: source.path });
      if (error instanceof ApiError) throw error;
      if (undone) {
        throw new ApiError('INTERNAL', `The restored store would not open, so Counterbook put your previous data back; nothing was lost. (${error instanceof Error ? error.message : String(error)})`);
      }
      if (swapped) {
        throw new ApiError('UNAVAILABLE', `The restored store would not open and the previous data could not be put back automatically. It is safe in ${preFile}; restart Counterbook and restore that file.`);
      }
      throw new ApiError('UNAVAILABLE', `The restore did not complete: ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`);
    } finally {
      this.restoring = false;
    }
    // Every screen reads again: the whole store changed.
    this.core.bus.emit('data.changed', { collections: Object.keys(allCollections) });
    this.core.logger.info('backup restored', { from: source.path, preRestore: preFile });
    this.progress(jobId, 'restore', 'done', 1, `Restored ${basename(source.path)}. The data you had before is in ${basename(preFile)}.`);
    const sidecar = preSidecar as Sidecar | null;
    return {
      restored: { path: source.path, sha256: verified.sha256, createdAt: source.createdAt },
      preRestore: {
        id: preId,
        path: preFile,
        fileName: basename(preFile),
        sizeBytes: sidecar?.sizeBytes ?? 0,
        sha256: sidecar?.sha256 ?? '',
        createdAt: preCreatedAt,
        kind: 'pre-restore',
        keep: true,
        retention: 'pinned',
        appVersion: sidecar?.appVersion ?? '',
        note: sidecar?.note ?? '',
        verifiedAt: null,
        available: true,
      },
      counts: verified.counts,
    };
  }

  /** After a restore: records the pre-restore backup in the restored store, with the restore in the audit log. */
  private async completeRestore(): Promise<void> {
    const markerFile = join(this.core.options.dataDir, RESTORE_MARKER);
    let marker: RestoreMarker;
    try {
      marker = JSON.parse(await fsp.readFile(markerFile, 'utf8')) as RestoreMarker;
    } catch {
      return;
    }
    const { path, sidecar } = marker.preRestore;
    const restoredWhen = marker.restoredCreatedAt ? ` made ${new Date(marker.restoredCreatedAt).toISOString()}` : '';
    const carried = await this.carryForward(path);
    await this.core.writes.run(
      { action: 'backup.restore', actor: marker.actor, reason: `Restored ${basename(marker.restoredPath)}${restoredWhen} (SHA-256 ${marker.restoredSha256}); the data before it is in ${basename(path)}.`.slice(0, 1000) },
      async (tx) => {
        if (await tx.get('backups', sidecar.id)) return;
        await tx.insert('backups', this.docOf(path, sidecar));
        // Numbers given out before the restore are never given again.
        const counter = carried?.counter;
        if (!counter) return;
        const current = await tx.get('invoiceCounters', this.core.deviceId);
        const next = {
          lastInvoiceSeq: Math.max(counter.lastInvoiceSeq, current?.lastInvoiceSeq ?? 0),
          lastCreditNoteSeq: Math.max(counter.lastCreditNoteSeq, current?.lastCreditNoteSeq ?? 0),
        };
        if (!current) await tx.insert('invoiceCounters', { id: this.core.deviceId, deviceId: this.core.deviceId, ...next } as never);
        else if (next.lastInvoiceSeq !== current.lastInvoiceSeq || next.lastCreditNoteSeq !== current.lastCreditNoteSeq) await tx.update('invoiceCounters', this.core.deviceId, next);
      },
    );
    await fsp.rm(markerFile, { force: true });
  }

  /**
   * Carries this device's audit entries and invoice numbering written after the restored
   * backup (read from the pre-restore copy) into the restored store. A failure here leaves
   * the restore in place and is logged: the data is back, only the carry-over is missing.
   */
  private async carryForward(preRestoreFile: string): Promise<CarriedForward | null> {
    try {
      const table = new AuditTable(this.core.store.sqlite, this.core.store.db.collections.auditLog);
      const [last] = table.scan('chain', { equal: [this.core.deviceId] }, { direction: 'desc', limit: 1 });
      const carried = readCarriedForward(preRestoreFile, this.core.deviceId, last?.doc?.seq ?? 0);
      const appended = await this.core.writes.carryForwardAudit(carried.audit);
      this.core.logger.info('restore: carried forward', { auditEntries: appended, counter: carried.counter });
      return carried;
    } catch (error) {
      this.core.logger.error('restore: could not carry audit entries and invoice numbering forward', { error, preRestoreFile });
      return null;
    }
  }

  /** Records backups of this device that exist in `folders` (with sidecars) but not in the store. */
  private async reconcile(folders: string[]): Promise<void> {
    const known = new Set((await this.records()).map((r) => r.id));
    const missing: BackupDoc[] = [];
    for (const folder of new Set(folders.map((f) => resolve(f)))) {
      for (const { path, sidecar } of await scanFolder(folder)) {
        if (known.has(sidecar.id) || sidecar.deviceId !== this.core.deviceId) continue;
        known.add(sidecar.id);
        missing.push(this.docOf(path, sidecar));
      }
    }
    if (missing.length === 0) return;
    await this.core.writes.run({ action: 'backup.reconcile', actor: SYSTEM_ACTOR, reason: 'backup files found in the backup folder' }, async (tx) => {
      for (const doc of missing) await tx.insert('backups', doc);
    });
  }

  // ---------------------------------------------------------------- helpers

  private scratchDir(): string {
    return join(this.core.options.dataDir, 'tmp', 'backup');
  }

  private async records(): Promise<BackupDoc[]> {
    const docs = await this.core.store.db.collections.backups.find({ sort: [{ createdAt: 'desc' }] }).exec();
    return docs.map((d) => d.toMutableJSON() as BackupDoc);
  }

  private async record(id: string): Promise<BackupDoc> {
    const doc = await this.core.store.db.collections.backups.findOne(id).exec();
    if (!doc) throw new ApiError('NOT_FOUND', 'There is no such backup on this device. It may have been deleted or pruned; refresh the list.');
    return doc.toMutableJSON() as BackupDoc;
  }

  private info(record: BackupDoc, retention: BackupInfo['retention'] | undefined): BackupInfo {
    return {
      id: record.id,
      path: record.path,
      fileName: basename(record.path),
      sizeBytes: record.sizeBytes,
      sha256: record.sha256,
      createdAt: record.createdAt,
      kind: record.kind,
      keep: record.keep,
      retention: retention ?? 'pinned',
      appVersion: record.appVersion ?? '',
      note: record.note ?? '',
      verifiedAt: record.verifiedAt ?? null,
      available: existsSync(record.path),
    };
  }

  private docOf(path: string, sidecar: Sidecar): BackupDoc {
    return {
      id: sidecar.id,
      createdAt: sidecar.createdAt,
      updatedAt: sidecar.createdAt,
      path,
      sizeBytes: sidecar.sizeBytes,
      sha256: sidecar.sha256,
      kind: sidecar.kind,
      keep: sidecar.keep,
      appVersion: sidecar.appVersion.slice(0, 40),
      note: sidecar.note.slice(0, 500),
    };
  }

  private async sidecarOf(doc: BackupDoc): Promise<Sidecar> {
    return {
      format: 'counterbook-backup/1',
      id: doc.id,
      createdAt: doc.createdAt,
      kind: doc.kind,
      keep: doc.keep,
      sizeBytes: doc.sizeBytes,
      sha256: doc.sha256,
      deviceId: this.core.deviceId,
      shopName: await this.shopName(),
      appVersion: doc.appVersion ?? '',
      note: doc.note ?? '',
    };
  }

  private async shopName(): Promise<string> {
    const shop = await this.core.store.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
    return shop?.shopName ?? '';
  }

  private async timeZone(): Promise<string> {
    const shop = await this.core.store.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
    return shop?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  }

  private async storeIsEmpty(): Promise<boolean> {
    const { auditLog, sales } = this.core.store.db.collections;
    return (await auditLog.count().exec()) === 0 && (await sales.count().exec()) === 0;
  }

  private async resolveRef(ref: { id?: string; path?: string }): Promise<ResolvedSource> {
    if (ref.id) {
      const record = await this.record(ref.id);
      if (!existsSync(record.path)) {
        throw new ApiError('NOT_FOUND', `The backup file ${record.path} is not there (deleted outside Counterbook, or on a drive that is not plugged in).`);
      }
      return { path: record.path, expected: { sha256: record.sha256, sizeBytes: record.sizeBytes }, createdAt: record.createdAt, record };
    }
    const path = ref.path ?? '';
    if (!isAbsolute(path)) throw new ApiError('VALIDATION', 'Give the whole path of the backup file.', [{ path: 'path', message: 'Give the whole path.' }]);
    if (!existsSync(path)) throw new ApiError('NOT_FOUND', `There is no file at ${path}.`);
    const sidecar = await readSidecar(path);
    const known = sidecar ? await this.core.store.db.collections.backups.findOne(sidecar.id).exec() : null;
    return {
      path: resolve(path),
      expected: sidecar ? { sha256: sidecar.sha256, sizeBytes: sidecar.sizeBytes } : null,
      createdAt: sidecar?.createdAt ?? null,
      record: known && resolve(known.path) === resolve(path) ? (known.toMutableJSON() as BackupDoc) : null,
    };
  }
}

interface ResolvedSource {
  path: string;
  expected: { sha256: string; sizeBytes: number } | null;
  createdAt: number | null;
  record: BackupDoc | null;
  operation?: Job;
}

function stripVerify(result: VerifyResult): VerifyReport {
  const { ok, path, sha256, sizeBytes, checks, counts, verifiedAt } = result;
  return { ok, path, sha256, sizeBytes, checks, counts, verifiedAt };
}

/**
 * Folds a WAL left by an unclean stop into the (closed) store file, so the file alone
 * is the whole store. A cleanly closed store has no WAL and nothing happens.
 */
async function checkpointClosedStore(file: string): Promise<void> {
  if (!existsSync(file + '-wal')) return;
  const conn = new Database(file, { fileMustExist: true });
  try {
    conn.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    conn.close();
  }
  await fsp.rm(file + '-wal', { force: true });
  await fsp.rm(file + '-shm', { force: true });
}

/**
 * Replaces `target` with `staged` (same folder) by one rename, which is atomic: after a
 * crash the store is either the old file or the new one. The store is closed and has
 * no WAL (checkpointed first), so no old WAL can be replayed onto the new file.
 */
async function swapInto(staged: string, target: string): Promise<void> {
  await checkpointClosedStore(target);
  await fsp.rm(target + '-shm', { force: true });
  await fsp.rename(staged, target);
  await fsyncDir(dirname(target));
}
