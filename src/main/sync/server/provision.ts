// Provisioning over the admin's connection: tenants, pairing codes (with their pairing
// logins), revocation, status. Every statement is parameterised; role names are made
// here from random bytes, checked against a strict pattern, and quoted by the server
// (format('%I') in counterbook.admin_create_*_role). The device side of pairing is in
// pairing-code.ts: the device makes its own password, the server only ever sees SCRAM
// verifiers, and nothing secret is logged.
import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { z } from 'zod';
import { ApiError } from '@shared/api/errors';
import type { Logger } from '../../core/log';
import { silentLogger } from '../../core/log';
import { type AdminTarget, describeServer, inTransaction, isPgError, withClient } from './db';
import { appliedMigrations, findMigrationsDir, migrationFiles } from './migrate';
import {
  DEFAULT_PAIRING_TTL_MINUTES,
  MAX_PAIRING_TTL_MINUTES,
  PAIRING_ROLE_PATTERN,
  describeAddress,
  encodePairingCode,
  generatePairingRoleName,
  generatePairingSecret,
  hashPairingSecret,
  redeemPairing,
  serverAddressFromUrl,
  type ServerAddress,
} from './pairing-code';
import { scramSha256Verifier } from './scram';

export interface ProvisionOptions {
  log?: Logger;
}

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

export interface PairingCode {
  /** Shown once: one line `cbpair1.<...>` with the server address and the one-time secret. Only a hash of the secret is stored. */
  code: string;
  tenantId: string;
  deviceName: string;
  expiresAt: string;
  /** host:port/database the code points devices at. */
  server: string;
}

/** What a device needs to sync. `password` is secret: store it like one. */
export interface DeviceCredential {
  deviceId: string;
  tenantId: string;
  tenantName: string;
  deviceName: string;
  /** Short code for the device's invoice series (D01, D02, ...). */
  deviceCode: string;
  roleName: string;
  password: string;
  /** LISTEN channel for live updates. */
  channel: string;
  /** Where the device connects (from the pairing code). */
  server: ServerAddress;
}

export interface PairingCodeOptions extends ProvisionOptions {
  /**
   * Where devices reach the server, when not at the admin URL's host, port and database
   * (e.g. the admin connects over a private network): postgres://host:port/database?sslmode=...
   */
  deviceUrl?: string;
}

export interface RevokeResult {
  deviceId: string;
  tenantId: string;
  roleName: string;
  /** False when the device had been revoked before. */
  changed: boolean;
  /** Open sessions of the device that were ended (0 where the admin may not end them). */
  sessionsEnded: number;
}

export interface DeviceStatus {
  tenantId: string;
  id: string;
  name: string;
  code: string;
  status: 'active' | 'revoked';
  pairedAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

export interface ServerStatus {
  server: string;
  version: string;
  migrated: boolean;
  migrations: { applied: string[]; pending: string[] | null };
  tenants: (Tenant & { activeDevices: number; documents: number })[];
  devices: DeviceStatus[];
}

export const uuid = z.uuid({ message: 'must be a UUID' });
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const ttlMinutes = z.number().int('must be whole minutes').min(1, 'must be at least 1 minute').max(MAX_PAIRING_TTL_MINUTES, `must be at most ${MAX_PAIRING_TTL_MINUTES} minutes (7 days)`);

export function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError('VALIDATION', `Invalid ${what}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

/** Turns "schema missing" and "no right" errors into sentences; rethrows the rest. */
function explain(error: unknown): never {
  if (isPgError(error, '3F000') || isPgError(error, '42P01') || isPgError(error, '42883')) {
    throw new ApiError('UNAVAILABLE', 'The Counterbook schema is missing or out of date on this server: run `server migrate` first.');
  }
  if (isPgError(error, '42501')) {
    throw new ApiError('FORBIDDEN', `The server refused: ${(error as Error).message}. Use the database owner or an admin role with CREATEROLE.`);
  }
  throw error;
}

export async function admin<T>(target: AdminTarget, work: (client: ClientBase) => Promise<T>): Promise<T> {
  return withClient(target, async (client) => {
    try {
      return await work(client);
    } catch (error) {
      explain(error);
    }
  });
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export async function createTenant(target: AdminTarget, tenantName: string, options: ProvisionOptions = {}): Promise<Tenant> {
  const n = parse(name, tenantName, 'tenant name');
  const id = randomUUID();
  const row = await admin(target, async (client) => {
    const r = await client.query<{ created_at: Date }>('INSERT INTO counterbook.tenants (id, name) VALUES ($1, $2) RETURNING created_at', [id, n]);
    return r.rows[0]!;
  });
  (options.log ?? silentLogger).info('tenant created', { tenantId: id });
  return { id, name: n, createdAt: iso(row.created_at)! };
}

export async function requireTenant(client: ClientBase, tenantId: string, lock = false): Promise<void> {
  const r = await client.query(`SELECT 1 FROM counterbook.tenants WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [tenantId]);
  if (r.rowCount === 0) throw new ApiError('NOT_FOUND', `No tenant ${tenantId} on this server (see \`server status\`).`);
}

