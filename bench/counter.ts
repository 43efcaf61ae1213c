// Benchmark of the counter's selling path.
//
//   npm run bench -- counter            1,000,000 sales in the store, 200 timed sales
//   npm run bench -- counter --smoke    2,000 sales, 20 timed sales (a few seconds)
//
// The store is seeded once with the demo data (src/main/store/demo-seed.ts) into
// <os.tmpdir()>/counterbook-bench/counter-<N>-sales and reused while its ready.json
// marker exists (seeding a million sales takes a few minutes). Each run appends its
// sales to that store's current day.
//
// Measured through the core's router (the same call path the browser host's WebSocket
// and Electron's message port use, minus the transport), as the cashier:
//  - sale-to-ready: from calling counter.finalise until counter.sales for today lists
//    the sale at the top AND counter.receipt has returned its text (both asked for as
//    soon as finalise returns), p50/p95 over the timed sales; with its parts.
//  - anchors, in the same run: the smallest command through the router and write path
//    (counter.updateProduct of one field) and the smallest query (counter.parked), and
//    the device-wide sales list (first page over the whole history).
// NOT measured here: the Chromium-driven variant through the browser host (needs the
// renderer's counter screen and a Playwright browser download).
// Progress goes to stderr; the last stdout line is one JSON object.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeSaleTotals } from '@shared/counter';
import { newId } from '@shared/ids';
import type { Product } from '@shared/api/ops/counter-sales';
import { startCore, type Core } from '../src/main/core/core';
import { silentLogger } from '../src/main/core/log';
import type { CallContext } from '../src/main/core/router';
import { seedDemo } from '../src/main/store/demo-seed';

const SMOKE = process.argv.includes('--smoke');
const SALES_IN_STORE = SMOKE ? 2_000 : 1_000_000;
const TIMED = SMOKE ? 20 : 200;
const WARMUP = SMOKE ? 5 : 20;
const ANCHOR_RUNS = SMOKE ? 20 : 100;
/** Seed "now": data lies in the ~6 months before it (fixed, so the cached store is the same for everyone). */
const SEED_NOW = Date.UTC(2025, 5, 15, 12, 0);
const TARGET_P95_MS = 50;

