// `npm run dev:server`: a local Counterbook server for development. Starts an embedded
// PostgreSQL with a persistent data folder (.counterbook-dev/postgres, gitignored),
// migrates it, makes sure a "Demo shop" tenant exists, prints the admin URL and a
// fresh pairing code, and runs until Ctrl+C.
//
//   COUNTERBOOK_DEV_PG_PORT   port (default 54329)
//   COUNTERBOOK_DEV_DIR       folder instead of .counterbook-dev/postgres
//
// The admin password of this throw-away cluster is kept next to it in admin.json
// (owner-only), so the URL stays the same from run to run. Never reuse it anywhere.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type TestPostgres } from '../test-support/postgres';
import { migrateServer } from '../src/main/sync/server/migrate';
import { createPairingCode, createTenant } from '../src/main/sync/server/provision';
import { tenantChannel } from '../src/main/sync/server/protocol';
import { pairLocalApp } from '../src/main/sync/client/dev-pair';
import { resolveDataDir } from '../src/main/core/paths';
import { appVersion } from '../src/main/core/version';

const DEMO_TENANT = 'Demo shop';
const DATABASE = 'counterbook';

interface AdminFile {
  password: string;
}

function loadAdmin(file: string): AdminFile {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as AdminFile;
  const admin = { password: randomBytes(18).toString('hex') };
  writeFileSync(file, JSON.stringify(admin, null, 2) + '\n', { mode: 0o600 });
  return admin;
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  const baseDir = resolve(process.env.COUNTERBOOK_DEV_DIR ?? join(root, '.counterbook-dev', 'postgres'));
  const port = Number(process.env.COUNTERBOOK_DEV_PG_PORT ?? 54329);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`COUNTERBOOK_DEV_PG_PORT must be a port number, not "${process.env.COUNTERBOOK_DEV_PG_PORT}"`);
  mkdirSync(baseDir, { recursive: true });
  const adminFile = join(baseDir, 'admin.json');
  const admin = loadAdmin(adminFile);
  chmodSync(adminFile, 0o600);

  console.log(`Starting PostgreSQL (data in ${baseDir}) ...`);
  let server: TestPostgres;
  try {
    server = await startEmbeddedPostgres({ dataDir: join(baseDir, 'data'), port, password: admin.password, durable: true });
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n` +
        `Is another dev server running, or port ${port} taken? Set COUNTERBOOK_DEV_PG_PORT to use another port.`,
    );
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping PostgreSQL ...`);
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
    } finally {
      await client.end();
    }
    const url = server.urlFor(DATABASE);
    const migrated = await migrateServer({ url });
    console.log(migrated.applied.length ? `Applied migrations: ${migrated.applied.join(', ')}` : `Schema up to date (${migrated.current.length} migrations).`);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    let tenantId: string;
    try {
      const found = await db.query<{ id: string }>('SELECT id FROM counterbook.tenants WHERE name = $1 ORDER BY created_at LIMIT 1', [DEMO_TENANT]);
      tenantId = found.rows[0]?.id ?? (await createTenant(db, DEMO_TENANT)).id;
    } finally {
      await db.end();
    }
    const pairing = await createPairingCode(url, tenantId, 'Dev device', 60);
    // The local app's data folder (the OS default, COUNTERBOOK_DATA_DIR or --data-dir) is paired with this server.
    console.log(await pairLocalApp({ url, tenantId, dataDir: resolveDataDir(process.argv), appVersion: appVersion() }));

    console.log('');
    console.log('Counterbook dev server is running.');
    console.log(`  admin URL       ${url}`);
    console.log(`  server (device) postgres://${server.host}:${server.port}/${DATABASE}  (devices log in with their own role)`);
    console.log(`  tenant          ${tenantId}  ${DEMO_TENANT}`);
    console.log(`  pairing code    ${pairing.code}  (once, until ${new Date(pairing.expiresAt).toLocaleTimeString()})`);
    console.log(`  live channel    ${tenantChannel(tenantId)}`);
    console.log('');
    console.log('Admin commands against it:');
    console.log(`  export COUNTERBOOK_SERVER_URL='${url}'`);
    console.log('  npm run cli -- server status');
    console.log(`  npm run cli -- server pair-device --tenant ${tenantId} --name "Counter 2"`);
    console.log('');
    console.log('The app pairs with: the server address above + the pairing code (the Sync area).');
    console.log('Press Ctrl+C to stop.');
  } catch (error) {
    await server.stop();
    throw error;
  }
  // Keep the process (and with it PostgreSQL) alive until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(`dev-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