/** The address devices use: from deviceUrl, else from the admin URL or client. */
function deviceAddress(target: AdminTarget, deviceUrl: string | undefined): ServerAddress {
  if (deviceUrl) return serverAddressFromUrl(deviceUrl);
  if (typeof target === 'string') return serverAddressFromUrl(target);
  const c = target as unknown as { host?: string; port?: number; database?: string; ssl?: unknown };
  const host = c.host ?? 'localhost';
  const address = serverAddressFromUrl(`postgres://${host.includes(':') ? `[${host}]` : host}:${c.port ?? 5432}/${encodeURIComponent(c.database ?? 'postgres')}`);
  return c.ssl ? { ...address, sslmode: 'require' } : address;
}

/**
 * Creates a one-time pairing code for a new device of the tenant: its own pairing
 * login (LOGIN role, member of counterbook_pairing, valid until a day after the code
 * expires) and its row, in one transaction; drops pairing logins that are of no use
 * any more. Returns the code once.
 */
export async function createPairingCode(
  target: AdminTarget,
  tenantId: string,
  deviceName: string,
  ttl: number = DEFAULT_PAIRING_TTL_MINUTES,
  options: PairingCodeOptions = {},
): Promise<PairingCode> {
  const t = parse(uuid, tenantId, 'tenant id');
  const n = parse(name, deviceName, 'device name');
  const minutes = parse(ttlMinutes, ttl, 'expiry (minutes)');
  const server = deviceAddress(target, options.deviceUrl);
  const result = await admin(target, (client) =>
    inTransaction(client, async () => {
      await requireTenant(client, t);
      await client.query('SELECT counterbook.admin_drop_pairing_roles()');
      const secret = generatePairingSecret();
      const roleName = generatePairingRoleName();
      if (!PAIRING_ROLE_PATTERN.test(roleName)) throw new Error('internal: bad pairing role name');
      const r = await client.query<{ expires_at: Date }>(
        `INSERT INTO counterbook.pairing_codes (tenant_id, code_hash, role_name, device_name, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING expires_at`,
        [t, hashPairingSecret(secret), roleName, n, minutes],
      );
      const expiresAt = r.rows[0]!.expires_at;
      await client.query("SELECT counterbook.admin_create_pairing_role($1, $2, $3::timestamptz + interval '1 day')", [roleName, scramSha256Verifier(secret), expiresAt]);
      const code = encodePairingCode({ server, roleName, secret, expiresAt: new Date(expiresAt).getTime() });
      return { code, tenantId: t, deviceName: n, expiresAt: iso(expiresAt)!, server: describeAddress(server) } satisfies PairingCode;
    }),
  );
  (options.log ?? silentLogger).info('pairing code created', { tenantId: t, expiresAt: result.expiresAt });
  return result;
}

/**
 * Redeems a pairing code the way a device does (pairing-code.ts `redeemPairing`): the
 * code carries the server address, so `target` is not used; it stays for callers that
 * pair test devices next to an admin connection.
 */
