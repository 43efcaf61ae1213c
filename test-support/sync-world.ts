// The fixture of a sync test file (vitest only): one embedded PostgreSQL for the file, a
// fresh database and tenant per test, and devices and TCP proxies removed after each test.
//
//   const { world, device, proxy } = useSyncTestWorld();
//   it('...', async () => { const { url, tenant } = await world(); const a = await device(); ... });
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SyncEngineOptions } from '../src/main/sync/client/engine';
import { startDevice, type Device } from '../src/main/sync/client/test-support';
import { TcpProxy } from '../src/main/sync/client/tcp-proxy';
import { newTestTenant, startSyncTestServer, type SyncTestServer } from './sync-server';

export interface SyncTestWorld {
  /** A fresh database on the file's server, with one tenant ("Corner shop"). */
  world(): Promise<{ url: string; tenant: string }>;
  /** A device (a real core on a temporary folder), removed after the test. */
  device(sync?: SyncEngineOptions): Promise<Device>;
  /** A TCP proxy in front of the server (to cut a device off), closed after the test. */
  proxy(): Promise<TcpProxy>;
}

export function useSyncTestWorld(): SyncTestWorld {
  let server: SyncTestServer | undefined;
  beforeAll(async () => {
    server = await startSyncTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  });
  const running = (): SyncTestServer => {
    if (!server) throw new Error('the sync test server is not running (use the world inside tests)');
    return server;
  };
  return {
    async world() {
      const { url } = await running().freshDatabase();
      return { url, tenant: await newTestTenant(url, 'Corner shop') };
    },
    async device(sync) {
      const d = await startDevice(sync ? { sync } : {});
      cleanup.push(() => d.remove());
      return d;
    },
    async proxy() {
      const p = await TcpProxy.start(running().pg.port);
      cleanup.push(() => p.close());
      return p;
    },
  };
}
