// `counterbook sync status|pair|now|unpair`: the same operations as the Sync screen,
// through the core's router, on one data folder. The pairing code can come from
// --code or COUNTERBOOK_PAIRING_CODE (a command line is visible to other users of the
// machine); it is never printed or logged.
import { Option, type Command } from 'commander';
import type { SyncStatus } from '@shared/api/ops/sync';
import type { Core } from '../../core/core';
import { cliCall, withCore } from '../context';

export const PAIRING_CODE_ENV = 'COUNTERBOOK_PAIRING_CODE';

const when = (ms: number | null): string => {
  if (ms === null) return 'never';
  const ago = Math.max(0, Date.now() - ms);
  const rel = ago < 60_000 ? `${Math.round(ago / 1000)} s ago` : ago < 3_600_000 ? `${Math.round(ago / 60_000)} min ago` : `${(ago / 3_600_000).toFixed(1)} h ago`;
  return `${new Date(ms).toLocaleString()} (${rel})`;
};

export function formatStatus(s: SyncStatus): string[] {
  if (s.state === 'off') {
    return [
      'Sync: off (this device is not paired with a server).',
      ...(s.queueDepth > 0 ? [`Queue: ${s.queueDepth} local change${s.queueDepth === 1 ? '' : 's'} will go up once paired.`] : []),
      'Pair it with: counterbook sync pair --code <code from `server pair-device`>',
    ];
  }
  const lines = [`Sync: ${s.state}${s.paired ? ` - ${s.paired.tenantName} on ${s.paired.server}, device code ${s.paired.deviceCode}, paired ${new Date(s.paired.pairedAt).toLocaleString()}` : ''}`];
  const refused = s.rejected ?? 0;
  lines.push(`Queue: ${s.queueDepth} change${s.queueDepth === 1 ? '' : 's'} not yet on the server${refused ? ` (${refused} refused by the server, kept here)` : ''}`);
  lines.push(`Last pull: ${when(s.lastPullAt)}`);
  lines.push(`Last push: ${when(s.lastPushAt)}`);
  if (s.lagMs !== null) lines.push(`Lag: ${s.lagMs < 1000 ? `${s.lagMs} ms` : `${Math.round(s.lagMs / 1000)} s`}`);
  lines.push(`Conflicts waiting for a person: ${s.conflicts}${s.conflicts ? ' (open Settings > Sync in the app)' : ''}`);
  if (s.progress) lines.push(`Progress: ${s.progress.phase} ${s.progress.done} of ${s.progress.total} (${s.progress.perSecond}/s)`);
  if (s.lastError) lines.push(`Last error: ${s.lastError}`);
  return lines;
}

/** Waits (up to `ms`) for a paired engine to finish connecting, so status shows what the server says. */
async function settledStatus(core: Core, ms: number): Promise<SyncStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await cliCall(core, 'sync.status', {});
    if (s.state !== 'connecting' || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Shows sync.status progress events as one line on stderr. */
function showProgress(core: Core, quiet: boolean): () => void {
  if (quiet) return () => undefined;
  const tty = process.stderr.isTTY === true;
  let last = '';
  const unsubscribe = core.bus.subscribe((name, payload) => {
    if (name !== 'sync.status') return;
    const p = (payload as SyncStatus).progress;
    if (!p) return;
    const line = `${p.phase} ${p.done} of ${p.total} (${p.perSecond}/s)`;
    if (line === last) return;
    last = line;
    process.stderr.write(tty ? `\r${line.padEnd(60)}` : `${line}\n`);
  });
  return () => {
    unsubscribe();
    if (tty && last) process.stderr.write('\n');
  };
}

export function registerSyncCommands(program: Command): void {
  const sync = program.command('sync').description("Sync this device with the business's PostgreSQL: status, pairing, sync now");

  sync
    .command('status')
    .description('Online state, queue depth, last pull and push, lag, conflicts and the last error')
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .option('--offline', 'do not contact the server: show what this device knows')
    .action(async (opts: { json?: boolean; offline?: boolean }, command: Command) => {
      const status = await withCore(command, (core) => (opts.offline ? cliCall(core, 'sync.status', {}) : settledStatus(core, 10_000)));
      if (opts.json) console.log(JSON.stringify(status));
      else for (const line of formatStatus(status)) console.log(line);
    });

  sync
    .command('pair')
    .description('Pair this device with the server, using the code an admin printed with `server pair-device`')
    .addOption(new Option('--code <code>', `pairing code, one line starting with cbpair1. (or set ${PAIRING_CODE_ENV})`).env(PAIRING_CODE_ENV))
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .action(async (opts: { code?: string; json?: boolean }, command: Command) => {
      if (!opts.code) throw new Error(`No pairing code: pass --code cbpair1.... or set ${PAIRING_CODE_ENV}.`);
      const code = opts.code;
      const status = await withCore(command, (core) => cliCall(core, 'sync.pair', { pairingCode: code }));
      if (opts.json) console.log(JSON.stringify(status));
      else {
        console.log(`Paired with ${status.paired?.tenantName} (${status.paired?.server}) as device ${status.paired?.deviceCode}.`);
        console.log('The app syncs by itself from now on; `counterbook sync now` syncs from here.');
      }
    });

  sync
    .command('now')
    .description('Sync now: pull what the server has, push what this device has, until both are caught up')
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress line')
    .action(async (opts: { json?: boolean; quiet?: boolean }, command: Command) => {
      const status = await withCore(command, async (core) => {
        const stop = showProgress(core, opts.quiet === true);
        try {
          let s = await cliCall(core, 'sync.now', {});
          // One call waits at most two minutes; a large first sync takes a few.
          for (let i = 0; i < 30 && s.state === 'online' && (s.progress || s.queueDepth - (s.rejected ?? 0) > 0); i++) s = await cliCall(core, 'sync.now', {});
          return s;
        } finally {
          stop();
        }
      });
      if (opts.json) console.log(JSON.stringify(status));
      else for (const line of formatStatus(status)) console.log(line);
      if (status.state !== 'online' && status.state !== 'off') process.exitCode = 1;
    });

  sync
    .command('unpair')
    .description('Stop syncing and forget the server credential (local data and unsent changes stay)')
    .option('--data-dir <dir>', 'data folder')
    .action(async (_opts: unknown, command: Command) => {
      await withCore(command, (core) => cliCall(core, 'sync.unpair', {}));
      console.log('Unpaired. Ask the admin to revoke this device on the server (`server revoke-device`) if it will not come back.');
    });
}
