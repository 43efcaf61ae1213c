// People against the real browser host, in one shop from its first run: setup, an
// invitation for a cashier, the cashier joining and seeing only the cashier's areas, a
// used code refused, wrong PINs and the lockout, Lock and the idle lock.
import type { Page } from '@playwright/test';
import { enterPin, expect, expectSignedIn, personMenu, setupShop, SHOP, signIn, startHost, stopHost, test, type Host } from './fixtures';

test.describe.configure({ mode: 'serial' });

const CASHIER = { name: 'Carl Cashier', email: 'carl@example.com', pin: '1357' };

let host: Host;
let page: Page;
let invitationCode = '';

const nav = () => page.getByRole('navigation', { name: 'Areas' });
const h1 = () => page.getByRole('heading', { level: 1 });

test.beforeAll(async ({ browser }) => {
  host = await startHost();
  page = await browser.newPage();
  await page.goto(host.url);
});

test.afterAll(async () => {
  await page?.close();
  if (host) await stopHost(host);
});

test('first-run setup: the core checks the fields, then the owner is signed in', async () => {
  await expect(page.getByRole('heading', { name: 'Set up your shop' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Time zone', exact: true })).not.toHaveValue('');

  // Nothing but a short PIN: the core's field errors land on the inputs.
  await page.getByLabel('PIN', { exact: true }).fill('12');
  await page.getByLabel('PIN again', { exact: true }).fill('12');
  await page.getByRole('button', { name: 'Create the shop and sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('VALIDATION');
  await expect(page.getByText('Enter the shop name.', { exact: true })).toBeVisible();
  await expect(page.getByText('A PIN has at least 4 digits.', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Shop name')).toHaveAttribute('aria-invalid', 'true');

  const owner = await setupShop(page);
  expect(owner).toEqual({ ownerName: SHOP.ownerName, pin: SHOP.pin });
  await expectSignedIn(page, SHOP.ownerName);
  await expect(page.getByRole('banner')).toContainText(SHOP.shopName);
  await expect(nav().getByRole('link')).toHaveCount(7);
});

test('the owner invites a cashier and is shown the one-time code', async () => {
  await page.keyboard.press('Alt+3');
  await expect(h1()).toHaveText('People & balances');
  const people = page.getByRole('region', { name: 'People', exact: true });
  await expect(people.getByRole('row', { name: new RegExp(SHOP.ownerName) })).toContainText('Owner / admin');

  await page.getByRole('button', { name: 'Invite someone' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite someone' });
  await dialog.getByLabel('E-mail').fill(CASHIER.email);
  await expect(dialog.getByRole('combobox', { name: 'Role', exact: true })).toHaveValue('Cashier');
  await dialog.getByRole('combobox', { name: 'The code works for' }).click();
  await page.getByRole('option', { name: '7 days' }).click();
  await dialog.getByRole('button', { name: 'Create invitation' }).click();

  const shown = page.getByRole('dialog', { name: 'Hand over the invitation code' });
  await expect(shown).toContainText('Shown only this once');
  await expect(shown.getByRole('button', { name: 'Copy code' })).toBeVisible();
  invitationCode = (await shown.getByTestId('invitation-code').textContent())!.trim();
  expect(invitationCode).toMatch(/^cbi-[0-9a-f]{8}-[A-Za-z0-9_-]{20}$/);
  await shown.getByRole('button', { name: 'Done' }).click();

  const invitations = page.getByRole('region', { name: 'Invitations' });
  await expect(invitations.getByRole('row', { name: new RegExp(CASHIER.email) })).toContainText('Waiting');
});

test('the cashier redeems the invitation, is signed in and sees only the cashier areas', async () => {
  await personMenu(page, 'Switch person');
  await expect(page.getByRole('heading', { name: 'Who is signing in?' })).toBeVisible();
  const tiles = page.getByRole('list', { name: 'Who is signing in?' }).getByRole('button');
  await expect(tiles).toHaveText([new RegExp(SHOP.ownerName)]);

  await page.getByRole('button', { name: 'I have an invitation' }).click();
  await page.getByLabel('Invitation code').fill(invitationCode);
  await page.getByLabel('Your name').fill(CASHIER.name);
  await page.getByLabel('Choose a PIN').fill(CASHIER.pin);
  await page.getByLabel('PIN again').fill(CASHIER.pin);
  await page.getByRole('button', { name: 'Join and sign in' }).click();

  await expectSignedIn(page, CASHIER.name);
  await expect(nav().getByRole('link')).toHaveText([/^Counter/, /^Sync/]);
  // People (the previous person's area) is not reachable: by shortcut or by URL.
  await expect(h1()).toHaveText('Counter');
  await page.keyboard.press('Alt+3');
  await expect(h1()).toHaveText('Counter');
  await page.evaluate(() => (window.location.hash = '#/people'));
  await expect(h1()).toHaveText('Counter');
  expect(new URL(page.url()).hash).toBe('#/counter');
  await page.keyboard.press('Alt+6');
  await expect(h1()).toHaveText('Sync');
});

test('a used invitation code is refused with its message', async () => {
  await personMenu(page, 'Switch person');
  await expect(page.getByRole('list', { name: 'Who is signing in?' }).getByRole('button')).toHaveCount(2);
  await page.getByRole('button', { name: 'I have an invitation' }).click();
  await page.getByLabel('Invitation code').fill(invitationCode);
  await page.getByLabel('Your name').fill('Somebody Else');
  await page.getByLabel('Choose a PIN').fill('9999');
  await page.getByLabel('PIN again').fill('9999');
  await page.getByRole('button', { name: 'Join and sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/This invitation was already used on \d{4}-\d\d-\d\d/);
  await page.getByRole('button', { name: 'Back to sign-in' }).click();
});

test('the owner sees the cashier in People and the invitation used', async () => {
  await signIn(page, SHOP.ownerName, SHOP.pin);
  await page.keyboard.press('Alt+3');
  const people = page.getByRole('region', { name: 'People', exact: true });
  const row = people.getByRole('row', { name: new RegExp(CASHIER.name) });
  await expect(row).toContainText('Cashier');
  await expect(row).toContainText('Active');
  await expect(row).toContainText(CASHIER.email);
  await expect(page.getByRole('region', { name: 'Invitations' }).getByRole('row', { name: new RegExp(CASHIER.email) })).toContainText('Used');
});

test('Lock keeps the screen: the same person signs back in to it', async () => {
  await page.keyboard.press('Alt+7');
  await expect(h1()).toHaveText('Settings');
  await personMenu(page, 'Lock');
  await expect(page.getByRole('heading', { level: 1, name: SHOP.ownerName })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toHaveCount(0);
  await enterPin(page, SHOP.ownerName, SHOP.pin);
  await expectSignedIn(page, SHOP.ownerName);
  await expect(h1()).toHaveText('Settings');
});

test('wrong PINs say how many attempts are left, then pause sign-in', async () => {
  await personMenu(page, 'Switch person');
  await enterPin(page, CASHIER.name, '0000');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('That PIN is not right. 4 attempts left before a pause.');
  for (const left of [3, 2, 1, 0]) {
    await enterPin(page, CASHIER.name, '0000');
    await expect(alert).toContainText(`That PIN is not right. ${left} attempt${left === 1 ? '' : 's'} left before a pause.`);
  }
  await enterPin(page, CASHIER.name, '0000');
  await expect(alert).toContainText('Too many attempts: wait 30 seconds.');
  await expect(alert).toContainText('Paused after too many wrong PINs');
  // Even the right PIN has to wait; the button says for how long.
  await expect(page.getByRole('button', { name: /^Try again in 0:[0-3]\d$/ })).toBeDisabled();
});

test('the window locks itself after the idle time', async ({ browser }) => {
  const other = await browser.newPage();
  try {
    await other.clock.install();
    await other.goto(host.url);
    await setupShop(other);
    await expect(other.getByRole('navigation', { name: 'Areas' })).toBeVisible();
    await other.clock.fastForward('05:10');
    await expect(other.getByRole('status').filter({ hasText: 'Locked after 5 minutes without activity. Sign in again.' })).toBeVisible();
    await expect(other.getByLabel('PIN or password', { exact: true })).toBeVisible();
    await expect(other.getByRole('navigation', { name: 'Areas' })).toHaveCount(0);
  } finally {
    await other.close();
  }
});