const log = (msg: string) => process.stderr.write(`[bench counter] ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
const stats = (xs: number[]) => ({ p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)), max: round(Math.max(...xs)), n: xs.length });

/** The cached, seeded store (created on first use). */
async function prepare(): Promise<{ dir: string; seedSeconds: number; reused: boolean }> {
  const dir = join(tmpdir(), 'counterbook-bench', `counter-${SALES_IN_STORE}-sales`);
  const marker = join(dir, 'ready.json');
  if (existsSync(marker)) return { dir, seedSeconds: (JSON.parse(readFileSync(marker, 'utf8')) as { seconds: number }).seconds, reused: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`seeding ${SALES_IN_STORE} sales into ${dir} (once; reused afterwards)`);
  const core = await startCore({ dataDir: dir, appVersion: 'bench', host: 'test', logger: silentLogger });
  const t = performance.now();
  let last = 0;
  const result = await seedDemo(core.store.db, {
    sales: SALES_IN_STORE,
    deviceId: core.deviceId,
    now: SEED_NOW,
    onProgress: (done, total) => {
      if (performance.now() - last > 10_000) {
        last = performance.now();
        log(`seed ${done}/${total} ${Math.round((performance.now() - t) / 1000)}s`);
      }
    },
  });
  await core.close();
  const seconds = (performance.now() - t) / 1000;
  writeFileSync(marker, JSON.stringify({ sales: SALES_IN_STORE, counts: result.counts, seconds }));
  return { dir, seedSeconds: seconds, reused: false };
}

async function call<T>(core: Core, op: string, input: unknown, ctx: CallContext): Promise<T> {
  const r = await core.router.call(op, input, ctx);
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.output as T;
}

/** Deterministic pseudo-random cart from the catalogue, paid like the demo shop's customers pay. */
function cart(products: Product[], i: number, cashRounding: number) {
  const n = 1 + (i % 4);
  const lines = Array.from({ length: n }, (_, k) => {
    const p = products[(i * 7 + k * 13) % products.length]!;
    return { productId: p.id, name: p.name, quantityMilli: p.unit === 'kg' ? 500 + 250 * (k % 3) : 1000 * (1 + ((i + k) % 2)), unitPriceMinor: p.priceMinor, taxRateBp: p.taxRateBp };
  });
  const totals = computeSaleTotals({ currency: products[0]!.currency, taxMode: 'inclusive', lines, cashRoundingIncrementMinor: cashRounding > 1 ? cashRounding : 0 });
  const total = totals.totalMinor;
  const payments =
    i % 3 === 0
      ? [{ method: 'card', amountMinor: total, reference: String(100000 + i) }]
      : i % 3 === 1
        ? [{ method: 'cash', amountMinor: Math.ceil(total / 100_000) * 100_000 }]
        : [
            { method: 'mobile_money', amountMinor: Math.floor(total / 2), reference: `SBX${i}` },
            { method: 'cash', amountMinor: total - Math.floor(total / 2) + 5_000 },
          ];
  return { saleId: newId(), lines, payments };
}

async function main(): Promise<void> {
  const started = performance.now();
  const { dir, seedSeconds, reused } = await prepare();
  const openStart = performance.now();
  const core = await startCore({ dataDir: dir, appVersion: 'bench', host: 'test', logger: silentLogger });
  const openMs = performance.now() - openStart;
  try {
    const db = core.store.db;
    const cashierDoc = await db.collections.users.findOne({ selector: { role: 'cashier', active: true } }).exec();
    if (!cashierDoc) throw new Error('the seeded store has no cashier');
    const cashier: CallContext = { connectionId: 'bench', host: 'test', session: { userId: cashierDoc.id, name: cashierDoc.name, role: 'cashier' } };
    const shop = (await db.collections.shopProfile.findOne('shop').exec())!;
    const storedSales = await db.collections.sales.count().exec();
    log(`store open in ${round(openMs)} ms with ${storedSales} sales`);

    const products = (await call<{ items: Product[] }>(core, 'counter.products', { query: '', limit: 50 }, cashier)).items.filter((p) => p.priceMinor > 0);

    const today = async (): Promise<string> => {
      const probe = await call<{ items: { day: string }[] }>(core, 'counter.sales', { limit: 1 }, cashier);
      return probe.items[0]!.day;
    };

    // ---- sale-to-ready
    const total: number[] = [];
    const finaliseMs: number[] = [];
    const readyAfterMs: number[] = [];
    let day = '';
    for (let i = 0; i < WARMUP + TIMED; i++) {
      const input = cart(products, i, shop.cashRoundingMinor);
      const t0 = performance.now();
      const { sale } = await call<{ sale: { id: string; day: string; invoiceNumber: string } }>(core, 'counter.finalise', input, cashier);
      const t1 = performance.now();
      if (!day) day = sale.day;
      const [list, receipt] = await Promise.all([
        call<{ items: { id: string }[] }>(core, 'counter.sales', { day: sale.day, limit: 50 }, cashier),
        call<{ text: string }>(core, 'counter.receipt', { saleId: sale.id, width: 80 }, cashier),
      ]);
      const t2 = performance.now();
      if (list.items[0]?.id !== sale.id) throw new Error(`sale ${sale.invoiceNumber} is not at the top of today's list`);
      if (!receipt.text.includes(sale.invoiceNumber)) throw new Error(`receipt of ${sale.invoiceNumber} has no number`);
      if (i >= WARMUP) {
        total.push(t2 - t0);
        finaliseMs.push(t1 - t0);
        readyAfterMs.push(t2 - t1);
      }
    }
    log(`sale-to-ready p50 ${round(percentile(total, 50))} ms, p95 ${round(percentile(total, 95))} ms`);
    if (day !== (await today())) log('note: the day changed during the run');

    // ---- anchors
    const product = products[0]!;
    const managerDoc = await db.collections.users.findOne({ selector: { role: 'manager', active: true } }).exec();
    const manager: CallContext = { connectionId: 'bench-m', host: 'test', session: { userId: managerDoc!.id, name: managerDoc!.name, role: 'manager' } };
    const smallestCommand: number[] = [];
    const smallestQuery: number[] = [];
    const deviceList: number[] = [];
    const pdfMs: number[] = [];
    for (let i = 0; i < ANCHOR_RUNS; i++) {
      let t = performance.now();
      await call(core, 'counter.updateProduct', { productId: product.id, costMinor: 1000 + (i % 2) }, manager);
      smallestCommand.push(performance.now() - t);
      t = performance.now();
      await call(core, 'counter.parked', {}, cashier);
      smallestQuery.push(performance.now() - t);
      t = performance.now();
      await call(core, 'counter.sales', { limit: 50 }, cashier);
      deviceList.push(performance.now() - t);
    }
    const anySale = (await call<{ items: { id: string }[] }>(core, 'counter.sales', { limit: 1 }, cashier)).items[0]!.id;
    for (let i = 0; i < Math.min(20, ANCHOR_RUNS); i++) {
      const t = performance.now();
      await call(core, 'counter.invoicePdf', { saleId: anySale }, cashier);
      pdfMs.push(performance.now() - t);
    }

    const saleToReady = stats(total);
    const result = {
      bench: 'counter',
      smoke: SMOKE,
      driver: 'router',
      browserDriven: false,
      salesInStore: storedSales,
      seed: { reused, seconds: round(seedSeconds, 1) },
      storeOpenMs: round(openMs),
      timedSales: TIMED,
      saleToReadyMs: saleToReady,
      finaliseMs: stats(finaliseMs),
      listAndReceiptAfterFinaliseMs: stats(readyAfterMs),
      anchors: {
        smallestCommandMs: stats(smallestCommand),
        smallestQueryMs: stats(smallestQuery),
        deviceSalesListFirstPageMs: stats(deviceList),
        invoicePdfMs: stats(pdfMs),
      },
      ratios: {
        saleToReadyP50OverSmallestCommandP50: round(saleToReady.p50 / percentile(smallestCommand, 50)),
        finaliseP50OverSmallestCommandP50: round(percentile(finaliseMs, 50) / percentile(smallestCommand, 50)),
      },
      targets: { saleToReadyP95Ms: TARGET_P95_MS, met: saleToReady.p95 < TARGET_P95_MS },
      cpus: cpus().length,
      loadavg: loadavg().map((l) => round(l)),
      totalSeconds: round((performance.now() - started) / 1000, 1),
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await core.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