export async function redeemPairingCode(
  _target: AdminTarget | null,
  code: string,
  options: ProvisionOptions & { localDeviceId?: string; proposedCode?: string | null } = {},
): Promise<DeviceCredential> {
  return redeemPairing(code, { localDeviceId: options.localDeviceId ?? randomUUID(), proposedCode: options.proposedCode ?? null, log: options.log });
}

/** Marks the device revoked, sets its role NOLOGIN and ends its open sessions where allowed. */
export async function revokeDevice(target: AdminTarget, deviceId: string, options: ProvisionOptions = {}): Promise<RevokeResult> {
  const id = parse(uuid, deviceId, 'device id');
  const result = await admin(target, (client) =>
    inTransaction(client, async () => {
      const found = await client.query<{ tenant_id: string; role_name: string; status: string }>(
        'SELECT tenant_id, role_name, status FROM counterbook.devices WHERE id = $1 FOR UPDATE',
        [id],
      );
      const device = found.rows[0];
      if (!device) throw new ApiError('NOT_FOUND', `No device ${id} on this server (see \`server status\`).`);
      const changed = device.status !== 'revoked';
      if (changed) {
        await client.query("UPDATE counterbook.devices SET status = 'revoked', revoked_at = now() WHERE tenant_id = $1 AND id = $2", [device.tenant_id, id]);
      }
      const ended = await client.query<{ n: number }>('SELECT counterbook.admin_disable_device_role($1) AS n', [device.role_name]);
      return { deviceId: id, tenantId: device.tenant_id, roleName: device.role_name, changed, sessionsEnded: ended.rows[0]?.n ?? 0 };
    }),
  );
  (options.log ?? silentLogger).info('device revoked', { tenantId: result.tenantId, deviceId: id, sessionsEnded: result.sessionsEnded });
  return result;
}

export async function serverStatus(target: AdminTarget): Promise<ServerStatus> {
  return withClient(target, async (client) => {
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    const server = typeof target === 'string' ? describeServer(target) : (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
    const applied = await appliedMigrations(client);
    let pending: string[] | null;
    try {
      pending = migrationFiles(findMigrationsDir()).filter((m) => !applied.includes(m));
    } catch {
      pending = null;
    }
    if (applied.length === 0) return { server, version, migrated: false, migrations: { applied, pending }, tenants: [], devices: [] };
    try {
      const tenants = await client.query<{ id: string; name: string; created_at: Date; active_devices: number; documents: number }>(
        `SELECT t.id, t.name, t.created_at,
                (SELECT count(*)::int FROM counterbook.devices d WHERE d.tenant_id = t.id AND d.status = 'active') AS active_devices,
                (SELECT count(*)::int FROM counterbook.documents x WHERE x.tenant_id = t.id) AS documents
         FROM counterbook.tenants t ORDER BY t.created_at, t.id`,
      );
      const devices = await client.query<{ tenant_id: string; id: string; name: string; code: string; status: 'active' | 'revoked'; paired_at: Date; revoked_at: Date | null; last_seen_at: Date | null }>(
        'SELECT tenant_id, id, name, code, status, paired_at, revoked_at, last_seen_at FROM counterbook.devices ORDER BY tenant_id, code',
      );
      return {
        server,
        version,
        migrated: true,
        migrations: { applied, pending },
        tenants: tenants.rows.map((t) => ({ id: t.id, name: t.name, createdAt: iso(t.created_at)!, activeDevices: t.active_devices, documents: t.documents })),
        devices: devices.rows.map((d) => ({
          tenantId: d.tenant_id,
          id: d.id,
          name: d.name,
          code: d.code,
          status: d.status,
          pairedAt: iso(d.paired_at)!,
          revokedAt: iso(d.revoked_at),
          lastSeenAt: iso(d.last_seen_at),
        })),
      };
    } catch (error) {
      explain(error);
    }
  });
}

/**
 * The device's own connection string: the admin URL's host, port, database and
 * options with the device's role and password. Secret: never log it.
 */
export function deviceConnectionString(adminUrl: string, credential: Pick<DeviceCredential, 'roleName' | 'password'>): string {
  const u = new URL(adminUrl);
  u.username = encodeURIComponent(credential.roleName);
  u.password = encodeURIComponent(credential.password);
  return u.toString();
}
