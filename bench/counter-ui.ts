// The Chromium-driven part of `npm run bench -- counter`: Debian's Chromium (never a
// Playwright download) on the browser host, two windows of the app:
//  - the cashier's window (Counter › Sell), signed in as a cashier: each sale is rung up
//    as at the counter, by scanning barcodes into the search box (typed, then Enter),
//    paying with Alt+K (card) or Alt+C (cash) for the amount due, and Ctrl+Enter;
//  - a manager's window on Counter › Sales (today, this register), which refreshes on its
//    own when a sale is written; at the end it opens Counter › Insights and picks the period.
// Two phases, each in a fresh browser, differ only in where the manager's window lives:
//  - 'own-process' (the figure): a page of a second browser context, so its own renderer
//    process and main thread, as in the product (src/main/shell/window.ts: one
//    BrowserWindow per renderer process; security.ts refuses window.open; a manager reads
//    the list on another window or device);
//  - 'same-process' (the earlier set-up, for comparison): a window.open popup of the
//    cashier's page, which shares the cashier's renderer process and main thread.
// Each phase checks where the list window runs (the cashier's page busies its main thread
// for 200 ms while the list page plays message ping-pong: none runs on a shared thread), and the own-process phase
// measures the offset between the two pages' clocks (performance.timeOrigin +
// performance.now(), read alternately, bracketed).
// The stopwatch is in the pages (./counter-probe.ts); Playwright only types and waits, so
// its round trips are outside the measured intervals.
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { installProbe, installWireLog, type InsightsTiming, type ProbeApi, type SaleTiming } from './counter-probe';

export type ListWindow = 'own-process' | 'same-process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags the end-to-end tests use (playwright.config.ts): root, no GPU, no background traffic. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export interface UiOptions {
  url: string;
  cashierName: string;
  managerName: string;
  pin: string;
  /** Barcodes of products sold by the piece (a sale scans 1 to 3 of them). */
  barcodes: string[];
  warmup: number;
  timed: number;
  period: { from: string; to: string };
  insightsRuns: number;
  log: (msg: string) => void;
  /** Log each sale's timings and WebSocket traffic (stderr). */
  trace?: boolean;
}

export interface PhaseResult {
  listWindow: ListWindow;
  sales: SaleTiming[];
  /** While the cashier's page kept its main thread busy for BLOCK_MS: how often the list page's main thread ran a ping, and its longest pause. */
  listWhileCashierBlocked: { pings: number; longestPauseMs: number };
  /** No ping at all: the two windows share one main thread. */
  sharedMainThread: boolean;
}

export interface UiResult {
  ownProcess: PhaseResult;
  sameProcess: PhaseResult;
  /** List page's clock minus the cashier page's (own-process phase), from the tightest of the bracketed readings. */
  clock: { offsetMs: number; plusMinusMs: number; readings: number };
  insights: InsightsTiming[];
  chromium: string;
}

/** How long the cashier's page busies its main thread in the shared-main-thread check. */
const BLOCK_MS = 200;

const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((target) => target);';

type ProbeWindow = Window & { __cbProbe: ProbeApi; __cbList?: Window | null };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** From whatever screen the app opened on (people tiles, or a preselected person), signs `name` in. */
async function signIn(page: Page, name: string, pin: string): Promise<void> {
  const pinField = page.getByLabel('PIN or password', { exact: true });
  const people = page.getByRole('list', { name: 'Who is signing in?' });
  await people.or(pinField).first().waitFor({ timeout: 60_000 });
  const preselected = page.getByRole('heading', { level: 1, name, exact: true });
  if (!((await pinField.isVisible()) && (await preselected.isVisible()))) {
    if (await pinField.isVisible()) await page.getByRole('button', { name: 'Someone else' }).click();
    await people.getByRole('button', { name: new RegExp(`^${escapeRegExp(name)},`) }).click();
  }
  await pinField.fill(pin);
  await pinField.press('Enter');
  await page.getByTestId('signed-in-name').filter({ hasText: name }).waitFor({ timeout: 30_000 });
}

