// The Audit screen against the real browser host: the first-run setup (an ordinary
// operation that writes through the write path) shows up in the log with its diff,
// filters narrow the list, verification reports the chain intact, and a long log
// scrolls (virtualised) and loads older pages.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, setupShop, SHOP, startHost, stopHost, test } from './fixtures';

async function openAudit(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit');
}

const entries = (page: Page) => page.getByRole('listbox', { name: 'Audit entries, newest first' });

/** Picks an option of the searchable "Record type" select by typing its label. */
async function chooseRecordType(page: Page, label: string): Promise<void> {
  const input = page.getByLabel('Record type', { exact: true }).first();
  await input.click();
  await input.fill(label);
  await page.getByRole('option', { name: label, exact: true }).click();
}

test('the setup appears in the audit log with its diff, and the chain verifies intact', async ({ app }) => {
  await openAudit(app);

  // The shop setup wrote three records; each has its own entry, by the owner.
  const setupRows = entries(app).getByRole('option').filter({ hasText: 'shop.setup' });
  await expect(setupRows).toHaveCount(3);
  await expect(setupRows.first()).toContainText(SHOP.ownerName);

  // Narrow to the shop profile and open its entry.
  await chooseRecordType(app, 'Shop profile');
  await expect(entries(app).getByRole('option')).toHaveCount(1);
  await expect(entries(app).getByRole('option')).toContainText('Shop profile');
  await entries(app).getByRole('option').click();

  const details = app.getByRole('region', { name: 'Entry details' });
  await expect(details).toContainText('shop.setup');
  await expect(details).toContainText(SHOP.ownerName);
  const diff = details.getByRole('table', { name: 'Changed fields' });
  await expect(diff.getByRole('row', { name: /Shop name/ })).toContainText(SHOP.shopName);
  await expect(diff.getByRole('row', { name: /Invoice prefix/ })).toContainText(SHOP.invoicePrefix);

  // The owner's record: the PIN hash is in the chain but never on screen.
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await chooseRecordType(app, 'Users');
  await expect(entries(app).getByRole('option')).toHaveCount(1);
  await expect(entries(app).getByRole('option')).toContainText('Users');
  await entries(app).getByRole('option').click();
  await expect(diff.getByRole('row', { name: /Pin hash/ })).toContainText('(hidden)');
  await expect(diff.getByRole('row', { name: /^Name/ })).toContainText(SHOP.ownerName);

  // The action filter takes a prefix ending in a dot.
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await app.getByLabel('Action', { exact: true }).fill('shop.');
  await expect(entries(app).getByRole('option')).toHaveCount(3);
  await app.getByLabel('Action', { exact: true }).fill('no-such-action');
  await expect(app.getByText('No entries match these filters.')).toBeVisible();

  // Verification: every device's chain, intact.
  const chain = app.getByRole('region', { name: 'Chain status' });
  await chain.getByRole('button', { name: 'Verify the log' }).click();
  await expect(chain.getByRole('status')).toContainText('Intact');
  const device = chain.getByRole('table', { name: 'Chain status per device' }).getByRole('row').nth(1);
  await expect(device).toContainText(`${SHOP.deviceName} (${SHOP.deviceCode})`);
  await expect(device).toContainText('intact');
});

test('keyboard: arrow keys move through the entries and the details follow', async ({ app }) => {
  await openAudit(app);
  const list = entries(app);
  await expect(list.getByRole('option').first()).toBeVisible();
  await list.focus();
  await app.keyboard.press('ArrowDown');
  await expect(list.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('ArrowDown');
  await expect(list.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByRole('region', { name: 'Entry details' }).getByRole('table', { name: 'Changed fields' })).toBeVisible();
});

/** Writes `count` expenses through the core's write path into a fresh data folder (before the host starts). */
function seedExpenses(dataDir: string, count: number): void {
  const repo = resolve(__dirname, '..');
  const script = join(mkdtempSync(join(tmpdir(), 'counterbook-seed-')), 'seed.ts');
  writeFileSync(
    script,
    `import { startCore } from ${JSON.stringify(join(repo, 'src/main/core/core'))};
import { silentLogger } from ${JSON.stringify(join(repo, 'src/main/core/log'))};
import { newId } from ${JSON.stringify(join(repo, 'src/shared/ids'))};
(async () => {
  const core = await startCore({ dataDir: ${JSON.stringify(dataDir)}, appVersion: '0.0.0-e2e', host: 'test', logger: silentLogger });
  for (let i = 0; i < ${count}; i++) {
    await core.writes.run({ action: 'expense.create', actor: { userId: '', name: 'seed' } }, (tx) =>
      tx.insert('expenses', { id: newId(), amountMinor: 100 + i, currency: 'KES', categoryId: '', description: 'Seeded expense ' + i, day: '2026-11-20', deviceId: core.deviceId, paidFrom: 'other' } as never));
  }
  await core.close();
})();
`,
  );
  const result = spawnSync(join(repo, 'node_modules/.bin/tsx'), [script], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`seeding failed: ${result.stdout}${result.stderr}`);
}

test('a long log is virtualised and loads older pages as you scroll', async ({ browser }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'counterbook-e2e-audit-'));
  seedExpenses(dataDir, 240);
  const host = await startHost(dataDir);
  const page = await browser.newPage();
  try {
    await page.goto(host.url);
    await setupShop(page);
    await openAudit(page);
    const list = entries(page);
    await expect(list.getByRole('option').first()).toHaveAttribute('aria-setsize', /\d+/);
    // Only the visible rows are in the page, not every entry.
    expect(await list.getByRole('option').count()).toBeLessThan(40);
    // 3 setup entries + 240 expenses; the first page holds 100.
    const total = 243;
    await expect(async () => {
      await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(list.locator(`[aria-posinset="${total}"]`)).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(list.locator(`[aria-posinset="${total}"]`)).toContainText('expense.create');
    await expect(list.locator(`[aria-posinset="${total}"]`)).toHaveAttribute('aria-setsize', String(total));
    await expect(page.getByRole('button', { name: 'Load older entries' })).toHaveCount(0);
    await list.locator(`[aria-posinset="${total}"]`).click();
    await expect(page.getByRole('region', { name: 'Entry details' }).getByRole('row', { name: /Description/ })).toContainText('Seeded expense 0');
  } finally {
    await page.close();
    await stopHost(host);
  }
});
