// Server schema migrations: plain SQL files in resources/migrations (node-pg-migrate
// format: "-- Up Migration" / "-- Down Migration" sections), applied in name order.
// All pending files run in ONE transaction under node-pg-migrate's advisory lock, so
// two admins migrating at once cannot interleave, and a failure changes nothing.
import { existsSync, readdirSync } from 'node:fs';
import type { ClientBase } from 'pg';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../../core/log';
import { silentLogger } from '../../core/log';
import { type AdminTarget, withClient } from './db';

export const SERVER_SCHEMA = 'counterbook';
export const MIGRATIONS_TABLE = 'schema_migrations';
export const MIGRATIONS_DIR_ENV = 'COUNTERBOOK_MIGRATIONS_DIR';

/**
 * Where the migration files are: $COUNTERBOOK_MIGRATIONS_DIR, the packaged app's
 * resources (process.resourcesPath/migrations, see electron-builder.yml), or
 * resources/migrations in the repository, found by walking up from this file (source
 * via tsx/vitest, or the bundle in out/main) and from the working folder.
 */
export function findMigrationsDir(): string {
  const candidates: string[] = [];
  const fromEnv = process.env[MIGRATIONS_DIR_ENV];
  if (fromEnv) candidates.push(resolve(fromEnv));
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, 'migrations'));
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      candidates.push(join(dir, 'resources', 'migrations'));
      if (dirname(dir) === dir) break;
    }
  }
  const found = candidates.find((dir) => existsSync(dir) && migrationFiles(dir).length > 0);
  if (!found) throw new Error(`Cannot find the server migrations (looked in ${[...new Set(candidates)].slice(0, 4).join(', ')}, ...). Set ${MIGRATIONS_DIR_ENV}.`);
  return found;
}

/** Migration names (file names without .sql) in the order they apply. */
export function migrationFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql') && !f.startsWith('.'))
    .sort()
    .map((f) => f.slice(0, -'.sql'.length));
}

export interface MigrateOptions {
  url: AdminTarget;
  log?: Logger;
  migrationsDir?: string;
  /** How long to wait for another migration holding the lock (default 60 s). */
  lockWaitMs?: number;
}

export interface MigrateResult {
  /** Names of the migrations this call applied (empty when the schema was up to date). */
  applied: string[];
  /** All migrations now applied, oldest first. */
  current: string[];
}

export async function migrateServer(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? silentLogger;
  const dir = options.migrationsDir ?? findMigrationsDir();
  const { runner } = await import('node-pg-migrate');
  const deadline = Date.now() + (options.lockWaitMs ?? 60_000);

  return withClient(options.url, async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const ran = await runner({
          dbClient: client,
          dir,
          direction: 'up',
          schema: SERVER_SCHEMA,
          createSchema: true,
          migrationsSchema: SERVER_SCHEMA,
          migrationsTable: MIGRATIONS_TABLE,
          singleTransaction: true,
          checkOrder: true,
          ignorePattern: '(\\..*|.*\\.md)',
          logger: {
            debug: (m) => log.debug(m),
            info: (m) => log.debug(m),
            warn: (m) => log.warn(m),
            error: (m) => log.error(m),
          },
        });
        for (const m of ran) log.info('server migration applied', { migration: m.name });
        // The runner leaves search_path on the schema; a caller's client gets it back.
        await client.query('RESET search_path');
        return { applied: ran.map((m) => m.name), current: await appliedMigrations(client) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/Another migration is already running/.test(message) && Date.now() < deadline) {
          log.info('another migration holds the lock; waiting', { attempt });
          await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2000)));
          continue;
        }
        throw error;
      }
    }
  });
}

/** Names of the applied migrations, oldest first; [] when the schema was never migrated. */
export async function appliedMigrations(client: ClientBase): Promise<string[]> {
  const exists = await client.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [`${SERVER_SCHEMA}.${MIGRATIONS_TABLE}`]);
  if (!exists.rows[0]?.ok) return [];
  const rows = await client.query<{ name: string }>(`SELECT name FROM ${SERVER_SCHEMA}.${MIGRATIONS_TABLE} ORDER BY run_on, id`);
  return rows.rows.map((r) => r.name);
}
