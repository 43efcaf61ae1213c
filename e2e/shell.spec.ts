// The app shell against the real browser host: navigation (clicks, shortcuts, URL hash),
// an API round trip, a validation error reaching the UI, and the status bar.
import type { Page } from '@playwright/test';
import { expect, setupShop, startHost, stopHost, test } from './fixtures';

const AREAS = [
  { id: 'counter', label: 'Counter', key: 'Alt+1' },
  { id: 'orders', label: 'Orders', key: 'Alt+2' },
  { id: 'people', label: 'People & balances', key: 'Alt+3' },
  { id: 'audit', label: 'Audit', key: 'Alt+4' },
  { id: 'backups', label: 'Backups', key: 'Alt+5' },
  { id: 'sync', label: 'Sync', key: 'Alt+6' },
  { id: 'settings', label: 'Settings', key: 'Alt+7' },
] as const;

const nav = (page: Page) => page.getByRole('navigation', { name: 'Areas' });
const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
/** The Counter's Sell tab, which takes focus when the Counter opens. */
const sellSearch = (page: Page) => page.getByRole('combobox', { name: 'Search products or scan a barcode' });
const pingForm = (page: Page) => page.getByRole('region', { name: 'Check the connection to the core' });

/** Settings keeps the ping form and the device status in its Device section. */
async function openDeviceSettings(page: Page): Promise<void> {
  await expect(h1(page)).toHaveText('Settings');
  const tab = page.getByRole('tablist', { name: 'Settings sections' }).getByRole('tab', { name: 'Device', exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

async function expectArea(page: Page, area: (typeof AREAS)[number], token: string): Promise<void> {
  await expect(h1(page)).toHaveText(area.label);
  await expect(nav(page).getByRole('link', { name: area.label, exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(nav(page).locator('[aria-current="page"]')).toHaveCount(1);
  const url = new URL(page.url());
  expect(url.hash).toBe(`#/${area.id}`);
  expect(url.searchParams.get('token')).toBe(token);
}

test('every area opens from the navigation, in order', async ({ app, host }) => {
  await expect(nav(app).getByRole('link')).toHaveText(AREAS.map((a) => new RegExp(`^${a.label.replace('&', '\\&')}`)));
  for (const area of [...AREAS].reverse()) {
    await nav(app).getByRole('link', { name: area.label, exact: true }).click();
    await expectArea(app, area, host.token);
  }
});

test('every area opens by its keyboard shortcut, also while typing in a field', async ({ app, host }) => {
  for (const area of AREAS) {
    await app.keyboard.press(area.key);
    await expectArea(app, area, host.token);
    // The Counter puts the cursor in the Sell search box: the next shortcut is pressed from inside it.
    if (area.id === 'counter') await expect(sellSearch(app)).toBeFocused();
  }
  // From inside the ping message input on Settings.
  await openDeviceSettings(app);
  await pingForm(app).getByRole('textbox', { name: 'Message' }).focus();
  await app.keyboard.press('Alt+2');
  await expectArea(app, AREAS[1], host.token);
  // Focus moves to the new screen's heading, for keyboard and screen-reader users.
  await expect(h1(app)).toBeFocused();
});

test('the area survives a reload and the Back button', async ({ app, host }) => {
  await app.keyboard.press('Alt+4');
  await expectArea(app, AREAS[3], host.token);
  await app.reload();
  // A reload opens a new connection to the core, which starts signed out: the area waits behind sign-in.
  await setupShop(app);
  await expectArea(app, AREAS[3], host.token);
  await app.keyboard.press('Alt+6');
  await expectArea(app, AREAS[5], host.token);
  await app.goBack();
  await expectArea(app, AREAS[3], host.token);
});

test('keyboard shortcuts help opens with ? and F1, but ? still types in a field', async ({ app }) => {
  const dialog = app.getByRole('dialog', { name: 'Keyboard shortcuts' });
  // On a screen without a focused field, ? opens the help.
  await app.keyboard.press('Alt+2');
  await expect(h1(app)).toHaveText('Orders');
  await expect(h1(app)).toBeFocused();
  await app.keyboard.press('?');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Open People & balances/ })).toContainText('Alt+3');
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The Counter's Sell tab puts the cursor in its search box: ? is typed there, and F1 still opens the help.
  await app.keyboard.press('Alt+1');
  const search = sellSearch(app);
  await expect(search).toBeFocused();
  await app.keyboard.press('?');
  await expect(search).toHaveValue('?');
  await expect(dialog).toBeHidden();
  await app.keyboard.press('F1');
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('?');

  // The same in any text field (the ping message on Settings).
  await app.keyboard.press('Alt+7');
  await openDeviceSettings(app);
  const input = pingForm(app).getByRole('textbox', { name: 'Message' });
  await input.fill('');
  await input.press('?');
  await expect(input).toHaveValue('?');
  await expect(dialog).toBeHidden();
  await input.press('F1');
  await expect(dialog).toBeVisible();
});

test('the skip link is the first Tab stop and moves focus to the screen', async ({ page, host }) => {
  // A fresh load of a screen without a focused field: focus starts at the top of the page.
  await page.goto(`${host.url}#/orders`);
  await setupShop(page);
  await expect(h1(page)).toHaveText('Orders');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).not.toBeInViewport();
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  expect(new URL(page.url()).hash).toBe('#/orders');

  // The Counter starts in the Sell search box; the skip link is still reachable: Shift+Tab walks back to it
  // through the navigation and the header, and it is the first stop of the page.
  await page.keyboard.press('Alt+1');
  await expect(sellSearch(page)).toBeFocused();
  const isFocused = () => skip.evaluate((el) => el === document.activeElement);
  for (let presses = 0; presses < 20 && !(await isFocused()); presses++) await page.keyboard.press('Shift+Tab');
  await expect(skip).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(skip).not.toBeFocused();
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  expect(new URL(page.url()).hash).toBe('#/counter');
});

test('Settings: a ping round-trips through the core', async ({ app }) => {
  await nav(app).getByRole('link', { name: 'Settings', exact: true }).click();
  await openDeviceSettings(app);
  const form = pingForm(app);
  const message = `hello from e2e ${Date.now()}`;
  await form.getByRole('textbox', { name: 'Message' }).fill(message);
  await form.getByRole('button', { name: 'Send ping' }).click();
  const echo = form.getByRole('status').filter({ hasText: 'The core echoed' });
  await expect(echo).toContainText(`“${message}”`);
  await expect(echo).toContainText(/\d+(\.\d)? m?s round trip/);
  await expect(app.getByRole('alert')).toHaveCount(0);
});

test('Settings: a message over 200 characters comes back as a VALIDATION error', async ({ app }) => {
  await app.keyboard.press('Alt+7');
  await openDeviceSettings(app);
  const form = pingForm(app);
  const input = form.getByRole('textbox', { name: 'Message' });
  await input.fill('x'.repeat(201));
  await expect(input).toHaveValue('x'.repeat(201));
  await form.getByRole('button', { name: 'Send ping' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toContainText('VALIDATION');
  await expect(alert).toContainText('Invalid input: message: Keep the message under 200 characters.');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Keep the message under 200 characters.', { exact: true })).toBeVisible();
  await expect(app.getByRole('status').filter({ hasText: 'The core echoed' })).toHaveCount(0);
});

test('Settings: About this device shows the core status', async ({ app, host }) => {
  await app.keyboard.press('Alt+7');
  await openDeviceSettings(app);
  const about = app.getByRole('region', { name: 'About this device' });
  await expect(about).toContainText('Browser (local host)');
  await expect(about).toContainText(host.dataDir);
  await expect(about).toContainText('Ready');
});

test('Sync shows the live sync status', async ({ app, browser, host }) => {
  await app.keyboard.press('Alt+6');
  await expect(h1(app)).toHaveText('Sync');
  // Not paired: the pairing card says so (its "off" state is explained there, not repeated as a badge).
  const pair = app.getByRole('region', { name: 'Pair this device' });
  await expect(pair).toContainText('This device is not connected to the business’s server');
  await expect(pair.getByRole('textbox', { name: 'Pairing code' })).toBeEditable();
  await expect(pair.getByRole('button', { name: 'Pair' })).toBeDisabled();
  await expect(app.getByRole('status', { name: 'Status' })).toContainText('Sync: Off');

  const status = app.getByRole('region', { name: 'Sync status' });
  const stat = (label: string) => status.locator('dl').filter({ has: app.getByRole('term').filter({ hasText: label }) }).getByRole('definition').first();
  await expect(stat('Last received')).toHaveText('never');
  await expect(stat('Last sent')).toHaveText('never');
  await expect(stat('Lag')).toHaveText('not measured');
  await expect(stat('Conflicts')).toHaveText('0');
  await expect(stat('Last error')).toHaveText('none');
  // Changes made before pairing wait in the queue (they go up once paired), so the count depends on
  // what earlier tests did; a new change (another window signing in is audited) shows up live.
  const waiting = stat('Waiting to send');
  await expect(waiting).toHaveText(/^\d+ changes?$/);
  const queued = async (): Promise<number> => Number(/^\d+/.exec((await waiting.textContent()) ?? '')?.[0]);
  const before = await queued();
  const other = await browser.newPage();
  try {
    await other.goto(host.url);
    await setupShop(other);
  } finally {
    await other.close();
  }
  await expect.poll(queued).toBeGreaterThan(before);
});

test('the status bar shows the connection, the store and sync', async ({ app }) => {
  const bar = app.getByRole('status', { name: 'Status' });
  await expect(bar).toHaveAttribute('aria-live', 'polite');
  await expect(bar).toContainText('Core: Connected');
  await expect(bar).toContainText('Store: Ready');
  await expect(bar).toContainText('Sync: Off');
});

test('the status bar says so when the core goes away', async ({ browser }) => {
  const own = await startHost();
  const page = await browser.newPage();
  try {
    await page.goto(own.url);
    await setupShop(page);
    const bar = page.getByRole('status', { name: 'Status' });
    await expect(bar).toContainText('Core: Connected');
    await stopHost(own);
    await expect(bar).toContainText('Core: Reconnecting…');
  } finally {
    await page.close();
    await stopHost(own);
  }
});
