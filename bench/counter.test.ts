// Smoke test of the counter benchmark: runs `bench/counter.ts --smoke` as a child process
// (a fresh build of the app, the browser host on a 2,000-sale store, Debian's Chromium
// selling 13 sales with the manager's list in its own renderer process and 13 with it as a
// popup of the cashier's page, then opening Insights twice) and checks that its last stdout line is
// one JSON object with the expected figures. No timing assertions (see DESIGN.md).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM } from './counter-ui';
import { isNumber, runBenchSmoke } from './smoke';

const chromiumMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium, or set CHROMIUM_PATH)`;
if (chromiumMissing) console.log(`[bench/counter.test.ts] skipped: the benchmark drives the app in Chromium and ${chromiumMissing}.`);

const isStats = (s: unknown, n?: number): boolean => {
  const x = s as { p50: unknown; p95: unknown; max: unknown; n: unknown } | undefined;
  return !!x && isNumber(x.p50) && isNumber(x.p95) && isNumber(x.max) && x.p50 <= x.p95 && x.p95 <= x.max && (n === undefined || x.n === n);
};

describe.skipIf(!!chromiumMissing)('bench/counter.ts --smoke', () => {
  it('drives Chromium through the browser host and prints one JSON object with every figure on its last stdout line', { timeout: 300_000 }, () => {
    const r = runBenchSmoke('counter', 280_000);
    expect(r).toMatchObject({ bench: 'counter', smoke: true, driver: 'chromium', browserDriven: true, timedSales: 10 });
    expect(r.build.fresh).toBe(true);
    expect(typeof r.chromium).toBe('string');
    expect(r.salesInStore).toBeGreaterThanOrEqual(2_000);

    // Finalise -> receipt ready and sale atop the list: the frame comes after the DOM, which comes after each part.
    expect(isStats(r.saleToReadyMs, 10), 'saleToReadyMs').toBe(true);
    for (const key of ['readyDomMs', 'invoiceShownMs', 'receiptReadyMs', 'listedMs', 'inputLagMs']) expect(isStats(r.parts[key], 10), key).toBe(true);
    expect(r.saleToReadyMs.p50).toBeGreaterThanOrEqual(r.parts.readyDomMs.p50);
    expect(r.parts.readyDomMs.max).toBeGreaterThanOrEqual(r.parts.receiptReadyMs.max);
    expect(r.parts.receiptReadyMs.p50).toBeGreaterThanOrEqual(r.parts.invoiceShownMs.p50);

    // The figure is the list in its own renderer process; the same-process set-up is reported beside it.
    expect(r.listWindow).toBe('own-process');
    expect(r.sameProcess.timedSales).toBe(10);
    expect(isStats(r.sameProcess.saleToReadyMs, 10), 'sameProcess.saleToReadyMs').toBe(true);
    for (const key of ['readyDomMs', 'invoiceShownMs', 'receiptReadyMs', 'listedMs', 'inputLagMs']) expect(isStats(r.sameProcess.parts[key], 10), `sameProcess.${key}`).toBe(true);
    expect(r.sameProcess.saleToReadyMs.p50).toBeGreaterThanOrEqual(r.sameProcess.parts.readyDomMs.p50);
    // Where the list window ran: its own main thread kept running while the cashier's was busy, the popup's did not.
    expect(r.processCheck.ownProcess.sharedMainThread).toBe(false);
    expect(r.processCheck.ownProcess.listWhileCashierBlocked.pings).toBeGreaterThan(0);
    expect(r.processCheck.sameProcess.sharedMainThread).toBe(true);
    expect(r.processCheck.sameProcess.listWhileCashierBlocked.pings).toBe(0);
    expect(isNumber(r.processCheck.clockOffsetMs) && isNumber(r.processCheck.clockOffsetPlusMinusMs)).toBe(true);

    // Insights for 90 days of the seeded data, shown with the same figures the core computes.
    expect(r.insights.periodDays).toBe(90);
    expect(r.insights.periodSales).toBeGreaterThan(500);
    expect(r.insights.sameFiguresAsRouter).toBe(true);
    expect(isStats(r.insights.ms, 2) && isStats(r.insights.renderedMs, 2)).toBe(true);

    // The anchors of the same run.
    for (const key of ['saleToReadyMs', 'finaliseMs', 'listAndReceiptAfterFinaliseMs', 'insightsMs']) expect(isStats(r.anchors.router[key]), `router.${key}`).toBe(true);
    expect(isStats(r.anchors.websocket.saleToReadyMs, 20), 'websocket.saleToReadyMs').toBe(true);
    for (const key of ['smallestCommandMs', 'smallestQueryMs', 'deviceSalesListFirstPageMs', 'invoicePdfMs']) expect(isStats(r.anchors[key]), key).toBe(true);
    for (const key of ['uiOverRouterSaleToReadyP50', 'uiOverRouterSaleToReadyP95', 'uiOverWebsocketSaleToReadyP50', 'websocketOverRouterSaleToReadyP50', 'uiOverRouterInsightsP50']) {
      expect(isNumber(r.ratios[key]), key).toBe(true);
    }
    expect(r.targets).toMatchObject({ saleToReadyP95Ms: 50, insightsMs: 500 });
    for (const key of ['saleToReadyMet', 'sameProcessSaleToReadyMet', 'insightsMet', 'met']) expect(typeof r.targets[key], key).toBe('boolean');
  });
});
