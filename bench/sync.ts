// Benchmark of the sync engine (src/main/sync/client) on an embedded PostgreSQL.
//
//   npm run bench -- sync            full run: 200,000 pulled, 50,000 pushed, 200 edits
//   npm run bench -- sync --smoke    small sizes, a few seconds
//
// In one run, each figure next to its anchor on the same server:
//  1. Initial pull: the server holds N documents (products and customers, typed
//     tables); a freshly paired device pulls all of them into its store (pairing,
//     pages, local writes, cursor). docs/s, and the ratio to a plain
//     `SELECT * FROM <table> WHERE tenant_id = $1` of the same rows over one
//     connection (rows received and parsed by node-postgres). For information, a third
//     figure: writing the same documents straight into a fresh local store (storage
//     bulkWrite, 5000 per transaction, synchronous=NORMAL as pulled pages are): the
//     ceiling the local store sets on this machine.
//  2. Push: M products written on a device (of a second tenant) while it cannot reach
//     the server (a proxy refuses its connections; it runs on a thread of its own, as
//     a network does not share the device's thread; written straight into the store, so
//     no audit entries are added), then pushed when it can: from sync.now until the
//     outbox is empty (every row accepted by the server and recorded on the device).
//     docs/s, and the ratio to plain multi-row INSERTs of the same rows (1000 per
//     statement, one connection, into the same table for another tenant, its trigger
//     included; statements built before the clock starts). The device pushes a backlog
//     on two connections, so the same INSERTs on two connections are reported beside
//     it (`ratioToPlainInsertTwoConnections`), and so is counterbook.push alone (the same
//     rows as ready-made batches from a device role, on one and on two connections:
//     `serverPushAlone`). For information, `untilIdleMs`: until sync.now returns, which
//     includes pulling the M pushed rows back when that falls in the same cycle (every
//     device reads its own changes in the feed once; recognised by revision, not written).
//  3. Propagation: device A edits a product 200 times, one after another; the time
//     until device C (same tenant as A) has each edit (A's write -> hook -> push -> NOTIFY -> B's pull ->
//     B's store). p50 and p95.
// The server runs with fsync off (as in the tests) for both the engine and the anchors.
// Progress goes to stderr; the last stdout line is one JSON object.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ProductDoc } from '../src/shared/schema';
import { startCore, type Core } from '../src/main/core/core';
import { silentLogger } from '../src/main/core/log';
import { openStore } from '../src/main/store/open-store';
import type { CallContext } from '../src/main/core/router';
import { migrateServer } from '../src/main/sync/server/migrate';
import { createPairingCode, createTenant } from '../src/main/sync/server/provision';
import { PUSH_SQL } from '../src/main/sync/server/protocol';
import { ThreadedTcpProxy } from '../src/main/sync/client/tcp-proxy';
import { startTestPostgres } from '../test-support/postgres';
import { pairTestDevice } from '../test-support/sync-server';

const SMOKE = process.argv.includes('--smoke');
const SIZES = SMOKE ? { pullProducts: 3_000, pullCustomers: 1_000, push: 2_000, edits: 20 } : { pullProducts: 150_000, pullCustomers: 50_000, push: 50_000, edits: 200 };
const TARGETS = { pullDocsPerSec: 20_000, pullRatio: 0.5, pushDocsPerSec: 10_000, pushRatio: 0.5, propagationP95Ms: 500 };