async function openCounterTab(page: Page, tab: string): Promise<void> {
  await page.keyboard.press('Alt+1');
  await page.getByRole('heading', { level: 1, name: 'Counter' }).waitFor();
  const t = page.getByRole('tab', { name: tab, exact: true });
  if ((await t.getAttribute('aria-selected')) !== 'true') await t.click();
}

async function waitFocused(locator: Locator): Promise<void> {
  await locator.evaluate(
    (el) =>
      new Promise<void>((resolve) => {
        const check = (): void => (document.activeElement === el ? resolve() : void requestAnimationFrame(check));
        check();
      }),
  );
}

/** The offset of `b`'s clock from `a`'s: read a, b, a again; the tightest bracket wins. */
async function clockOffset(a: Page, b: Page, readings = 25): Promise<UiResult['clock']> {
  const now = (p: Page): Promise<number> => p.evaluate(() => (window as unknown as ProbeWindow).__cbProbe.now());
  let best = { offsetMs: 0, plusMinusMs: Infinity, readings };
  for (let i = 0; i < readings; i++) {
    const a1 = await now(a);
    const t = await now(b);
    const a2 = await now(a);
    const plusMinus = (a2 - a1) / 2;
    if (plusMinus < best.plusMinusMs) best = { offsetMs: t - (a1 + a2) / 2, plusMinusMs: plusMinus, readings };
  }
  return { offsetMs: Math.round(best.offsetMs * 100) / 100, plusMinusMs: Math.round(best.plusMinusMs * 100) / 100, readings };
}

/**
 * Whether the list page runs on the cashier's main thread: the cashier's page keeps its
 * main thread busy for BLOCK_MS while the list page plays message ping-pong on its own;
 * on a shared thread no ping runs meanwhile.
 */
async function listWhileCashierBlocked(cashier: Page, list: Page): Promise<{ pings: number; longestPauseMs: number }> {
  await list.evaluate(() => (window as unknown as ProbeWindow).__cbProbe.watchPings());
  const [from, to] = await cashier.evaluate((ms) => (window as unknown as ProbeWindow).__cbProbe.block(ms), BLOCK_MS);
  // A thread shared with the cashier's runs the ping-pong again only after the block.
  await list.waitForTimeout(20);
  return list.evaluate(({ from, to }) => (window as unknown as ProbeWindow).__cbProbe.pingsBetween(from, to), { from, to });
}

interface Phase {
  browser: Browser;
  cashier: Page;
  list: Page;
}

/** A fresh browser with the cashier signed in on Counter › Sell and the manager's window on Counter › Sales. */
async function openPhase(o: UiOptions, listWindow: ListWindow): Promise<Phase> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const newContext = async (): Promise<BrowserContext> => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      // tsx compiles this file with esbuild's keepNames: functions sent into the page call its
      // __name helper, which the page lacks.
      await context.addInitScript({ content: NAME_SHIM });
      await context.addInitScript({ content: `${NAME_SHIM}(${installWireLog.toString()})();` });
      await context.addInitScript({ content: `${NAME_SHIM}(${installProbe.toString()})();` });
      return context;
    };
    const cashierContext = await newContext();
    const cashier = await cashierContext.newPage();
    // Printing would open a dialog: the cashier does not print here.
    await cashier.addInitScript(() => {
      window.print = () => undefined;
    });
    await cashier.goto(o.url);
    await signIn(cashier, o.cashierName, o.pin);
    o.log(`[${listWindow}] cashier ${o.cashierName} signed in`);

    let list: Page;
    if (listWindow === 'same-process') {
      [list] = await Promise.all([
        cashier.waitForEvent('popup'),
        cashier.evaluate((url) => {
          (window as unknown as ProbeWindow).__cbList = window.open(url, 'cb-sales-list', 'popup,width=1440,height=900');
        }, o.url),
      ]);
      await list.waitForLoadState();
    } else {
      list = await (await newContext()).newPage();
      await list.goto(o.url);
    }
    await signIn(list, o.managerName, o.pin);
    await openCounterTab(list, 'Sales');
    await list.locator('[role="grid"][aria-label^="Sales of "]').waitFor();
    o.log(`[${listWindow}] sales list open for ${o.managerName}`);
    return { browser, cashier, list };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Rings up warmup + timed sales in the cashier's window; returns the timed ones. */
