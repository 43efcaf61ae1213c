// Starts the real browser host (`node out/main/serve.js`, built by `npm run test:e2e`)
// on a fresh data folder for each test file, and opens its URL in Chromium. The `app`
// fixture also gets past the first-run setup and the sign-in screen, as the shop's owner.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { serveBrowserHost, stopBrowserHost } from '../test-support/browser-host';

export interface Host {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
}

export async function startHost(dataDir?: string): Promise<Host> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'counterbook-e2e-'));
  const served = await serveBrowserHost({ buildDir: resolve(__dirname, '../out'), dataDir: dir, env: { ...process.env, NODE_ENV: 'test' } });
  const parsed = new URL(served.url);
  return { ...served, origin: parsed.origin, token: parsed.searchParams.get('token')!, dataDir: dir };
}

export async function stopHost(host: Host, removeData = true): Promise<void> {
  await stopBrowserHost(host.process);
  if (removeData) rmSync(host.dataDir, { recursive: true, force: true });
}

/** The shop the fixtures set up: the owner signs in with this name and PIN. */
export const SHOP = {
  shopName: 'Corner Shop',
  currency: 'KES',
  timezone: 'Africa/Nairobi',
  invoicePrefix: 'CS',
  deviceCode: 'A1',
  deviceName: 'Front counter',
  ownerName: 'Olive Owner',
  ownerEmail: 'olive@example.com',
  pin: '4826',
} as const;

export type SetupOptions = Partial<typeof SHOP>;

/** Where the app is after loading: first-run setup, sign-in, or the app itself. */
export async function appState(page: Page): Promise<'setup' | 'signIn' | 'app'> {
  const setup = page.getByRole('heading', { name: 'Set up your shop' });
  const signIn = page.getByRole('heading', { name: 'Who is signing in?' }).or(page.getByLabel('PIN or password', { exact: true }));
  const app = page.getByRole('navigation', { name: 'Areas' });
  await expect(setup.or(signIn).or(app).first()).toBeVisible({ timeout: 20_000 });
  if (await setup.isVisible()) return 'setup';
  if (await app.isVisible()) return 'app';
  return 'signIn';
}

/** Picks an option of a searchable Mantine Select by typing part of it. */
async function pick(page: Page, label: string, search: string, option: RegExp | string): Promise<void> {
  const input = page.getByRole('combobox', { name: label, exact: true });
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}

/**
 * Runs the first-run setup through the UI and leaves the owner signed in. Idempotent:
 * when the shop is already set up it signs the owner in instead (same name and PIN).
 */
export async function setupShop(page: Page, opts: SetupOptions = {}): Promise<{ ownerName: string; pin: string }> {
  const shop = { ...SHOP, ...opts };
  const state = await appState(page);
  if (state === 'signIn') await signIn(page, shop.ownerName, shop.pin);
  if (state !== 'setup') return { ownerName: shop.ownerName, pin: shop.pin };

  await page.getByLabel('Shop name').fill(shop.shopName);
  await pick(page, 'Currency', shop.currency, new RegExp(`^${shop.currency} `));
  await pick(page, 'Time zone', shop.timezone, shop.timezone);
  await page.getByLabel('Invoice prefix').fill(shop.invoicePrefix);
  await page.getByLabel('Device code').fill(shop.deviceCode);
  await page.getByLabel('Device name').fill(shop.deviceName);
  await page.getByLabel('Your name').fill(shop.ownerName);
  await page.getByLabel('E-mail').fill(shop.ownerEmail);
  await page.getByLabel('PIN', { exact: true }).fill(shop.pin);
  await page.getByLabel('PIN again', { exact: true }).fill(shop.pin);
  await page.getByRole('button', { name: 'Create the shop and sign in' }).click();
  await expectSignedIn(page, shop.ownerName);
  return { ownerName: shop.ownerName, pin: shop.pin };
}

/** Signs a person in from the sign-in screen (their tile, then their PIN and Enter). */
export async function signIn(page: Page, name: string, pin: string): Promise<void> {
  await enterPin(page, name, pin);
  await expectSignedIn(page, name);
}

/** Picks the person (unless already preselected) and submits a PIN, without checking the outcome. */
export async function enterPin(page: Page, name: string, pin: string): Promise<void> {
  const pinField = page.getByLabel('PIN or password', { exact: true });
  const preselected = page.getByRole('heading', { level: 1, name, exact: true });
  if (!((await pinField.isVisible()) && (await preselected.isVisible()))) {
    if (await pinField.isVisible()) await page.getByRole('button', { name: 'Someone else' }).click();
    await page.getByRole('list', { name: 'Who is signing in?' }).getByRole('button', { name: new RegExp(`^${escapeRegExp(name)},`) }).click();
  }
  await pinField.fill(pin);
  await pinField.press('Enter');
}

/** The header names the signed-in person. */
export async function expectSignedIn(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('signed-in-name')).toHaveText(name);
}

/** Opens the person menu in the header and chooses an item ("Switch person", "Lock", "Change PIN…"). */
export async function personMenu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: /^Signed in: / }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const test = base.extend<{ app: Page }, { host: Host }>({
  host: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures require an object pattern
    async ({}, use) => {
      const host = await startHost();
      await use(host);
      await stopHost(host);
    },
    { scope: 'worker' },
  ],
  app: async ({ page, host }, use) => {
    await page.goto(host.url);
    await setupShop(page);
    await use(page);
  },
});

export { expect };
