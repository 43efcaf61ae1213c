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
  }
  // From inside the ping message input on Settings.
  await app.getByRole('textbox', { name: 'Message' }).focus();
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
  await app.keyboard.press('?');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Open People & balances/ })).toContainText('Alt+3');
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await app.keyboard.press('Alt+7');
  const input = app.getByRole('textbox', { name: 'Message' });
  await input.fill('');
  await input.press('?');
  await expect(input).toHaveValue('?');
  await expect(dialog).toBeHidden();
  await input.press('F1');
  await expect(dialog).toBeVisible();
});

test('the skip link moves focus to the screen', async ({ app }) => {
  await expect(h1(app)).toHaveText('Counter');
  await app.keyboard.press('Tab');
  const skip = app.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('main')).toBeFocused();
  expect(new URL(app.url()).hash).toBe('#/counter');
});

test('Settings: a ping round-trips through the core', async ({ app }) => {
  await nav(app).getByRole('link', { name: 'Settings', exact: true }).click();
  const message = `hello from e2e ${Date.now()}`;
  await app.getByRole('textbox', { name: 'Message' }).fill(message);
  await app.getByRole('button', { name: 'Send ping' }).click();
  const echo = app.getByRole('status').filter({ hasText: 'The core echoed' });
  await expect(echo).toContainText(`“${message}”`);
  await expect(echo).toContainText(/\d+(\.\d)? m?s round trip/);
  await expect(app.getByRole('alert')).toHaveCount(0);
});

test('Settings: a message over 200 characters comes back as a VALIDATION error', async ({ app }) => {
  await app.keyboard.press('Alt+7');
  const input = app.getByRole('textbox', { name: 'Message' });
  await input.fill('x'.repeat(201));
  await expect(input).toHaveValue('x'.repeat(201));
  await app.getByRole('button', { name: 'Send ping' }).click();
  const alert = app.getByRole('alert');
  await expect(alert).toContainText('VALIDATION');
  await expect(alert).toContainText('Invalid input: message: Keep the message under 200 characters.');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByText('Keep the message under 200 characters.', { exact: true })).toBeVisible();
  await expect(app.getByRole('status').filter({ hasText: 'The core echoed' })).toHaveCount(0);
});

test('Settings: About this device shows the core status', async ({ app, host }) => {
  await app.keyboard.press('Alt+7');
  const about = app.getByRole('region', { name: 'About this device' });
  await expect(about).toContainText('Browser (local host)');
  await expect(about).toContainText(host.dataDir);
  await expect(about).toContainText('Ready');
});

test('Sync shows the live sync status', async ({ app }) => {
  await app.keyboard.press('Alt+6');
  await expect(app.getByText('This device is not paired with a server.')).toBeVisible();
  await expect(app.getByRole('main').getByText('Off', { exact: true })).toBeVisible();
  await expect(app.getByRole('main')).toContainText('0 changes');
  const lastReceived = app.getByRole('main').locator('dl').filter({ has: app.getByRole('term').filter({ hasText: 'Last received' }) });
  await expect(lastReceived.getByRole('definition').first()).toHaveText('never');
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
