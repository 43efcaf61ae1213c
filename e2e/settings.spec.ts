// Settings and Sync against the real browser host: invoice prefix and tax rate saved and
// still there after a reload, the core's validation message on the prefix field, the
// unsaved-changes guard, a logo picked from a file, and pairing with a bad code.
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, setupShop, test } from './fixtures';

/** Past the first-run setup or the sign-in screen (person tiles or a preselected person), whichever the app shows. */
async function ready(page: Page): Promise<void> {
  await setupShop(page);
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
}

async function openArea(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: label, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(label);
}

async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('tablist', { name: 'Settings sections' }).getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const saved = (page: Page, message: string) => page.getByRole('alert').filter({ hasText: message });

/** A small real PNG (a 32×32 two-colour square), made here so the test needs no fixture file. */
function makePng(size = 32): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0);
    for (let x = 0; x < size; x++) rows.push(...(x + y < size ? [19, 119, 134] : [230, 119, 0]));
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

test.beforeEach(async ({ app }) => {
  await ready(app);
  await openArea(app, 'Settings');
});

test('the invoice prefix and the tax rate are saved and survive a reload', async ({ app }) => {
  await openSection(app, 'Invoices and receipts');
  const prefix = app.getByRole('textbox', { name: 'Invoice prefix' });
  await prefix.fill('kb7');
  await expect(prefix).toHaveValue('KB7');
  await expect(app.getByTestId('invoice-example')).toHaveText(/^KB7-[A-Z0-9]+-000123$/);
  await app.getByRole('button', { name: 'Save invoice settings' }).click();
  await expect(saved(app, 'The invoice and receipt settings were saved.')).toBeVisible();

  await openSection(app, 'Money and tax');
  const rate = app.getByRole('textbox', { name: 'Default tax rate' });
  // Basis points are whole: a third decimal is explained, not rounded away.
  await rate.fill('8.255');
  await expect(app.getByText(/whole basis points.*8\.25, not 8\.255/)).toBeVisible();
  await rate.fill('8.25');
  await expect(app.getByText('8.25% is stored as 825 basis points.')).toBeVisible();
  await app.getByRole('button', { name: 'Save money and tax' }).click();
  await expect(saved(app, 'The money and tax settings were saved.')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Save money and tax' })).toBeDisabled();

  await app.reload();
  await ready(app);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await openSection(app, 'Invoices and receipts');
  await expect(app.getByRole('textbox', { name: 'Invoice prefix' })).toHaveValue('KB7');
  await openSection(app, 'Money and tax');
  await expect(app.getByRole('textbox', { name: 'Default tax rate' })).toHaveValue('8.25');
});

test('an invalid prefix shows the core’s message on the field, and unsaved changes are guarded', async ({ app }) => {
  await openSection(app, 'Invoices and receipts');
  const prefix = app.getByRole('textbox', { name: 'Invoice prefix' });
  await prefix.fill('AB-12');
  await app.getByRole('button', { name: 'Save invoice settings' }).click();
  // The message is the core's (shopProfileUpdateSchema), shown on the input itself.
  await expect(prefix).toHaveAttribute('aria-invalid', 'true');
  await expect(prefix).toHaveAccessibleDescription(/Use 1 to 8 capital letters or digits\./);
  await expect(app.getByText('Unsaved changes')).toBeVisible();

  // Another section: asked first; staying keeps the edit.
  await app.getByRole('tab', { name: 'Branding' }).click();
  const dialog = app.getByRole('dialog', { name: 'Discard unsaved changes?' });
  await expect(dialog).toContainText('Invoices and receipts');
  await dialog.getByRole('button', { name: 'Stay and review' }).click();
  await expect(dialog).toBeHidden();
  await expect(prefix).toHaveValue('AB-12');

  // Another area: asked too; discarding leaves and forgets the edit.
  await app.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Counter', exact: true }).click();
  await expect(dialog).toBeVisible();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await dialog.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Counter');
  await openArea(app, 'Settings');
  await expect(app.getByRole('tab', { name: 'Invoices and receipts' })).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByRole('textbox', { name: 'Invoice prefix' })).not.toHaveValue('AB-12');
});

