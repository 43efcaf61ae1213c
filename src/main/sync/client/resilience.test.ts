// The sync engine when things break: the device process is SIGKILLed in the middle of
// a push, and the PostgreSQL server restarts while a device syncs. Afterwards
// everything converges by itself, with no loss and no duplicates.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type TestPostgres } from '../../../../test-support/postgres';
import { newTestTenant, startSyncTestServer, withAdmin } from '../../../../test-support/sync-server';
import { migrateServer } from '../server/migrate';
import { pair, product, settle, snapshot, startDevice, status, waitFor, write, type Device } from './test-support';

const ROOT = resolve(__dirname, '../../../..');
const FIXTURE = join(__dirname, 'kill-device.fixture.ts');

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

async function serverProducts(url: string): Promise<{ n: number; distinct: number }> {
  return withAdmin(url, async (c) => (await c.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM counterbook_data.products')).rows[0]);
}

/** Runs the fixture device until it reports a push in progress (at least `afterPushed` rows), then SIGKILLs it. */
function runThenKill(dir: string, count: number, tag: string, afterPushed: number): Promise<{ pushed: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    // node itself with tsx as a loader (not the tsx wrapper, whose node child would survive a SIGKILL of the wrapper).
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, String(count), '100', tag], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let stderr = '';
    let killed = false;
    let pushed = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the device never pushed ${afterPushed} rows: ${stderr}`));
    }, 90_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('pushed ')) pushed = Number(line.slice(7));
      if (!killed && pushed >= afterPushed) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!killed) reject(new Error(`the device exited by itself (code ${code}): ${stderr}`));
      else resolvePromise({ pushed, signal });
    });
  });
}

describe('a device killed with SIGKILL in the middle of a push', () => {
  it('converges after restart with no loss and no duplicates', async () => {
    const server = await startSyncTestServer();
    cleanup.push(() => server.stop());
    const { url } = await server.freshDatabase();
    const tenant = await newTestTenant(url);

    // Pair the device's folder in process, then hand the folder to a child process.
    let a: Device = await startDevice();
    cleanup.push(() => a.remove());
    await pair(a, url, tenant, 'Killed counter');
    await settle([a]);
    await a.close();

    const COUNT = 1500;
    const first = await runThenKill(a.dir, COUNT, 'k', 200);
    expect(first.signal).toBe('SIGKILL');
    const afterFirst = await serverProducts(url);
    expect(afterFirst.n).toBeLessThan(COUNT);
    // The restarted process goes on where the dead one stopped (its batch in flight first), and is killed again.
    const second = await runThenKill(a.dir, 0, 'k', 100);
    expect(second.signal).toBe('SIGKILL');

    a = await a.reopen();
    await waitFor('the outbox to drain', async () => (await status(a)).queueDepth === 0, 60_000);
    await settle([a]);
    expect(await serverProducts(url)).toEqual({ n: COUNT, distinct: COUNT });
    const local = await a.core.store.db.collections.products.find().exec();
    expect(local).toHaveLength(COUNT);
    expect(new Set(local.map((d) => d.primary)).size).toBe(COUNT);

    // A second device gets exactly the same store.
    const b = await startDevice();
    cleanup.push(() => b.remove());
    await pair(b, url, tenant, 'Fresh counter');
    await settle([a, b]);
    expect(await snapshot(b)).toEqual(await snapshot(a));
    const audit = await withAdmin(url, async (c) => (await c.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM counterbook_data.audit_log')).rows[0]);
    expect(audit.n).toBe(audit.d);
    expect(audit.n).toBe(await a.core.store.db.collections.auditLog.count().exec());
  }, 180_000);
});

describe('PostgreSQL restarted during sync', () => {
  it('the device goes offline and resumes by itself', async () => {
    const base = mkdtempSync(join(tmpdir(), 'cb-pg-restart-'));
    const password = randomBytes(12).toString('hex');
    let pg: TestPostgres = await startEmbeddedPostgres({ dataDir: join(base, 'data'), password });
    const port = pg.port;
    cleanup.push(async () => {
      await pg.stop();
      rmSync(base, { recursive: true, force: true });
    });
    const url = await pg.createDatabase({ name: 'counterbook' });
    await migrateServer({ url });
    const tenant = await newTestTenant(url);

    const a = await startDevice({ sync: { batchRows: 100, pushDelayMs: 5, pollMs: 1000, backoffMinMs: 100, backoffMaxMs: 500, statusThrottleMs: 20 } });
    cleanup.push(() => a.remove());
    await pair(a, url, tenant, 'Counter');
    await settle([a]);

    const COUNT = 2000;
    for (let i = 0; i < COUNT; i += 250) {
      await write(a, async (tx) => {
        for (let j = i; j < i + 250; j++) await tx.insert('products', product(`r${j}`));
      });
    }
    // Restart the server while the device is pushing.
    await waitFor('the push to start', async () => (await serverProducts(url)).n > 0, 30_000, 5);
    await pg.stop();
    await waitFor('the device to notice', async () => (await status(a)).state === 'offline', 30_000);
    await write(a, (tx) => tx.insert('products', product('while-down')));
    pg = await startEmbeddedPostgres({ dataDir: join(base, 'data'), password, port });

    await waitFor('everything pushed by itself', async () => {
      const s = await status(a);
      return s.state === 'online' && s.queueDepth === 0;
    }, 60_000);
    expect(await serverProducts(url)).toEqual({ n: COUNT + 1, distinct: COUNT + 1 });
    expect(port).toBe(pg.port);
  }, 180_000);
});
