// A migrated Counterbook server for tests: one embedded PostgreSQL per test file, the
// schema migrated once into a template database, and a fresh copy per test.
//
//   const server = await startSyncTestServer();          // beforeAll
//   const db = await server.freshDatabase();              // per test: { url, name }
//   const device = await pairTestDevice(db.url, tenantId) // a device credential + its URL
//   await server.stop();                                  // afterAll
import pg from 'pg';
import { migrateServer } from '../src/main/sync/server/migrate';
import { createPairingCode, createTenant, deviceConnectionString, redeemPairingCode, type DeviceCredential } from '../src/main/sync/server/provision';
import { startTestPostgres, type TestPostgres } from './postgres';

export interface SyncTestServer {
  pg: TestPostgres;
  /** A new database with the Counterbook schema (a copy of the migrated template). */
  freshDatabase(): Promise<{ url: string; name: string }>;
  stop(): Promise<void>;
}

/** Collections registered in every test database (the real ones come from the collection migrations). */
export const TEST_COLLECTIONS = [
  { name: 'testNotes', kind: 'mutable', maxDocBytes: 4096 },
  { name: 'testLedger', kind: 'append-only', maxDocBytes: 4096 },
] as const;

export async function startSyncTestServer(): Promise<SyncTestServer> {
  const server = await startTestPostgres();
  try {
    const template = `cb_template_${process.pid}`;
    const templateUrl = await server.createDatabase({ name: template });
    await migrateServer({ url: templateUrl });
    const client = new pg.Client({ connectionString: templateUrl });
    await client.connect();
    try {
      for (const c of TEST_COLLECTIONS) {
        await client.query('INSERT INTO counterbook.collections (name, kind, max_doc_bytes) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [c.name, c.kind, c.maxDocBytes]);
      }
    } finally {
      await client.end();
    }
    let n = 0;
    return {
      pg: server,
      async freshDatabase() {
        const name = `cb_test_${process.pid}_${++n}`;
        const url = await server.createDatabase({ name, template });
        return { url, name };
      },
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export interface TestDevice extends DeviceCredential {
  /** The device's own connection string. */
  url: string;
  /** Opens a new connection as this device (close it yourself). */
  connect(): Promise<pg.Client>;
}

/** Pairs a new device with the tenant through a pairing code, like an admin would. */
export async function pairTestDevice(adminUrl: string, tenantId: string, deviceName = 'Test device'): Promise<TestDevice> {
  const { code } = await createPairingCode(adminUrl, tenantId, deviceName);
  const credential = await redeemPairingCode(adminUrl, code);
  const url = deviceConnectionString(adminUrl, credential);
  return {
    ...credential,
    url,
    async connect() {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
  };
}

export async function newTestTenant(adminUrl: string, name = 'Test shop'): Promise<string> {
  return (await createTenant(adminUrl, name)).id;
}

/** Runs `work` on a new admin connection. */
export async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
