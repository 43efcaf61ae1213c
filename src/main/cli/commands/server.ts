// `counterbook server ...`: provisioning of the business's PostgreSQL over an admin
// connection (the database owner, or a role with CREATEROLE on a hosted service).
// The URL comes from --url or COUNTERBOOK_SERVER_URL; prefer the variable, since a
// command line is visible to other users of the machine. It is never printed or logged.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ApiError } from '@shared/api/errors';
import { commandDataDir } from '../context';
import { createFileLogger, redactText, type Logger } from '../../core/log';
import { dataPaths } from '../../core/paths';
import { describeServer } from '../../sync/server/db';
import { migrateServer } from '../../sync/server/migrate';
import { DEFAULT_PAIRING_TTL_MINUTES } from '../../sync/server/pairing-code';
import { createPairingCode, createTenant, revokeDevice, serverStatus } from '../../sync/server/provision';
import { describeServerBreak, verifyServerAuditChains } from '../../sync/server/audit-verify';

export const SERVER_URL_ENV = 'COUNTERBOOK_SERVER_URL';
/** `server audit-verify` exits with this when a chain is broken. */
export const SERVER_AUDIT_BROKEN_EXIT_CODE = 1;

interface UrlOpts {
  url?: string;
  json?: boolean;
}

const urlOption = (): Option =>
  new Option('--url <url>', `admin connection string, postgres://user:password@host:5432/database (or set ${SERVER_URL_ENV})`).env(SERVER_URL_ENV);

function requireUrl(opts: UrlOpts): string {
  if (!opts.url) throw new Error(`No server given: pass --url postgres://... or set ${SERVER_URL_ENV}.`);
  return opts.url;
}

function cliLogger(command: Command): Logger {
  return createFileLogger({ dir: dataPaths(commandDataDir(command)).logs, name: 'cli' }).child({ command: `server ${command.name()}` });
}

/** Runs a server command: ApiErrors keep their sentence, anything else loses secrets first. */
async function run(command: Command, work: (log: Logger) => Promise<void>): Promise<void> {
  const log = cliLogger(command);
  try {
    await work(log);
  } catch (error) {
    log.error('server command failed', { error });
    if (error instanceof ApiError) throw error;
    throw new Error(redactText(error instanceof Error ? error.message : String(error)));
  }
}

function parseMinutes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of minutes, at least 1.');
  return n;
}

const local = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '-');

