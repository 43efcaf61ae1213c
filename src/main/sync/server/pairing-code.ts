// Pairing codes and their redemption by a device (see README.md "Pairing").
//
// A pairing code is one pasteable line, `cbpair1.<base64url of JSON>`, that carries
// the server's address (host, port, database, sslmode), the code's own short-lived
// pairing login (a role whose password is the code's secret; the server keeps only a
// SHA-256 of the secret and a SCRAM verifier) and when it expires. The device logs in
// with it and calls counterbook.redeem_pairing with the SCRAM verifier of a password
// it made itself: the device password never leaves the device. Whoever holds a code
// can pair one device until it expires: show it once, send it like a password.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { ApiError } from '@shared/api/errors';
import type { Logger } from '../../core/log';
import { silentLogger } from '../../core/log';
import { connectionError } from './db';
import { scramSha256Verifier } from './scram';
import { tenantChannel } from './protocol';
import type { DeviceCredential } from './provision';

export const PAIRING_PREFIX = 'cbpair1.';
export const DEFAULT_PAIRING_TTL_MINUTES = 15;
export const MAX_PAIRING_TTL_MINUTES = 7 * 24 * 60;
export const PAIRING_ROLE_PATTERN = /^cb_pairing_[0-9a-f]{24}$/;

export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Where devices reach the server (no user, no password). */
export interface ServerAddress {
  host: string;
  port: number;
  database: string;
  sslmode: SslMode;
}

export interface PairingCodeContent {
  server: ServerAddress;
  /** The code's pairing login (cb_pairing_<24 hex>). */
  roleName: string;
  /** The login's password; the one-time secret of the code. */
  secret: string;
  /** Epoch ms. */
  expiresAt: number;
}

const wire = z.object({
  v: z.literal(1),
  h: z.string().min(1).max(255),
  p: z.number().int().min(1).max(65535),
  d: z.string().min(1).max(63),
  s: z.enum(SSL_MODES),
  u: z.string().regex(PAIRING_ROLE_PATTERN),
  k: z.string().regex(/^[A-Za-z0-9_-]{32,64}$/),
  x: z.number().int().nonnegative(),
});

export function encodePairingCode(c: PairingCodeContent): string {
  const body = { v: 1, h: c.server.host, p: c.server.port, d: c.server.database, s: c.server.sslmode, u: c.roleName, k: c.secret, x: Math.floor(c.expiresAt / 1000) };
  return PAIRING_PREFIX + Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const NOT_A_CODE = 'That is not a Counterbook pairing code. Paste the whole code `server pair-device` printed: one line starting with cbpair1.';

/** Reads a pasted pairing code (spaces and line breaks inside are ignored); throws VALIDATION. */
export function decodePairingCode(text: string): PairingCodeContent {
  const compact = text.replace(/\s+/g, '');
  if (!compact.startsWith(PAIRING_PREFIX)) {
    if (/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/i.test(compact)) {
      throw new ApiError('VALIDATION', 'This looks like an old short pairing code. Ask your admin for a new one: `server pair-device` prints one line starting with cbpair1.');
    }
    throw new ApiError('VALIDATION', NOT_A_CODE);
  }
  let parsed: z.infer<typeof wire>;
  try {
    parsed = wire.parse(JSON.parse(Buffer.from(compact.slice(PAIRING_PREFIX.length), 'base64url').toString('utf8')));
  } catch {
    throw new ApiError('VALIDATION', 'This pairing code is damaged or incomplete: copy all of it again.');
  }
  return {
    server: { host: parsed.h, port: parsed.p, database: parsed.d, sslmode: parsed.s },
    roleName: parsed.u,
    secret: parsed.k,
    expiresAt: parsed.x * 1000,
  };
}

export function generatePairingSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function generatePairingRoleName(): string {
  return `cb_pairing_${randomBytes(12).toString('hex')}`;
}

export function hashPairingSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;

/** host:port/database: safe to show. */
export function describeAddress(a: Pick<ServerAddress, 'host' | 'port' | 'database'>): string {
  return `${a.host}:${a.port}/${a.database}`;
}

/**
 * The address devices use, from a connection string (its user and password are
 * ignored). sslmode comes from the URL (`sslmode=...`, or `ssl=true` = require);
 * without one: disable on this machine (localhost), require anywhere else.
 */
export function serverAddressFromUrl(url: string): ServerAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ApiError('VALIDATION', 'The server address must look like postgres://host:5432/database');
  }
  if (!/^postgres(ql)?:$/i.test(u.protocol)) throw new ApiError('VALIDATION', 'The server address must look like postgres://host:5432/database');
  const host = decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
  const given = u.searchParams.get('sslmode');
  const ssl = u.searchParams.get('ssl');
  let sslmode: SslMode;
  if (given) {
    if (!(SSL_MODES as readonly string[]).includes(given)) throw new ApiError('VALIDATION', `Unknown sslmode "${given}": use one of ${SSL_MODES.join(', ')}.`);
    sslmode = given as SslMode;
  } else if (ssl === 'true' || ssl === '1') sslmode = 'require';
  else sslmode = LOOPBACK.test(host) ? 'disable' : 'require';
  return { host, port: u.port ? Number(u.port) : 5432, database, sslmode };
}

