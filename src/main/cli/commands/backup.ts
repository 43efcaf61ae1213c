// `counterbook backup create|list|verify|restore|delete|settings`: the same backup
// operations as the Backups screen, through the core's router, with a progress line
// on stderr. Exit code 1 when a verify finds a problem or an operation fails.
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { BackupInfo, BackupProgress, VerifyReport } from '@shared/api/ops/backup';
import type { Core } from '../../core/core';
import { cliCall, withCore } from '../context';

export const BACKUP_FAILED_EXIT_CODE = 1;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A backup id, or a path to a backup file (anything with a slash or a file extension). */
function refOf(arg: string): { id: string } | { path: string } {
  if (arg.includes('/') || arg.includes('\\') || arg.endsWith('.sqlite') || isAbsolute(arg)) return { path: resolve(arg) };
  return { id: arg };
}

/** Shows `backup.progress` events as one line on stderr (redrawn on a terminal). */
function showProgress(core: Core, quiet: boolean): () => void {
  if (quiet) return () => undefined;
  const tty = process.stderr.isTTY === true;
  let lastPhase = '';
  let drawn = false;
  const unsubscribe = core.bus.subscribe((name, payload) => {
    if (name !== 'backup.progress') return;
    const p = payload as BackupProgress;
    const percent = Math.round(p.fraction * 100);
    if (tty) {
      const width = 24;
      const filled = Math.round(p.fraction * width);
      const line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(percent).padStart(3)}% ${p.message}`;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 100) - 1).padEnd((process.stderr.columns ?? 100) - 1)}`);
      drawn = true;
      if (p.phase === 'done' || p.phase === 'failed') {
        process.stderr.write('\n');
        drawn = false;
      }
    } else if (p.phase !== lastPhase) {
      process.stderr.write(`${String(percent).padStart(3)}% ${p.message}\n`);
    }
    lastPhase = p.phase;
  });
  return () => {
    unsubscribe();
    if (drawn) process.stderr.write('\n');
  };
}

function printBackup(b: BackupInfo): void {
  const flags = [b.kind, b.retention === 'expired' ? 'expires' : b.retention === 'pinned' ? 'kept until deleted' : `kept as ${b.retention}`];
  if (!b.available) flags.push('FILE MISSING');
  console.log(`${new Date(b.createdAt).toISOString()}  ${formatBytes(b.sizeBytes).padStart(8)}  ${b.id}  ${flags.join(', ')}`);
  console.log(`    ${b.path}`);
  console.log(`    sha256 ${b.sha256}${b.note ? `  note: ${b.note}` : ''}${b.verifiedAt ? `  verified ${new Date(b.verifiedAt).toISOString()}` : ''}`);
}

function printReport(report: VerifyReport): void {
  for (const check of report.checks) console.log(`${check.ok ? 'ok    ' : 'FAILED'}  ${check.name.padEnd(9)} ${check.message}`);
  console.log(report.ok ? `The backup ${report.path} is intact.` : `The backup ${report.path} is NOT usable.`);
}