export function registerServerCommands(program: Command): void {
  const server = program
    .command('server')
    .description(`Provision the business's PostgreSQL: migrations, tenants, device pairing (admin URL from --url or ${SERVER_URL_ENV})`);

  server
    .command('migrate')
    .description('Create or upgrade the Counterbook schema (all pending migrations in one transaction)')
    .addOption(urlOption())
    .option('--json', 'print JSON')
    .action(async (opts: UrlOpts, command: Command) => {
      await run(command, async (log) => {
        const url = requireUrl(opts);
        const result = await migrateServer({ url, log });
        if (opts.json) console.log(JSON.stringify(result));
        else if (result.applied.length === 0) console.log(`${describeServer(url)}: the schema is up to date (${result.current.length} migrations).`);
        else {
          console.log(`${describeServer(url)}: applied ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'}:`);
          for (const m of result.applied) console.log(`  ${m}`);
        }
      });
    });

  server
    .command('create-tenant')
    .description('Create a tenant (one business) and print its id')
    .addOption(urlOption())
    .requiredOption('--name <name>', 'business name, e.g. "Corner shop"')
    .option('--json', 'print JSON')
    .action(async (opts: UrlOpts & { name: string }, command: Command) => {
      await run(command, async (log) => {
        const tenant = await createTenant(requireUrl(opts), opts.name, { log });
        if (opts.json) console.log(JSON.stringify(tenant));
        else {
          console.log(`Tenant created: ${tenant.id}  ${tenant.name}`);
          console.log(`Pair a device with: counterbook server pair-device --tenant ${tenant.id} --name "Counter 1"`);
        }
      });
    });

  server
    .command('pair-device')
    .description('Create a one-time pairing code for a new device of a tenant')
    .addOption(urlOption())
    .requiredOption('--tenant <id>', 'tenant id (see `server status`)')
    .requiredOption('--name <name>', 'device name, e.g. "Counter 1"')
    .option('--ttl-minutes <n>', `minutes until the code expires (default ${DEFAULT_PAIRING_TTL_MINUTES})`, parseMinutes)
    .option('--device-url <url>', "where devices reach the server when not at the admin URL's host: postgres://host:5432/database?sslmode=require (no user or password)")
    .option('--json', 'print JSON')
    .action(async (opts: UrlOpts & { tenant: string; name: string; ttlMinutes?: number; deviceUrl?: string }, command: Command) => {
      await run(command, async (log) => {
        const pairing = await createPairingCode(requireUrl(opts), opts.tenant, opts.name, opts.ttlMinutes ?? DEFAULT_PAIRING_TTL_MINUTES, { log, deviceUrl: opts.deviceUrl });
        if (opts.json) console.log(JSON.stringify(pairing));
        else {
          console.log(`Pairing code for "${pairing.deviceName}" (server ${pairing.server}):`);
          console.log(pairing.code);
          console.log(`Valid once, until ${local(pairing.expiresAt)} (${pairing.expiresAt}). It lets one device join: send it like a password.`);
          console.log('Paste it on the device in the Sync area, or run: counterbook sync pair --code <code>');
        }
      });
    });

  server
    .command('revoke-device')
    .description('Revoke a device: its role can no longer log in and the sync functions refuse it')
    .addOption(urlOption())
    .requiredOption('--device <id>', 'device id (see `server status`)')
    .option('--json', 'print JSON')
    .action(async (opts: UrlOpts & { device: string }, command: Command) => {
      await run(command, async (log) => {
        const result = await revokeDevice(requireUrl(opts), opts.device, { log });
        if (opts.json) console.log(JSON.stringify(result));
        else {
          console.log(result.changed ? `Device ${result.deviceId} revoked.` : `Device ${result.deviceId} was already revoked; its login stays disabled.`);
          if (result.sessionsEnded > 0) console.log(`Ended ${result.sessionsEnded} open session${result.sessionsEnded === 1 ? '' : 's'}.`);
        }
      });
    });

  server
    .command('audit-verify')
    .description("Verify every device's audit hash chain of a tenant on the server; exits non-zero and names the device and first broken entry")
    .addOption(urlOption())
    .requiredOption('--tenant <id>', 'tenant id (see `server status`)')
    .option('--json', 'print JSON')
    .action(async (opts: UrlOpts & { tenant: string }, command: Command) => {
      await run(command, async (log) => {
        const result = await verifyServerAuditChains(requireUrl(opts), opts.tenant);
        log.info('server audit chains verified', { tenantId: result.tenantId, ok: result.ok, entries: result.entries, durationMs: result.durationMs });
        if (opts.json) console.log(JSON.stringify(result));
        else if (result.devices.length === 0) console.log(`Tenant ${result.tenantId}: the audit log is empty: nothing to verify.`);
        else {
          for (const d of result.devices) console.log(`${d.ok ? 'ok    ' : 'BROKEN'}  ${describeServerBreak(d)}`);
          if (result.ok) console.log(`The audit log of tenant ${result.tenantId} is intact: ${result.entries} entries on ${result.devices.length} device${result.devices.length === 1 ? '' : 's'}.`);
          else {
            const broken = result.devices.filter((d) => !d.ok).length;
            console.log(`The audit log of tenant ${result.tenantId} was tampered with: ${broken} device chain${broken === 1 ? '' : 's'} broken (first broken entries above).`);
          }
        }
        if (!result.ok) process.exitCode = SERVER_AUDIT_BROKEN_EXIT_CODE;
      });
    });

  server
    .command('status')
    .description('Show migrations, tenants and devices (with when each was last seen)')
    .addOption(urlOption())
    .option('--json', 'print JSON')
    .action(async (opts: UrlOpts, command: Command) => {
      await run(command, async () => {
        const status = await serverStatus(requireUrl(opts));
        if (opts.json) {
          console.log(JSON.stringify(status));
          return;
        }
        console.log(`server: ${status.server} (PostgreSQL ${status.version})`);
        if (!status.migrated) {
          console.log('schema: not migrated yet (run `counterbook server migrate`)');
          return;
        }
        const pending = status.migrations.pending;
        console.log(`schema: ${status.migrations.applied.length} migrations applied${pending === null ? '' : pending.length ? `, ${pending.length} pending (run \`server migrate\`)` : ', up to date'}`);
        console.log(`tenants: ${status.tenants.length}`);
        for (const t of status.tenants) {
          console.log(`  ${t.id}  ${t.name}  (${t.activeDevices} active device${t.activeDevices === 1 ? '' : 's'}, ${t.documents} documents)`);
          for (const d of status.devices.filter((x) => x.tenantId === t.id)) {
            const state = d.status === 'revoked' ? `revoked ${local(d.revokedAt)}` : `last seen ${local(d.lastSeenAt)}`;
            console.log(`    ${d.code.padEnd(4)} ${d.id}  ${d.name}  (${state})`);
          }
        }
      });
    });
}
