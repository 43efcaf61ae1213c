// The device's connections to the server and how failures are read: which ones mean
// "offline, try again" and which ones need a person.
import type pg from 'pg';
import { redactText } from '../../core/log';
import { describeAddress, pgSslOption } from '../server/pairing-code';
import { SYNC_ERRORS } from '../server/protocol';
import type { SyncCredential } from './credentials';

export interface ConnectionTimings {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
}

export function clientConfig(credential: SyncCredential, timings: ConnectionTimings, purpose: 'sync' | 'listen' | 'push'): pg.ClientConfig {
  return {
    host: credential.server.host,
    port: credential.server.port,
    database: credential.server.database,
    user: credential.roleName,
    password: credential.password,
    ssl: pgSslOption(credential.server.sslmode),
    connectionTimeoutMillis: timings.connectTimeoutMs,
    // A connection that stops answering (a dead proxy, a half-open socket) fails the query instead of hanging.
    query_timeout: timings.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: `counterbook-${purpose}`,
  };
}

export type FailureKind = 'revoked' | 'network' | 'auth' | 'server';

export interface Failure {
  kind: FailureKind;
  message: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'EHOSTDOWN']);

/** Sorts a failure of a sync step: network (retry quietly), revoked (stop), auth (needs a person), server (retry). */
export function classifyFailure(error: unknown, credential: SyncCredential | null): Failure {
  const e = (error ?? {}) as { code?: string; message?: string };
  const where = credential ? describeAddress(credential.server) : 'the server';
  const detail = redactText(e.message ?? String(error));
  const code = e.code ?? '';
  if (code === SYNC_ERRORS.revoked || (code === '28000' && /not permitted to log in/i.test(detail))) {
    return { kind: 'revoked', message: 'This device was revoked on the server. Unpair it and pair it again with a new pairing code.' };
  }
  if (code === '28P01') return { kind: 'auth', message: `${where} refused this device's credential. Unpair it and pair it again with a new pairing code.` };
  if (code === SYNC_ERRORS.notADevice) return { kind: 'auth', message: `${where} does not know this device (a different server or database?). Pair it again.` };
  if (code === '3D000') return { kind: 'auth', message: `${where}: the database does not exist any more.` };
  if (NETWORK_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') {
    return { kind: 'network', message: `Cannot reach ${where}: ${detail}` };
  }
  if (/Connection terminated|timeout|timed out|socket|Client has encountered a connection error|Connection ended|not queryable/i.test(detail)) {
    return { kind: 'network', message: `Cannot reach ${where}: ${detail}` };
  }
  return { kind: 'server', message: `Sync failed: ${detail}` };
}

/** Full jitter: a random wait up to min(max, min * 2^(failures-1)). */
export function backoffDelay(failures: number, minMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(minMs / 2 + random() * Math.max(0, ceiling - minMs / 2));
}
