// The Chromium-driven part of `npm run bench -- counter`: Debian's Chromium (never a
// Playwright download) on the browser host, two windows of the app:
//  - the cashier's window (Counter › Sell), signed in as a cashier: each sale is rung up
//    as at the counter, by scanning barcodes into the search box (typed, then Enter),
//    paying with Alt+K (card) or Alt+C (cash) for the amount due, and Ctrl+Enter;
//  - a sales-list window opened by the cashier's page (window.open), signed in as a
//    manager, on Counter › Sales (today, this register), which refreshes on its own when
//    a sale is written; at the end it opens Counter › Insights and picks the period.
// The stopwatch is in the page (./counter-probe.ts); Playwright only types and waits, so
// its round trips are outside the measured intervals.
import { chromium, type Browser, type Locator, type Page } from '@playwright/test';
import { installProbe, installWireLog, type InsightsTiming, type ProbeApi, type SaleTiming } from './counter-probe';

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

export interface UiResult {
  sales: SaleTiming[];
  insights: InsightsTiming[];
  chromium: string;
}

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

export async function runUi(o: UiOptions): Promise<UiResult> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // tsx compiles this file with esbuild's keepNames: functions sent into the page call its
    // __name helper, which the page lacks.
    await context.addInitScript({ content: NAME_SHIM });
    await context.addInitScript({ content: `${NAME_SHIM}(${installWireLog.toString()})();` });
    const cashier = await context.newPage();
    // Printing would open a dialog: the cashier does not print here.
    await cashier.addInitScript(() => {
      window.print = () => undefined;
    });
    await cashier.addInitScript({ content: `${NAME_SHIM}(${installProbe.toString()})();` });
    await cashier.goto(o.url);
    await signIn(cashier, o.cashierName, o.pin);
    o.log(`cashier ${o.cashierName} signed in`);

    const [list] = await Promise.all([
      cashier.waitForEvent('popup'),
      cashier.evaluate((url) => {
        (window as unknown as ProbeWindow).__cbList = window.open(url, 'cb-sales-list', 'popup,width=1440,height=900');
      }, o.url),
    ]);
    await list.waitForLoadState();
    await signIn(list, o.managerName, o.pin);
    await openCounterTab(list, 'Sales');
    await list.locator('[role="grid"][aria-label^="Sales of "]').waitFor();
    o.log(`sales list open for ${o.managerName}`);

    await openCounterTab(cashier, 'Sell');
    const search = cashier.getByRole('combobox', { name: 'Search products or scan a barcode' });
    const cartRows = cashier.getByTestId('cart').locator('tbody tr.cb-cart-row');
    await waitFocused(search);

    const sales: SaleTiming[] = [];
    const total = o.warmup + o.timed;
    // Diagnosis: a Chromium performance trace of the selling (what the main thread did).
    if (o.trace) await browser.startTracing(cashier, { path: '/tmp/counter-bench-trace.json', categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler'] });
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

      await cashier.evaluate((watch) => (window as unknown as ProbeWindow).__cbProbe.armSale(watch), !!o.trace);
      await cashier.keyboard.press('Control+Enter');
      const timing = await cashier.evaluate(() => (window as unknown as ProbeWindow).__cbProbe.sale(20_000));
      if (i >= o.warmup) sales.push(timing);
      if (o.trace) o.log(`sale ${i + 1} ${JSON.stringify({ ...timing, wire: undefined, busy: undefined })}\n  cashier: ${timing.wire.cashier.join(' ')}\n  list: ${timing.wire.list.join(' ')}\n  busy: ${timing.busy.join(' ')}`);
      if ((i + 1) % 20 === 0) o.log(`sale ${i + 1}/${total}: ${timing.invoice} ready in ${timing.readyMs.toFixed(1)} ms (painted ${timing.paintedMs.toFixed(1)} ms)`);

      // Enter starts the next sale.
      await cashier.keyboard.press('Enter');
      await cashier.getByText('The cart is empty').waitFor();
      await waitFocused(search);
    }

    // Insights, in the manager's window: the period is typed into the two date fields.
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
      await cashier.evaluate(({ from, to }) => (window as unknown as ProbeWindow).__cbProbe.armInsights(from, to), o.period);
      await fromField.fill(o.period.from);
      insights.push(await cashier.evaluate(() => (window as unknown as ProbeWindow).__cbProbe.insights(60_000)));
      o.log(`insights ${o.period.from}..${o.period.to}: rendered in ${insights[r]!.renderedMs.toFixed(1)} ms`);
    }
    if (o.trace) {
      await browser.stopTracing();
      o.log('Chromium trace written to /tmp/counter-bench-trace.json');
    }
    await context.close();
    return { sales, insights, chromium: browser.version() };
  } finally {
    await browser.close();
  }
}