export function registerBackupCommands(program: Command): void {
  const backup = program.command('backup').description('Back up the local store, list, verify and restore backups');

  backup
    .command('create')
    .description('Back up the store now (the app may keep running elsewhere only if it is not using this data folder)')
    .option('--data-dir <dir>', 'data folder')
    .option('--to <folder>', 'write this backup to another folder (e.g. a USB drive); the setting is not changed')
    .option('--note <text>', 'a note kept with the backup')
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress line')
    .action(async (opts: { to?: string; note?: string; json?: boolean; quiet?: boolean }, command: Command) => {
      const info = await withCore(command, async (core) => {
        const stop = showProgress(core, opts.quiet === true);
        try {
          return await cliCall(core, 'backup.create', { ...(opts.to ? { folder: resolve(opts.to) } : {}), ...(opts.note ? { note: opts.note } : {}) });
        } finally {
          stop();
        }
      });
      if (opts.json) console.log(JSON.stringify(info));
      else printBackup(info);
    });

  backup
    .command('list')
    .description("List this device's backups (newest first), or the backup files in a folder")
    .option('--data-dir <dir>', 'data folder')
    .option('--from <folder>', 'list the backup files in this folder (e.g. a USB drive from another machine)')
    .option('--json', 'print JSON')
    .action(async (opts: { from?: string; json?: boolean }, command: Command) => {
      const list = await withCore(command, (core) => cliCall(core, 'backup.list', opts.from ? { folder: resolve(opts.from) } : {}));
      if (opts.json) {
        console.log(JSON.stringify(list));
        return;
      }
      console.log(`Backup folder: ${list.settings.folder}${list.settings.isDefaultFolder ? ' (default)' : ''}`);
      console.log(
        `Automatic: ${list.settings.automatic ? `every ${list.settings.intervalMinutes} min while data changes, and on quit` : 'off'}; ` +
          `keeping ${list.settings.retention.hourly} hourly, ${list.settings.retention.daily} daily, ${list.settings.retention.weekly} weekly`,
      );
      if (list.backups.length === 0) console.log('No backups yet.');
      for (const b of list.backups) printBackup(b);
    });

  backup
    .command('verify')
    .description('Check a backup (id or file path): SHA-256, PRAGMA integrity_check, opens as a store')
    .argument('<backup>', 'backup id, or path to a backup file')
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress line')
    .action(async (arg: string, opts: { json?: boolean; quiet?: boolean }, command: Command) => {
      const report = await withCore(command, async (core) => {
        const stop = showProgress(core, opts.quiet === true);
        try {
          return await cliCall(core, 'backup.verify', refOf(arg));
        } finally {
          stop();
        }
      });
      if (opts.json) console.log(JSON.stringify(report));
      else printReport(report);
      if (!report.ok) process.exitCode = BACKUP_FAILED_EXIT_CODE;
    });

  backup
    .command('restore')
    .description('Restore a backup (id or file path): verifies it, backs up the current store first (pre-restore), swaps the store file atomically')
    .argument('<backup>', 'backup id, or path to a backup file')
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress line')
    .action(async (arg: string, opts: { json?: boolean; quiet?: boolean }, command: Command) => {
      const result = await withCore(command, async (core) => {
        const stop = showProgress(core, opts.quiet === true);
        try {
          return await cliCall(core, 'backup.restore', refOf(arg));
        } finally {
          stop();
        }
      });
      if (opts.json) console.log(JSON.stringify(result));
      else {
        console.log(`Restored ${result.restored.path}${result.restored.createdAt ? ` (made ${new Date(result.restored.createdAt).toISOString()})` : ''}.`);
        console.log(`The data from before the restore is kept in ${result.preRestore.path}.`);
      }
    });

  backup
    .command('delete')
    .description('Delete a backup file and its record')
    .argument('<id>', 'backup id')
    .option('--data-dir <dir>', 'data folder')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withCore(command, (core) => cliCall(core, 'backup.delete', { id }));
      console.log(`Deleted backup ${id}.`);
    });

  backup
    .command('settings')
    .description('Show or change the backup folder, automatic backups and retention')
    .option('--data-dir <dir>', 'data folder')
    .option('--folder <folder>', "backup folder (must exist and be writable); '' for the default")
    .option('--automatic <on|off>', 'automatic backups')
    .option('--interval <minutes>', 'minutes between automatic backups while data changes')
    .option('--keep-hourly <n>', 'hourly backups to keep')
    .option('--keep-daily <n>', 'daily backups to keep')
    .option('--keep-weekly <n>', 'weekly backups to keep')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { folder?: string; automatic?: string; interval?: string; keepHourly?: string; keepDaily?: string; keepWeekly?: string; json?: boolean },
        command: Command,
      ) => {
        const int = (value: string | undefined, name: string): number | undefined => {
          if (value === undefined) return undefined;
          const n = Number(value);
          if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${value}".`);
          return n;
        };
        if (opts.automatic !== undefined && !['on', 'off'].includes(opts.automatic)) throw new Error('--automatic must be "on" or "off".');
        const retention = {
          ...(opts.keepHourly !== undefined ? { hourly: int(opts.keepHourly, '--keep-hourly') } : {}),
          ...(opts.keepDaily !== undefined ? { daily: int(opts.keepDaily, '--keep-daily') } : {}),
          ...(opts.keepWeekly !== undefined ? { weekly: int(opts.keepWeekly, '--keep-weekly') } : {}),
        };
        const settings = await withCore(command, (core) =>
          cliCall(core, 'backup.settings', {
            ...(opts.folder !== undefined ? { folder: opts.folder === '' ? '' : resolve(opts.folder) } : {}),
            ...(opts.automatic !== undefined ? { automatic: opts.automatic === 'on' } : {}),
            ...(opts.interval !== undefined ? { intervalMinutes: int(opts.interval, '--interval') } : {}),
            ...(Object.keys(retention).length ? { retention } : {}),
          }),
        );
        if (opts.json) console.log(JSON.stringify(settings));
        else {
          console.log(`Backup folder: ${settings.folder}${settings.isDefaultFolder ? ' (default)' : ''}`);
          console.log(`Automatic: ${settings.automatic ? `every ${settings.intervalMinutes} min while data changes, and on quit` : 'off'}`);
          console.log(`Keeping ${settings.retention.hourly} hourly, ${settings.retention.daily} daily, ${settings.retention.weekly} weekly; manual and pre-restore backups until deleted.`);
        }
      },
    );
}
