// Benchmark of the counter's insights and exports on a large store.
//
//   npm run bench -- insights            1,000,000 sales (the store is built once, ~2+ min,
//                                        into <tmp>/counterbook-bench/insights-1m and reused)
//   npm run bench -- insights --smoke    20,000 sales in a fresh temporary folder, seconds
//
// In one run, through a real core (the same code the app runs):
//  1. the insight tables: built when the store has none (first start after seeding),
//     then a forced rebuild from scratch, timed (and the credit balances' rebuild);
//  2. counter.insights for the last 90 days of the data through the router, p50/p95
//     over 20 runs (target p95 < 500 ms), and the ANCHOR: the same figures computed
//     from scratch by scanning the period's documents with createInsightsAccumulator
//     (what a store without the tables would have to do), with the ratio;
//  3. counter.export of those 90 days of sales (one row per sale or credit note), CSV
//     and XLSX: time, rows, file size, and the peak heap/RSS growth during the export
//     (bounded memory: pages of 1,000 documents).
// Progress goes to stderr; the last stdout line is one JSON object.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInsightsAccumulator } from '../src/shared/counter';
import { addDays, dayKey } from '../src/shared/dates';
import type { CreditNoteDoc, ExpenseDoc, SaleDoc } from '../src/shared/schema';
import { startCore, type Core } from '../src/main/core/core';
import { silentLogger } from '../src/main/core/log';
import { dataPaths } from '../src/main/core/paths';
import type { CallContext } from '../src/main/core/router';
import { counterMoneyOf } from '../src/main/counter/money';
import { seedDemo } from '../src/main/store/demo-seed';
import { ensureDeviceId } from '../src/main/store/device-identity';
import { openStore } from '../src/main/store/open-store';

const SMOKE = process.argv.includes('--smoke');
const SALES = SMOKE ? 20_000 : 1_000_000;
const RUNS = SMOKE ? 5 : 20;
const PERIOD_DAYS = 90;
const TZ = 'Africa/Nairobi';
const log = (msg: string) => process.stderr.write(`[bench insights] ${msg}\n`);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

interface Marker {
  sales: number;
  now: number;
  seedMs: number;
}

