// Admin connections to the business's PostgreSQL, with errors turned into sentences a
// person can act on. Connection strings carry passwords: they never reach a log or
// an error message (see describeServer).
import pg from 'pg';
import { ApiError } from '@shared/api/errors';
import { redactText } from '../../core/log';

/** An admin connection string, or a connected client the caller owns. */
export type AdminTarget = string | pg.ClientBase;

const CONNECT_TIMEOUT_MS = 10_000;

/** "host:port/database" of a connection string: safe to print (no user, no password). */
export function describeServer(url: string): string {
  try {
    const u = new URL(url);
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    return `${u.hostname}${u.port ? `:${u.port}` : ''}/${database}`;
  } catch {
    return 'the server (the URL could not be parsed)';
  }
}

export function newClient(url: string): pg.Client {
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new ApiError('VALIDATION', 'The server URL must look like postgres://user:password@host:5432/database');
  }
  return new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'counterbook-admin' });
}

/** Connects, runs `work`, always disconnects. With a client, just runs `work` on it. */
export async function withClient<T>(target: AdminTarget, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (typeof target !== 'string') return work(target);
  const client = newClient(target);
  // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(error, target);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `work` in one transaction (BEGIN/COMMIT, ROLLBACK on any error). */
export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
}

/** Maps a failure to connect to a clear ApiError (UNAVAILABLE or UNAUTHENTICATED). */
export function connectionError(error: unknown, url: string): ApiError {
  const where = describeServer(url);
  const e = (error ?? {}) as PgLikeError;
  const detail = redactText(e.message ?? String(error));
  switch (e.code) {
    case 'ECONNREFUSED':
      return new ApiError('UNAVAILABLE', `Cannot connect to ${where}: nothing is listening there (is PostgreSQL running, and the host and port right?).`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ApiError('UNAVAILABLE', `Cannot connect to ${where}: the host name does not resolve.`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ApiError('UNAVAILABLE', `Cannot connect to ${where}: the server does not answer (${e.code}).`);
    case '28P01':
      return new ApiError('UNAUTHENTICATED', `${where} refused the user name or password.`);
    case '28000':
      return new ApiError('UNAUTHENTICATED', `${where} refused the login: ${detail}`);
    case '3D000':
      return new ApiError('NOT_FOUND', `${where}: the database does not exist.`);
    default:
      if (/timeout/i.test(detail)) return new ApiError('UNAVAILABLE', `Cannot connect to ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s.`);
      return new ApiError('UNAVAILABLE', `Cannot connect to ${where}: ${detail}`);
  }
}

/** True when the error is PostgreSQL's SQLSTATE `code`. */
export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as PgLikeError).code === code;
}