const log = (msg: string) => process.stderr.write(`[bench sync] ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
const CTX: CallContext = { connectionId: 'bench', host: 'test', session: { userId: 'bench', name: 'Bench', role: 'admin' } };

async function call<T>(core: Core, op: string, input: unknown): Promise<T> {
  const r = await core.router.call(op, input, CTX);
  if (!r.ok) throw new Error(`${op}: ${r.error.message}`);
  return r.output as T;
}

interface Device {
  core: Core;
  dir: string;
}

async function device(tag: string): Promise<Device> {
  const dir = mkdtempSync(join(tmpdir(), `bench-sync-${tag}-`));
  const core = await startCore({ dataDir: dir, appVersion: 'bench', host: 'test', logger: silentLogger });
  return { core, dir };
}

async function pair(d: Device, url: string, tenantId: string, name: string, deviceUrl?: string): Promise<void> {
  const { code } = await createPairingCode(url, tenantId, name, 15, { deviceUrl });
  await call(d.core, 'sync.pair', { pairingCode: code });
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function productDoc(i: number, tag: string): ProductDoc {
  const now = 1_763_800_000_000 + i;
  return {
    id: `${tag}-${String(i).padStart(7, '0')}`,
    createdAt: now,
    updatedAt: now,
    name: `Product ${tag} ${i} with a longer name`,
    sku: `SKU-${i}`,
    barcode: String(4_000_000_000_000 + i),
    priceMinor: 100 + (i % 5000),
    currency: 'EUR',
    costMinor: 50 + (i % 3000),
    taxRateBp: 1600,
    category: `Category ${i % 40}`,
    favourite: i % 17 === 0,
    active: true,
    unit: 'each',
  };
}

/**
 * The server's documents as devices' pushes leave them: one transaction per 5000 rows
 * (a push batch at most), so the change feed holds many transactions, as in the field.
 */
async function seedServer(client: pg.Client, tenantId: string, products: number, customers: number): Promise<void> {
  for (let from = 1; from <= products; from += 5000) {
    await client.query(
      `INSERT INTO counterbook_data.products (tenant_id, id, created_at, updated_at, name, sku, barcode, price_minor, currency, cost_minor, tax_rate_bp, category, favourite, unit, active, revision, deleted)
       SELECT $1, 'sp-' || lpad(i::text, 7, '0'), 1763800000000 + i, 1763800000000 + i, 'Product ' || i || ' with a longer name', 'SKU-' || i, (4000000000000 + i)::text,
              100 + i % 5000, 'EUR', 50 + i % 3000, 1600, 'Category ' || (i % 40), i % 17 = 0, 'each', true, '1-seed', false
       FROM generate_series($2::int, $3::int) AS i`,
      [tenantId, from, Math.min(products, from + 4999)],
    );
  }
  for (let from = 1; from <= customers; from += 5000) {
    await client.query(
      `INSERT INTO counterbook_data.customers (tenant_id, id, created_at, updated_at, name, phone, email, notes, reminder_opt_out, reminder_count, revision, deleted)
       SELECT $1, 'sc-' || lpad(i::text, 7, '0'), 1763800000000 + i, 1763800000000 + i, 'Customer ' || i, '+254 700 ' || lpad(i::text, 6, '0'), 'c' || i || '@example.com', 'Regular', false, 0, '1-seed', false
       FROM generate_series($2::int, $3::int) AS i`,
      [tenantId, from, Math.min(customers, from + 4999)],
    );
  }
  await client.query('ANALYZE counterbook_data.products');
  await client.query('ANALYZE counterbook_data.customers');
}

/** The pulled documents written straight into a fresh store: the local write ceiling. */
async function localWrite(products: number, customers: number): Promise<{ docs: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-local-'));
  const store = await openStore({ dir });
  try {
    const meta = { _deleted: false, _attachments: {}, _meta: { lwt: 1 }, _rev: '1-bench' };
    const product = (i: number) => ({ ...productDoc(i, 'sp'), ...meta });
    const customer = (i: number) => ({
      id: `sc-${String(i).padStart(7, '0')}`, createdAt: 1_763_800_000_000 + i, updatedAt: 1_763_800_000_000 + i, name: `Customer ${i}`,
      phone: `+254 700 ${String(i).padStart(6, '0')}`, email: `c${i}@example.com`, notes: 'Regular', reminderOptOut: false, reminderCount: 0, ...meta,
    });
    const jobs: [string, number, (i: number) => Record<string, unknown>][] = [['products', products, product], ['customers', customers, customer]];
    store.sqlite.pragma('synchronous = NORMAL');
    const t0 = performance.now();
    for (const [name, count, make] of jobs) {
      const instance = (store.db.collections as unknown as Record<string, { storageInstance: { bulkWrite(rows: unknown[], context: string): Promise<{ error: unknown[] }> } }>)[name]!.storageInstance;
      for (let i = 1; i <= count; i += 5000) {
        const rows = Array.from({ length: Math.min(5000, count - i + 1) }, (_, k) => ({ document: make(i + k) }));
        store.sqlite.exec('BEGIN IMMEDIATE');
        const r = await instance.bulkWrite(rows, 'bench');
        store.sqlite.exec('COMMIT');
        if (r.error.length) throw new Error(`local write failed: ${JSON.stringify(r.error[0]).slice(0, 200)}`);
      }
    }
    return { docs: products + customers, ms: performance.now() - t0 };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function plainSelect(url: string, tenantId: string): Promise<{ rows: number; ms: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    const a = await client.query('SELECT * FROM counterbook_data.products WHERE tenant_id = $1', [tenantId]);
    const b = await client.query('SELECT * FROM counterbook_data.customers WHERE tenant_id = $1', [tenantId]);
    return { rows: a.rows.length + b.rows.length, ms: performance.now() - t0 };
  } finally {
    await client.end();
  }
}

const PRODUCT_COLUMNS: [string, keyof ProductDoc | null][] = [
  ['tenant_id', null],
  ['id', 'id'],
  ['created_at', 'createdAt'],
  ['updated_at', 'updatedAt'],
  ['name', 'name'],
  ['sku', 'sku'],
  ['barcode', 'barcode'],
  ['price_minor', 'priceMinor'],
  ['currency', 'currency'],
  ['cost_minor', 'costMinor'],
  ['tax_rate_bp', 'taxRateBp'],
  ['category', 'category'],
  ['favourite', 'favourite'],
  ['unit', 'unit'],
  ['active', 'active'],
  ['revision', null],
];

/** Runs `work` on each item, on every client at once: each client takes the next item when it is free. Milliseconds. */
async function onClients<T>(clients: pg.Client[], items: T[], work: (client: pg.Client, item: T, index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = next++; i < items.length; i = next++) await work(client, items[i]!, i);
    }),
  );
  return performance.now() - t0;
}

/**
 * Plain multi-row INSERTs of the documents (1000 rows per statement) for another
 * tenant, on `connections` connections at once.
 */
async function plainInsert(url: string, tenantId: string, docs: ProductDoc[], connections = 1): Promise<number> {
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const statements: { text: string; params: unknown[] }[] = [];
    for (let i = 0; i < docs.length; i += 1000) {
      const params: unknown[] = [];
      const values = docs.slice(i, i + 1000).map((doc) => {
        const row = PRODUCT_COLUMNS.map(([column, field]) => {
          params.push(column === 'tenant_id' ? tenantId : column === 'revision' ? '1-plain' : doc[field!]);
          return `$${params.length}`;
        });
        return `(${row.join(', ')})`;
      });
      statements.push({ text: `INSERT INTO counterbook_data.products (${PRODUCT_COLUMNS.map(([c]) => c).join(', ')}) VALUES ${values.join(', ')}`, params });
    }
    return await onClients(clients, statements, async (client, s) => {
      await client.query(s.text, s.params);
    });
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/**
 * counterbook.push alone: the same documents as ready-made 5000-row batches asking for
 * the compact answer as devices do, sent by a device role straight from the benchmark
 * (no device store), on `connections` connections at once. rows/s. Shows the server's
 * share of a push.
 */
async function serverPush(url: string, tenantId: string, docs: ProductDoc[], connections: number): Promise<number> {
  const device = await pairTestDevice(url, tenantId, `Server push ${connections}`);
  const clients = await Promise.all(Array.from({ length: connections }, () => device.connect()));
  try {
    const bodies: string[] = [];
    for (let i = 0; i < docs.length; i += 5000) {
      const rows = docs.slice(i, i + 5000).map((doc, k) => ({ collection: 'products', id: doc.id, revision: `1-server-${i + k}`, baseRevision: null, deleted: false, doc }));
      bodies.push(JSON.stringify({ batchId: `server-${connections}-${i}`, compact: true, rows }));
    }
    const ms = await onClients(clients, bodies, async (client, body, b) => {
      const result = (await client.query<{ result: { accepted: number } }>(PUSH_SQL, [body])).rows[0]!.result;
      if (result.accepted !== Math.min(5000, docs.length - b * 5000)) throw new Error(`server push: ${JSON.stringify(result).slice(0, 200)}`);
    });
    return docs.length / (ms / 1000);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const loadAvgAtStart = loadavg().map((l) => round(l));
  log(`starting PostgreSQL (${SMOKE ? 'smoke' : 'full'} sizes)`);
  const server = await startTestPostgres();
  const devices: Device[] = [];
  try {
    const url = await server.createDatabase({ name: 'bench_sync' });
    await migrateServer({ url });
    const tenant = (await createTenant(url, 'Bench shop')).id;
    const anchorTenant = (await createTenant(url, 'Anchor shop')).id;
    const anchorTenant2 = (await createTenant(url, 'Anchor shop 2')).id;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();

    // ---- 1. initial pull ----------------------------------------------------
    const pullDocs = SIZES.pullProducts + SIZES.pullCustomers;
    log(`seeding ${pullDocs} documents on the server`);
    await seedServer(admin, tenant, SIZES.pullProducts, SIZES.pullCustomers);
    const select = await plainSelect(url, tenant);
    log(`plain SELECT: ${select.rows} rows in ${round(select.ms)} ms`);
    const b = await device('b');
    devices.push(b);
    let maxProgressTotal = 0;
    b.core.bus.subscribe((name, payload) => {
      const p = (payload as { progress?: { total: number } | null }).progress;
      if (name === 'sync.status' && p) maxProgressTotal = Math.max(maxProgressTotal, p.total);
    });
    const pullStart = performance.now();
    await pair(b, url, tenant, 'Bench B');
    await call(b.core, 'sync.now', {});
    await waitUntil('the initial pull', async () => (await b.core.store.db.collections.products.count().exec()) >= SIZES.pullProducts, 600_000, 50);
    const pullMs = performance.now() - pullStart;
    const pulledProducts = await b.core.store.db.collections.products.count().exec();
    const pulledCustomers = await b.core.store.db.collections.customers.count().exec();
    if (pulledProducts + pulledCustomers < pullDocs) throw new Error(`pulled only ${pulledProducts + pulledCustomers} of ${pullDocs}`);
    const pullRate = pullDocs / (pullMs / 1000);
    const selectRate = select.rows / (select.ms / 1000);
    log(`initial pull: ${pullDocs} docs in ${round(pullMs)} ms (${Math.round(pullRate)}/s; plain SELECT ${Math.round(selectRate)}/s)`);
    const local = await localWrite(SIZES.pullProducts, SIZES.pullCustomers);
    const localRate = local.docs / (local.ms / 1000);
    log(`local store write of the same documents: ${Math.round(localRate)}/s`);

    // ---- 2. push of documents written offline --------------------------------
    const pushTenant = (await createTenant(url, 'Push shop')).id;
    const proxy = await ThreadedTcpProxy.start(server.port);
    const a = await device('a');
    devices.push(a);
    await pair(a, url, pushTenant, 'Bench A', `postgres://127.0.0.1:${proxy.port}/bench_sync`);
    await call(a.core, 'sync.now', {});
    await proxy.block();
    const docs = Array.from({ length: SIZES.push }, (_, i) => productDoc(i, 'push'));
    log(`writing ${docs.length} products on device A while it is offline`);
    for (let i = 0; i < docs.length; i += 5000) {
      const r = await a.core.store.db.collections.products.bulkInsert(docs.slice(i, i + 5000));
      if (r.error.length) throw new Error(`local insert failed: ${JSON.stringify(r.error[0]).slice(0, 200)}`);
    }
    const queued = (await call<{ queueDepth: number }>(a.core, 'sync.status', {})).queueDepth;
    if (queued < docs.length) throw new Error(`only ${queued} changes queued`);
    await proxy.unblock();
    const pushStart = performance.now();
    const syncing = call(a.core, 'sync.now', {});
    // Polled every 50 ms: each probe counts the outbox on the engine's thread.
    await waitUntil('the push', async () => (await call<{ queueDepth: number }>(a.core, 'sync.status', {})).queueDepth === 0, 600_000, 50);
    const pushMs = performance.now() - pushStart;
    await syncing;
    const pushIdleMs = performance.now() - pushStart;
    const onServer = Number((await admin.query('SELECT count(*) AS n FROM counterbook_data.products WHERE tenant_id = $1', [pushTenant])).rows[0].n);
    if (onServer !== docs.length) throw new Error(`the server has ${onServer} of ${docs.length} pushed products`);
    const insertMs = await plainInsert(url, anchorTenant, docs);
    // The device pushes a backlog on two connections: the same INSERTs on two, for comparison.
    const insert2Ms = await plainInsert(url, anchorTenant2, docs, 2);
    const insert2Rate = docs.length / (insert2Ms / 1000);
    const pushRate = queued / (pushMs / 1000);
    const insertRate = docs.length / (insertMs / 1000);
    const server1Rate = await serverPush(url, (await createTenant(url, 'Server push 1')).id, docs, 1);
    const server2Rate = await serverPush(url, (await createTenant(url, 'Server push 2')).id, docs, 2);
    log(`server push alone: ${Math.round(server1Rate)}/s on one connection, ${Math.round(server2Rate)}/s on two`);
    log(`push: ${queued} docs in ${round(pushMs)} ms (${Math.round(pushRate)}/s; plain INSERT ${Math.round(insertRate)}/s, on two connections ${Math.round(insert2Rate)}/s); sync.now returned after ${round(pushIdleMs)} ms`);

    // ---- 3. propagation A -> C ----------------------------------------------
    const c = await device('c');
    devices.push(c);
    await pair(c, url, pushTenant, 'Bench C');
    await call(c.core, 'sync.now', {});
    const target = 'push-0000001';
    await waitUntil('C has the pushed products', async () => (await c.core.store.db.collections.products.findOne(target).exec()) !== null, 120_000, 50);
    const latencies: number[] = [];
    for (let i = 0; i < SIZES.edits; i++) {
      const name = `Edit ${i}`;
      const seen = new Promise<void>((resolve) => {
        const sub = c.core.store.db.collections.products.findOne(target).$.subscribe((doc) => {
          if (doc?.name === name) {
            setImmediate(() => sub.unsubscribe());
            resolve();
          }
        });
      });
      const t0 = performance.now();
      await a.core.writes.run({ action: 'bench.edit', actor: { userId: 'bench', name: 'Bench' } }, (tx) => tx.update('products', target, { name }));
      await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error(`edit ${i} did not arrive in 30 s`)), 30_000))]);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    log(`propagation: p50 ${round(p50)} ms, p95 ${round(p95)} ms over ${latencies.length} edits`);
    await admin.end();
    await proxy.close();

    const summary = {
      bench: 'sync',
      smoke: SMOKE,
      node: process.version,
      cpus: cpus().length,
      loadAvgAtStart,
      loadAvgAtEnd: loadavg().map((l) => round(l)),
      totalSeconds: round((performance.now() - startedAt) / 1000, 1),
      pull: {
        docs: pullDocs,
        ms: round(pullMs),
        docsPerSec: Math.round(pullRate),
        progressTotalSeen: maxProgressTotal,
        plainSelect: { rows: select.rows, ms: round(select.ms), rowsPerSec: Math.round(selectRate) },
        ratioToPlainSelect: round(pullRate / selectRate, 3),
        localStoreWrite: { docs: local.docs, ms: round(local.ms), docsPerSec: Math.round(localRate) },
        ratioToLocalStoreWrite: round(pullRate / localRate, 3),
      },
      push: {
        docs: queued,
        ms: round(pushMs),
        docsPerSec: Math.round(pushRate),
        untilIdleMs: round(pushIdleMs),
        plainInsert: { rows: docs.length, ms: round(insertMs), rowsPerSec: Math.round(insertRate) },
        ratioToPlainInsert: round(pushRate / insertRate, 3),
        plainInsertTwoConnections: { rows: docs.length, ms: round(insert2Ms), rowsPerSec: Math.round(insert2Rate) },
        ratioToPlainInsertTwoConnections: round(pushRate / insert2Rate, 3),
        serverPushAlone: { oneConnectionRowsPerSec: Math.round(server1Rate), twoConnectionsRowsPerSec: Math.round(server2Rate) },
      },
      propagation: { edits: latencies.length, p50Ms: round(p50), p95Ms: round(p95), maxMs: round(Math.max(...latencies)) },
      targets: {
        pullAtLeast20kPerSec: pullRate >= TARGETS.pullDocsPerSec,
        pullAtLeastHalfPlainSelect: pullRate / selectRate >= TARGETS.pullRatio,
        pushAtLeast10kPerSec: pushRate >= TARGETS.pushDocsPerSec,
        pushAtLeastHalfPlainInsert: pushRate / insertRate >= TARGETS.pushRatio,
        propagationP95Under500ms: p95 < TARGETS.propagationP95Ms,
      },
    };
    process.stdout.write(JSON.stringify(summary) + '\n');
  } finally {
    for (const d of devices) {
      await d.core.close().catch(() => undefined);
      rmSync(d.dir, { recursive: true, force: true });
    }
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