async function buildStore(dir: string): Promise<Marker> {
  const markerFile = join(dir, 'bench-marker.json');
  if (existsSync(markerFile)) {
    const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
    if (marker.sales === SALES) {
      log(`reusing the store in ${dir} (${SALES} sales, seeded ${new Date(marker.now).toISOString()})`);
      return marker;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`seeding ${SALES} sales into ${dir} ...`);
  const now = Date.now();
  const store = await openStore({ dir: dataPaths(dir).store });
  const deviceId = ensureDeviceId(store.sqlite);
  let last = 0;
  const result = await seedDemo(store.db, {
    sales: SALES,
    deviceId,
    now,
    onProgress: (done, total) => {
      if (performance.now() - last > 10_000) {
        last = performance.now();
        log(`  ${done}/${total}`);
      }
    },
  });
  await store.close();
  const marker: Marker = { sales: SALES, now, seedMs: Math.round(result.ms) };
  writeFileSync(markerFile, JSON.stringify(marker));
  log(`seeded in ${round(result.ms / 1000)} s`);
  return marker;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return round((u.user + u.system) / 1000);
};

/** Whether the store file already has complete insight tables (read before the core starts and builds them). */
function tablesPresent(dir: string): boolean {
  const db = new Database(join(dataPaths(dir).store, 'counterbook.sqlite'), { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM cm_meta WHERE name = 'insights'").get() as { value: string } | undefined;
    return !!row && (JSON.parse(row.value) as { complete?: boolean }).complete === true;
  } catch {
    return false; // no cm_meta table yet
  } finally {
    db.close();
  }
}

function sampler(): { stop(): { heapMB: number; rssMB: number } } {
  const base = process.memoryUsage();
  let heap = 0;
  let rss = 0;
  const take = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed - base.heapUsed);
    rss = Math.max(rss, m.rss - base.rss);
  };
  const timer = setInterval(take, 20);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { heapMB: round(heap / 1048576), rssMB: round(rss / 1048576) };
    },
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const dir = SMOKE ? join(tmpdir(), `counterbook-bench-insights-smoke-${process.pid}`) : join(tmpdir(), 'counterbook-bench', 'insights-1m');
  const marker = await buildStore(dir);
  const lastDay = addDays(dayKey(marker.now, TZ), -1);
  const from = addDays(lastDay, -(PERIOD_DAYS - 1));

  // 1. Start the core: the insight tables are built if the store has none.
  const hadTables = tablesPresent(dir);
  const t0 = performance.now();
  const core: Core = await startCore({ dataDir: dir, appVersion: 'bench', host: 'cli', logger: silentLogger });
  const money = counterMoneyOf(core);
  await money.insightsTables.derived.whenReady();
  await money.creditTable.derived.whenReady();
  const firstStartMs = performance.now() - t0;
  log(`core started, tables ${hadTables ? 'present' : 'built'} in ${round(firstStartMs)} ms`);

  const ctx: CallContext = { connectionId: 'bench', host: 'cli', session: { userId: 'bench', name: 'Bench', role: 'admin' } };
  const call = async <T>(op: string, input: unknown): Promise<T> => {
    const r = await core.router.call(op, input, ctx);
    if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
    return r.output as T;
  };

  log('forced rebuild of the insight tables ...');
  let t = performance.now();
  let cpu = process.cpuUsage();
  await money.insightsTables.derived.rebuild();
  const rebuildMs = performance.now() - t;
  const rebuildCpuMs = cpuMs(cpu);
  const days = money.insightsTables.derived.status().totalKeys;
  t = performance.now();
  await money.creditTable.derived.rebuild();
  const creditRebuildMs = performance.now() - t;
  log(`rebuilt ${days} days in ${round(rebuildMs)} ms (cpu ${rebuildCpuMs} ms); credit balances in ${round(creditRebuildMs)} ms`);

  // 2. Insights for 90 days.
  const times: number[] = [];
  let result: { salesCount: number; netRevenueMinor: number; customerCount: number } | null = null;
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    result = await call('counter.insights', { from, to: lastDay });
    times.push(performance.now() - t);
  }
  log(`insights ${from}..${lastDay}: ${result!.salesCount} sales, p50 ${round(percentile(times, 50))} ms, p95 ${round(percentile(times, 95))} ms`);

  // Anchor: the same from the documents (scan of the period with the shared accumulator).
  t = performance.now();
  cpu = process.cpuUsage();
  const acc = createInsightsAccumulator({ currency: 'KES', timeZone: TZ });
  const src = money.context.sources;
  for (let d = from; d <= lastDay; d = addDays(d, 1)) {
    for (const s of src.salesByDay.all([d]) as SaleDoc[]) {
      if (s.status === 'finalised') acc.add({ at: s.finalisedAt ?? s.createdAt, currency: s.currency, totalMinor: s.totalMinor, customerId: s.customerId, lines: s.lines, payments: s.payments });
    }
    for (const n of src.creditNotesByDay.all([d]) as CreditNoteDoc[]) acc.addCreditNote(n);
    for (const e of src.expensesByDay.all([d]) as ExpenseDoc[]) acc.addExpense(e);
  }
  const scan = acc.result();
  const scanMs = performance.now() - t;
  const scanCpuMs = cpuMs(cpu);
  const same = scan.salesCount === result!.salesCount && scan.netRevenueMinor === result!.netRevenueMinor && scan.customerCount === result!.customerCount;
  log(`anchor scan: ${round(scanMs)} ms (same figures: ${same})`);

  // 3. Exports of the 90 days of sales.
  const exportOf = async (format: 'csv' | 'xlsx') => {
    const mem = sampler();
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const r = await call<{ rows: number; sizeBytes: number; path: string }>('counter.export', { kind: 'sales', format, from, to: lastDay });
    const ms = performance.now() - t1;
    const cpuUsed = cpuMs(c1);
    const peak = mem.stop();
    rmSync(r.path, { force: true });
    log(`export ${format}: ${r.rows} rows, ${round(r.sizeBytes / 1048576)} MB in ${round(ms)} ms (peak heap +${peak.heapMB} MB, rss +${peak.rssMB} MB)`);
    return { ms: round(ms), cpuMs: cpuUsed, rows: r.rows, sizeMB: round(r.sizeBytes / 1048576, 2), peakHeapGrowthMB: peak.heapMB, peakRssGrowthMB: peak.rssMB, rowsPerSecond: Math.round(r.rows / (ms / 1000)) };
  };
  const csv = await exportOf('csv');
  const xlsx = await exportOf('xlsx');

  await core.close();
  if (SMOKE) rmSync(dir, { recursive: true, force: true });

  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  const out = {
    bench: 'insights',
    smoke: SMOKE,
    sales: SALES,
    periodDays: PERIOD_DAYS,
    period: { from, to: lastDay },
    periodSales: result!.salesCount,
    seedSeconds: round(marker.seedMs / 1000),
    tablesBuiltAtStart: !hadTables,
    firstStartMs: round(firstStartMs),
    rebuild: { days, ms: round(rebuildMs), cpuMs: rebuildCpuMs, creditBalancesMs: round(creditRebuildMs) },
    insights: { runs: RUNS, p50Ms: round(p50, 2), p95Ms: round(p95, 2), firstMs: round(times[0]!, 2) },
    anchorScanMs: round(scanMs),
    anchorScanCpuMs: scanCpuMs,
    anchorSameFigures: same,
    ratioScanToInsightsP50: round(scanMs / p50, 1),
    export: { csv, xlsx },
    targets: { insightsP95Under500ms: p95 < 500 },
    cpus: cpus().length,
    loadavg: loadavg().map((l) => round(l, 2)),
    totalSeconds: round((performance.now() - started) / 1000),
  };
  console.log(JSON.stringify(out));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