/** node-postgres' `ssl` option for an sslmode. (prefer cannot fall back in node-postgres: it means require.) */
export function pgSslOption(mode: SslMode): false | { rejectUnauthorized: boolean; checkServerIdentity?: () => undefined } {
  switch (mode) {
    case 'disable':
      return false;
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

export interface RedeemOptions {
  /** The id the device made for itself (its store's deviceId). */
  localDeviceId: string;
  /** The invoice-series code the device uses now; kept when it is free in the tenant. */
  proposedCode?: string | null;
  log?: Logger;
  connectTimeoutMs?: number;
}

/** SQLSTATEs of counterbook.redeem_pairing. */
export const PAIRING_ERRORS = { unknown: 'CBP01', used: 'CBP02', expired: 'CBP03' } as const;

const CODE_INVALID =
  'This pairing code is not valid: it may be incomplete, or it expired more than a day ago. Create a new one with `server pair-device`.';
const CODE_USED = 'This pairing code was already used. Create a new one with `server pair-device`.';

/**
 * The device's side of pairing: logs in with the code's pairing login, has the server
 * create this device's role for a password made here, and returns the credential
 * (with the password: store it like one).
 */
export async function redeemPairing(code: string, options: RedeemOptions): Promise<DeviceCredential> {
  const content = decodePairingCode(code);
  const password = randomBytes(32).toString('base64url');
  const where = `postgres://${content.server.host}:${content.server.port}/${encodeURIComponent(content.server.database)}`;
  const client = new pg.Client({
    host: content.server.host,
    port: content.server.port,
    database: content.server.database,
    user: content.roleName,
    password: content.secret,
    ssl: pgSslOption(content.server.sslmode),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'counterbook-pairing',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const e = error as { code?: string; message?: string };
    if (e.code === '28P01') throw new ApiError('NOT_FOUND', CODE_INVALID);
    if (e.code === '28000' && /not permitted to log in/i.test(e.message ?? '')) throw new ApiError('CONFLICT', CODE_USED);
    throw connectionError(error, where);
  }
  try {
    const r = await client.query<{ device_id: string; tenant_id: string; tenant_name: string; device_code: string; device_name: string; role_name: string; channel: string }>(
      'SELECT * FROM counterbook.redeem_pairing($1, $2, $3)',
      [options.localDeviceId, options.proposedCode ?? null, scramSha256Verifier(password)],
    );
    const row = r.rows[0];
    if (!row) throw new Error('redeem_pairing returned nothing');
    const credential: DeviceCredential = {
      deviceId: row.device_id,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      deviceName: row.device_name,
      deviceCode: row.device_code,
      roleName: row.role_name,
      password,
      channel: row.channel || tenantChannel(row.tenant_id),
      server: content.server,
    };
    (options.log ?? silentLogger).info('device paired', { tenantId: credential.tenantId, deviceId: credential.deviceId, deviceCode: credential.deviceCode });
    return credential;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === PAIRING_ERRORS.used) throw new ApiError('CONFLICT', CODE_USED);
    if (e.code === PAIRING_ERRORS.expired) {
      throw new ApiError('CONFLICT', `This pairing code expired at ${new Date(content.expiresAt).toISOString()}. Create a new one with \`server pair-device\`.`);
    }
    if (e.code === PAIRING_ERRORS.unknown) throw new ApiError('NOT_FOUND', CODE_INVALID);
    if (e.code === '42883' || e.code === '3F000') {
      throw new ApiError('UNAVAILABLE', 'The server does not have the Counterbook schema (or an older one): ask the admin to run `server migrate`.');
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
