// Backups against the real browser host: back up from the screen, see it listed with
// its size and checksum, verify it, change something, restore the backup and find the
// change gone (and the data from before the restore kept as a backup).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SHOP, expect, test } from './fixtures';

async function openArea(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: label, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(label);
}

const backupRow = (page: Page, note: string) => page.getByRole('row', { name: new RegExp(`Backup of .*: ${note}$`) });

test('create, list, verify and restore a backup from the Backups screen', async ({ app, host }) => {
  await openArea(app, 'Backups');
  await expect(app.getByText('No backups yet.', { exact: false })).toBeVisible();

  // Back up now, with a note.
  await app.getByRole('textbox', { name: 'Note (optional)' }).fill('e2e first backup');
  await app.getByRole('button', { name: 'Back up now' }).click();
  const created = app.getByRole('status').filter({ hasText: 'Backup created' });
  await expect(created).toBeVisible({ timeout: 30_000 });
  await expect(created).toContainText(join(host.dataDir, 'backups'));

  // Listed with size, checksum, kind and retention.
  const row = backupRow(app, 'e2e first backup');
  await expect(row).toBeVisible();
  await expect(row).toContainText(/\d+(\.\d)? (KB|MB)/);
  await expect(row).toContainText(/[0-9a-f]{12}…/);
  await expect(row).toContainText('Manual');
  await expect(row).toContainText('Kept until deleted');
  await expect(row).toContainText('not verified yet');
  const files = readdirSync(join(host.dataDir, 'backups'));
  expect(files.filter((f) => f.endsWith('.cbbackup.sqlite'))).toHaveLength(1);
  expect(files.filter((f) => f.endsWith('.cbbackup.sqlite.json'))).toHaveLength(1);

  // Verify.
  await row.getByRole('button', { name: 'Verify' }).click();
  const verifyDialog = app.getByRole('dialog', { name: /Verify the backup of/ });
  const verdict = verifyDialog.getByRole('status');
  await expect(verdict).toContainText('The backup is intact.', { timeout: 30_000 });
  await expect(verdict).toContainText('✓ Checksum: SHA-256 matches');
  await expect(verdict).toContainText('✓ Integrity: PRAGMA integrity_check: ok.');
  await expect(verdict).toContainText('✓ Opens as a store');
  await verifyDialog.getByRole('button', { name: 'Close' }).click();
  await expect(row).toContainText('verified');

  // Change something after the backup: the shop's name.
  await openArea(app, 'Settings');
  const shopName = app.getByRole('textbox', { name: 'Shop name' });
  await expect(shopName).toHaveValue(SHOP.shopName);
  await shopName.fill('Renamed after the backup');
  await app.getByRole('button', { name: 'Save shop details' }).click();
  await expect(app.getByRole('alert').filter({ hasText: 'The shop details were saved.' })).toBeVisible();

  // Restore the backup.
  await openArea(app, 'Backups');
  await backupRow(app, 'e2e first backup').getByRole('button', { name: 'Restore' }).click();
  const restoreDialog = app.getByRole('dialog', { name: 'Restore this backup?' });
  await expect(restoreDialog).toContainText('Anything written after that is no longer in it.');
  await restoreDialog.getByRole('button', { name: 'Restore this backup' }).click();
  const restored = restoreDialog.getByRole('status');
  await expect(restored).toContainText('Restored', { timeout: 60_000 });
  await expect(restored).toContainText(/The data you had before is kept in counterbook-.*-pre-restore-.*\.cbbackup\.sqlite/);
  await restoreDialog.getByRole('button', { name: 'Close' }).click();

  // The pre-restore backup is listed too, and the change made after the backup is gone.
  await expect(app.getByRole('row', { name: /Backup of .*: Before restoring the backup of \d{4}-\d\d-\d\d \d\d:\d\d UTC$/ })).toContainText('Before a restore');
  await openArea(app, 'Settings');
  await expect(app.getByRole('textbox', { name: 'Shop name' })).toHaveValue(SHOP.shopName);
  expect(existsSync(join(host.dataDir, 'backup-restore.json'))).toBe(false);
});