async function sell(o: UiOptions, { browser, cashier, list }: Phase, listWindow: ListWindow): Promise<SaleTiming[]> {
  await openCounterTab(cashier, 'Sell');
  const search = cashier.getByRole('combobox', { name: 'Search products or scan a barcode' });
  const cartRows = cashier.getByTestId('cart').locator('tbody tr.cb-cart-row');
  await waitFocused(search);
  const own = listWindow === 'own-process';
  const trace = !!o.trace;

  const sales: SaleTiming[] = [];
  const total = o.warmup + o.timed;
  // Diagnosis: a Chromium performance trace of the selling (what the main threads did).
  if (trace) await browser.startTracing(cashier, { path: traceFile(listWindow), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler'] });
  for (let i = 0; i < total; i++) {
    const lines = 1 + (i % 3);
    for (let k = 0; k < lines; k++) {
      // A scanner types the code fast and ends with Enter.
      await cashier.keyboard.type(o.barcodes[(i * 7 + k * 13) % o.barcodes.length]!);
      await cashier.keyboard.press('Enter');
      await cartRows.nth(k).waitFor();
    }
    await cashier.keyboard.press(i % 2 === 0 ? 'Alt+k' : 'Alt+c');
    await cashier.getByTestId('change-due').waitFor();

    if (own) await list.evaluate((watch) => (window as unknown as ProbeWindow).__cbProbe.armList(watch), trace);
    await cashier.evaluate((watch) => (window as unknown as ProbeWindow).__cbProbe.armSale(watch), trace);
    await cashier.keyboard.press('Control+Enter');
    const c = await cashier.evaluate(() => (window as unknown as ProbeWindow).__cbProbe.sale(20_000));
    let timing: SaleTiming;
    if (own) {
      const seen = await list.evaluate(({ invoice }) => (window as unknown as ProbeWindow).__cbProbe.listed(invoice, 20_000), { invoice: c.invoice });
      const readyAt = Math.max(c.receiptAt, seen.seenAt);
      const listSide = trace
        ? await list.evaluate(({ from, to }) => ({ wire: (window as unknown as ProbeWindow).__cbProbe.wire(from, to), busy: (window as unknown as ProbeWindow).__cbProbe.busy(from) }), { from: c.t0, to: readyAt })
        : { wire: [], busy: [] };
      timing = {
        invoice: c.invoice,
        invoiceMs: c.invoiceAt - c.t0,
        receiptMs: c.receiptAt - c.t0,
        listedMs: seen.seenAt - c.t0,
        readyMs: readyAt - c.t0,
        paintedMs: Math.max(c.paintedAt, seen.paintedAt) - c.t0,
        inputLagMs: c.inputLagMs,
        wire: { cashier: trace ? await cashier.evaluate(({ from, to }) => (window as unknown as ProbeWindow).__cbProbe.wire(from, to), { from: c.t0, to: readyAt }) : [], list: listSide.wire },
        busy: { cashier: c.busy, list: listSide.busy },
      };
    } else {
      const listedAt = c.listedAt!;
      timing = {
        invoice: c.invoice,
        invoiceMs: c.invoiceAt - c.t0,
        receiptMs: c.receiptAt - c.t0,
        listedMs: listedAt - c.t0,
        readyMs: Math.max(c.receiptAt, listedAt) - c.t0,
        paintedMs: c.paintedAt - c.t0,
        inputLagMs: c.inputLagMs,
        wire: c.wire,
        busy: { cashier: c.busy, list: [] },
      };
    }
    if (i >= o.warmup) sales.push(timing);
    if (trace) {
      o.log(
        `[${listWindow}] sale ${i + 1} ${JSON.stringify({ ...timing, wire: undefined, busy: undefined })}\n  cashier: ${timing.wire.cashier.join(' ')}\n  list: ${timing.wire.list.join(' ')}\n  busy: ${timing.busy.cashier.join(' ')}${own ? `\n  list busy: ${timing.busy.list.join(' ')}` : ''}`,
      );
    }
    if ((i + 1) % 20 === 0) o.log(`[${listWindow}] sale ${i + 1}/${total}: ${timing.invoice} ready in ${timing.readyMs.toFixed(1)} ms (painted ${timing.paintedMs.toFixed(1)} ms)`);

    // Enter starts the next sale.
    await cashier.keyboard.press('Enter');
    await cashier.getByText('The cart is empty').waitFor();
    await waitFocused(search);
  }
  if (trace) {
    await browser.stopTracing();
    o.log(`Chromium trace written to ${traceFile(listWindow)}`);
  }
  return sales;
}

const traceFile = (listWindow: ListWindow): string => `/tmp/counter-bench-trace${listWindow === 'same-process' ? '-same-process' : ''}.json`;

/** Insights in the manager's window: the period is typed into the two date fields. */
async function timeInsights(o: UiOptions, list: Page): Promise<InsightsTiming[]> {
  await openCounterTab(list, 'Insights');
  await list.getByTestId('insights-period').waitFor({ timeout: 120_000 });
  const fromField = list.locator('input[type="date"][aria-label="From"]').first();
  const toField = list.locator('input[type="date"][aria-label="To"]').first();
  const shownPeriod = (from: string, to: string) => list.locator(`[data-testid="insights-period"][data-from="${from}"][data-to="${to}"]`);
  await toField.fill(o.period.to);
  await shownPeriod(o.period.to, o.period.to).waitFor({ timeout: 60_000 });
  const insights: InsightsTiming[] = [];
  for (let r = 0; r < o.insightsRuns; r++) {
    // From the period's last day alone to the whole period (the timed change).
    await fromField.fill(o.period.to);
    await shownPeriod(o.period.to, o.period.to).waitFor({ timeout: 60_000 });
    await list.evaluate(({ from, to }) => (window as unknown as ProbeWindow).__cbProbe.armInsights(from, to), o.period);
    await fromField.fill(o.period.from);
    insights.push(await list.evaluate(() => (window as unknown as ProbeWindow).__cbProbe.insights(60_000)));
    o.log(`insights ${o.period.from}..${o.period.to}: rendered in ${insights[r]!.renderedMs.toFixed(1)} ms`);
  }
  return insights;
}

/** Both phases (the same-process one first), then Insights in the own-process manager's window. */
export async function runUi(o: UiOptions): Promise<UiResult> {
  let chromiumVersion = '';
  let clock: UiResult['clock'] = { offsetMs: 0, plusMinusMs: 0, readings: 0 };
  let insights: InsightsTiming[] = [];
  const run = async (listWindow: ListWindow): Promise<PhaseResult> => {
    const phase = await openPhase(o, listWindow);
    try {
      chromiumVersion = phase.browser.version();
      const blocked = await listWhileCashierBlocked(phase.cashier, phase.list);
      const sharedMainThread = blocked.pings === 0;
      o.log(
        `[${listWindow}] while the cashier's main thread was busy ${BLOCK_MS} ms, the list's ran ${blocked.pings} pings (longest pause ${blocked.longestPauseMs.toFixed(1)} ms): ${sharedMainThread ? 'one main thread' : 'separate main threads'}`,
      );
      if (sharedMainThread !== (listWindow === 'same-process')) throw new Error(`[${listWindow}] the list window ${sharedMainThread ? 'shares' : 'does not share'} the cashier's main thread`);
      if (listWindow === 'own-process') {
        clock = await clockOffset(phase.cashier, phase.list);
        o.log(`[own-process] list clock - cashier clock: ${clock.offsetMs} ms ± ${clock.plusMinusMs} ms`);
      }
      const sales = await sell(o, phase, listWindow);
      if (listWindow === 'own-process') insights = await timeInsights(o, phase.list);
      return { listWindow, sales, listWhileCashierBlocked: { pings: blocked.pings, longestPauseMs: Math.round(blocked.longestPauseMs * 10) / 10 }, sharedMainThread };
    } finally {
      await phase.browser.close();
    }
  };
  const sameProcess = await run('same-process');
  const ownProcess = await run('own-process');
  return { ownProcess, sameProcess, clock, insights, chromium: chromiumVersion };
}