test('a PNG logo is checked, previewed and saved', async ({ app }) => {
  await openSection(app, 'Invoices and receipts');
  const logo = app.getByRole('group', { name: 'Logo' });

  // Not an image: refused before anything is sent.
  let chooser = app.waitForEvent('filechooser');
  await logo.getByRole('button', { name: 'Choose logo…' }).click();
  await (await chooser).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(logo).toContainText('“notes.txt” is not a PNG, JPEG, SVG or WebP image.');

  chooser = app.waitForEvent('filechooser');
  await logo.getByRole('button', { name: 'Choose logo…' }).click();
  await (await chooser).setFiles({ name: 'logo.png', mimeType: 'image/png', buffer: makePng() });
  const preview = logo.getByRole('img', { name: 'Logo preview' });
  await expect(preview).toBeVisible();
  await expect(preview).toHaveAttribute('src', /^data:image\/png;base64,iVBORw0KGgo/);
  await expect(preview).toHaveJSProperty('naturalWidth', 32);
  await expect(logo).toContainText('PNG ·');

  await app.getByRole('button', { name: 'Save invoice settings' }).click();
  await expect(saved(app, 'The invoice and receipt settings were saved.')).toBeVisible();
  await app.reload();
  await ready(app);
  await openSection(app, 'Invoices and receipts');
  await expect(app.getByRole('group', { name: 'Logo' }).getByRole('img', { name: 'Logo preview' })).toBeVisible();
  await expect(app.getByRole('group', { name: 'Logo' }).getByRole('button', { name: 'Remove' })).toBeVisible();
});

test('pairing with a bad code shows the core’s message', async ({ app }) => {
  // Watch the core's answers to sync.pair (a fresh connection, so reload after listening).
  const answers: { code: string; message: string; issues?: { path: string; message: string }[] }[] = [];
  const pairCalls = new Set<number>();
  app.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      const m = JSON.parse(String(payload)) as { type?: string; id?: number; op?: string };
      if (m.type === 'call' && m.op === 'sync.pair' && typeof m.id === 'number') pairCalls.add(m.id);
    });
    ws.on('framereceived', ({ payload }) => {
      const m = JSON.parse(String(payload)) as { type?: string; id?: number; ok?: boolean; error?: (typeof answers)[number] };
      if (m.type === 'result' && typeof m.id === 'number' && pairCalls.has(m.id) && m.ok === false && m.error) answers.push(m.error);
    });
  });
  await app.reload();
  await ready(app);
  await openArea(app, 'Sync');

  const card = app.getByRole('region', { name: 'Pair this device' });
  await expect(card).toContainText('server pair-device');
  const code = card.getByRole('textbox', { name: 'Pairing code' });

  // Too short: the core's field message, on the field.
  await code.fill('ABC');
  await card.getByRole('button', { name: 'Pair' }).click();
  await expect(code).toHaveAttribute('aria-invalid', 'true');
  await expect(code).toHaveAccessibleDescription('Paste the whole pairing code.');

  // Long enough but wrong: whatever the core answers is shown verbatim in the card,
  // on the field when the core names it, otherwise in an alert with the error code.
  await code.fill('cbpair1.WXYZ-2345-not-a-real-code');
  await card.getByRole('button', { name: 'Pair' }).click();
  await expect.poll(() => answers.length).toBe(2);
  const answer = answers[1]!;
  const onField = answer.issues?.find((i) => i.path === 'pairingCode');
  if (onField) await expect(code).toHaveAccessibleDescription(onField.message);
  else await expect(card.getByRole('alert')).toContainText(new RegExp(`This device was not paired\\s*${answer.code}\\s*${escapeRegExp(answer.message)}`));
  await expect(app.getByRole('region', { name: 'Pair this device' })).toBeVisible();
});
