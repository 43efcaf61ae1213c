// A cashier's whole day at the counter, through the browser host in Chromium. The owner
// enters the products, an expense category and invites the cashier; the cashier records
// the opening float, sells with a split payment (card + cash with change) and on credit,
// takes cash to the safe (a manager approves with their PIN), records an expense (the
// category is suggested), takes a credit repayment (an overpayment is refused first) and
// sends a reminder; the owner refunds part of a sale; the cashier counts the drawer and
// closes the day. The Z report's figures are worked out here from what was sold; after
// the close an expense into that day and a sale are refused with the closed-day message.
//
// Set COUNTER_DAY_SCREENSHOTS=/some/dir to also save screenshots of the screens.
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, expectSignedIn, personMenu, SHOP, signIn, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 });
// The second test reads the insights of the first test's day (same browser host).
test.describe.configure({ mode: 'serial' });

/** KES, tax included in prices, no cash rounding (the fixture's shop). */
const SUGAR = { name: 'Sugar 2kg', priceMinor: 232_00, taxRateBp: 1600, barcode: '6001000000011' };
const FLOUR = { name: 'Maize flour 1kg', priceMinor: 50_00, taxRateBp: 0, barcode: '6001000000028' };
const CASHIER = { name: 'Carl Cashier', email: 'carl@example.com', pin: '1357' };
const FLOAT = 1_000_00;
const TO_SAFE = 100_00;
const EXPENSE = 150_00;
const REPAYMENT = 100_00;

/** "1,234.50" as any money text shows it (whatever the currency sign). */
const amount = (minor: number): string => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const amountRe = (minor: number): RegExp => new RegExp(`(^|[^\\d,.])${amount(minor).replace(/[.,]/g, (c) => `\\${c}`)}($|[^\\d])`);
/** Tax included in a tax-inclusive price: price × rate / (1 + rate), to the cent. */
const includedTax = (grossMinor: number, rateBp: number): number => Math.round((grossMinor * rateBp) / (10_000 + rateBp));

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.COUNTER_DAY_SCREENSHOTS;
  if (!dir) return;
  await page.waitForTimeout(400); // drawers and modals slide in
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path: join(dir, `${name}.png`) });
  await page.setViewportSize(size);
}

async function openCounterTab(page: Page, tab: string): Promise<void> {
  await page.getByRole('tablist', { name: 'Counter' }).getByRole('tab', { name: tab, exact: true }).click();
  await expect(page.getByRole('tab', { name: tab, exact: true })).toHaveAttribute('aria-selected', 'true');
}

async function addProduct(page: Page, p: typeof SUGAR): Promise<void> {
  await page.getByRole('button', { name: 'New product' }).click();
  const dialog = page.getByRole('dialog', { name: 'New product' });
  await dialog.getByLabel('Name').fill(p.name);
  await dialog.getByRole('textbox', { name: /^Price/ }).fill(amount(p.priceMinor).replace(/,/g, ''));
  await dialog.getByRole('textbox', { name: /^Tax rate/ }).fill(String(p.taxRateBp / 100));
  await dialog.getByLabel('Barcode').fill(p.barcode);
  await dialog.getByRole('button', { name: 'Add product' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Products' }).getByText(p.name)).toBeVisible();
}

async function scan(page: Page, barcode: string): Promise<void> {
  const search = page.getByRole('combobox', { name: 'Search products or scan a barcode' });
  await search.fill(barcode);
  await search.press('Enter');
  await expect(search).toHaveValue('');
}

/** A manager standing by approves with their PIN (the owner here). */
async function approve(page: Page, reason: string, expectText: string | RegExp): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Manager approval needed' });
  await expect(dialog).toContainText(expectText);
  await dialog.getByLabel("Manager's PIN").fill(SHOP.pin);
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
}

async function finalise(page: Page, approval?: { reason: string; expect: string | RegExp }): Promise<string> {
  await page.getByRole('button', { name: 'Finalise sale' }).click();
  if (approval) await approve(page, approval.reason, approval.expect);
  const number = page.getByTestId('invoice-number');
  await expect(number).toHaveText(/^CS-A1-\d+$/);
  return (await number.textContent())!.trim();
}

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

/** The owner invites a cashier (People & balances); returns the one-time code. */
async function inviteCashier(page: Page): Promise<string> {
  await openArea(page, 'People & balances');
  await page.getByRole('button', { name: 'Invite someone' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite someone' });
  await dialog.getByLabel('E-mail').fill(CASHIER.email);
  await expect(dialog.getByRole('combobox', { name: 'Role', exact: true })).toHaveValue('Cashier');
  await dialog.getByRole('button', { name: 'Create invitation' }).click();
  const shown = page.getByRole('dialog', { name: 'Hand over the invitation code' });
  const code = (await shown.getByTestId('invitation-code').textContent())!.trim();
  await shown.getByRole('button', { name: 'Done' }).click();
  return code;
}

/** The cashier joins with the code and is signed in. */
async function joinAsCashier(page: Page, code: string): Promise<void> {
  await personMenu(page, 'Switch person');
  await page.getByRole('button', { name: 'I have an invitation' }).click();
  await page.getByLabel('Invitation code').fill(code);
  await page.getByLabel('Your name').fill(CASHIER.name);
  await page.getByLabel('Choose a PIN').fill(CASHIER.pin);
  await page.getByLabel('PIN again').fill(CASHIER.pin);
  await page.getByRole('button', { name: 'Join and sign in' }).click();
  await expectSignedIn(page, CASHIER.name);
}

async function switchTo(page: Page, name: string, pin: string): Promise<void> {
  await personMenu(page, 'Switch person');
  await signIn(page, name, pin);
  await openArea(page, 'Counter');
}

/** The Sell tab's payment method buttons ("Pay by cash"…). */
const payBy = (page: Page, method: string): Locator => page.getByRole('region', { name: 'Payment' }).getByRole('button', { name: `Pay by ${method}` });

const money = (locator: Locator, minor: number) => expect(locator).toHaveText(amountRe(minor));

test('a cashier’s day: float, split payment, credit sale, cash to the safe, refund, expense, repayment, count and close', async ({ app: page }) => {
  test.setTimeout(180_000);

  // ---- The owner: the catalogue, an expense category with a keyword rule, and the cashier.
  await openArea(page, 'Counter');
  await openCounterTab(page, 'Products');
  await addProduct(page, SUGAR);
  await addProduct(page, FLOUR);

  await openCounterTab(page, 'Expenses');
  await page.getByRole('button', { name: 'Categories' }).click();
  const categories = page.getByRole('dialog', { name: 'Expense categories' });
  await categories.getByRole('button', { name: 'New category' }).click();
  await categories.getByLabel('Name').fill('Transport');
  const keywords = categories.getByRole('combobox', { name: 'Keywords' });
  await keywords.fill('fuel');
  await keywords.press('Enter');
  await categories.getByRole('button', { name: 'Add category' }).click();
  await expect(categories.getByRole('listitem').filter({ hasText: 'Transport' })).toContainText('fuel');
  await shot(page, 'expense-categories');
  await page.keyboard.press('Escape');
  await expect(categories).toBeHidden();

  const code = await inviteCashier(page);
  await joinAsCashier(page, code);
  await openArea(page, 'Counter');
  // A cashier sells and keeps the drawer, but neither edits the catalogue nor reads insights.
  await expect(page.getByRole('tablist', { name: 'Counter' }).getByRole('tab')).toHaveText(['Sell', 'Sales', 'Expenses', 'Credit', 'Drawer & close']);

  // ---- Opening float.
  await openCounterTab(page, 'Drawer & close');
  await page.getByRole('textbox', { name: `Opening float (${SHOP.currency})` }).fill(String(FLOAT / 100));
  await page.getByRole('button', { name: 'Record float' }).click();
  await money(page.getByTestId('expected-cash'), FLOAT);
  await money(page.getByTestId('drawer-float'), FLOAT);

  // ---- Sale 1: two bags of sugar and a flour, paid 300 by card and the rest in cash (250 handed over).
  await openCounterTab(page, 'Sell');
  await scan(page, SUGAR.barcode);
  await scan(page, SUGAR.barcode);
  await scan(page, FLOUR.barcode);
  const sale1Total = 2 * SUGAR.priceMinor + FLOUR.priceMinor;
  await money(page.getByTestId('sale-total'), sale1Total);
  const card = 300_00;
  const cash1 = sale1Total - card;
  const tendered = 250_00;
  await payBy(page, 'card').click();
  await page.getByRole('textbox', { name: 'Card amount' }).fill(amount(card).replace(/,/g, ''));
  await payBy(page, 'cash').click();
  await page.getByRole('textbox', { name: 'Cash amount tendered' }).fill(amount(tendered).replace(/,/g, ''));
  await money(page.getByTestId('change-due'), tendered - cash1);
  const invoice1 = await finalise(page);
  await money(page.getByTestId('done-change'), tendered - cash1);
  await page.getByRole('button', { name: 'New sale' }).click();

  // ---- Sale 2: a bag of sugar on credit for a new customer.
  const customer = 'Grace Wanjiru';
  await page.getByRole('button', { name: 'Choose a customer' }).click();
  const picker = page.getByRole('dialog', { name: 'Customer of this sale' });
  await picker.getByRole('button', { name: 'New customer' }).click();
  await picker.getByLabel('Name').fill(customer);
  await picker.getByLabel('Phone').fill('0712 345 678');
  await picker.getByRole('button', { name: 'Add and choose' }).click();
  await expect(page.getByTestId('cart-customer')).toHaveText(customer);
  await scan(page, SUGAR.barcode);
  await money(page.getByTestId('sale-total'), SUGAR.priceMinor);
  await payBy(page, 'customer credit').click();
  // A customer without a credit limit buys on credit only with a manager's approval.
  const invoice2 = await finalise(page, { reason: 'Regular customer', expect: 'no credit limit' });
  await page.getByRole('button', { name: 'New sale' }).click();

  // ---- Cash to the safe: opening the drawer without a sale needs the owner's PIN.
  await openCounterTab(page, 'Drawer & close');
  await page.getByRole('button', { name: 'Cash out' }).click();
  const cashOut = page.getByRole('dialog', { name: 'Cash in or out of the drawer' });
  await cashOut.getByRole('textbox', { name: /^Amount/ }).fill(String(TO_SAFE / 100));
  await cashOut.getByLabel('Reason').fill('Cash to the safe');
  await cashOut.getByRole('button', { name: 'Record cash out' }).click();
  await approve(page, 'Midday safe drop', 'a manager must approve it');
  await expect(cashOut).toBeHidden();
  await expect(page.getByRole('list', { name: 'Drawer entries' })).toContainText('Cash to the safe');

  // ---- The owner refunds one bag of sugar from sale 1, in cash (a cashier cannot refund).
  await switchTo(page, SHOP.ownerName, SHOP.pin);
  await openCounterTab(page, 'Sales');
  await page.getByRole('row', { name: new RegExp(`^${invoice1},`) }).click();
  await page.getByRole('button', { name: 'Refund…' }).click();
  const refund = page.getByRole('dialog', { name: `Refund from ${invoice1}` });
  await refund.getByRole('textbox', { name: `Quantity of ${SUGAR.name} to refund` }).fill('1');
  await refund.getByRole('radiogroup', { name: 'Refund method' }).getByText('Cash', { exact: true }).click();
  await refund.getByLabel('Reason').fill('Bag torn');
  await money(refund.getByTestId('refund-total'), SUGAR.priceMinor);
  await refund.getByRole('button', { name: /^Refund / }).click();
  await expect(page.getByTestId('credit-note')).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.keyboard.press('Escape');
  await switchTo(page, CASHIER.name, CASHIER.pin);

  // ---- An expense: the category is suggested while typing.
  await openCounterTab(page, 'Expenses');
  const entry = page.getByRole('form', { name: 'Record an expense' });
  await entry.getByRole('textbox', { name: /^Amount/ }).fill(String(EXPENSE / 100));
  await entry.getByRole('textbox', { name: 'What was it for?' }).fill('Fuel for the delivery bike');
  await expect(entry.getByTestId('category-suggestion')).toHaveText('Suggested from “fuel”');
  await expect(entry.getByRole('combobox', { name: 'Category' })).toHaveValue('Transport');
  await entry.getByRole('button', { name: 'Record expense' }).click();
  const expenses = page.getByRole('table', { name: 'Expenses list' });
  await expect(expenses.getByRole('row').filter({ hasText: 'Fuel for the delivery bike' })).toContainText('Transport');
  await money(page.getByTestId('expenses-total'), EXPENSE);
  await shot(page, 'expenses');

  // ---- Credit: Grace owes the credit sale; paying more is refused with the exact amount owed.
  await openCounterTab(page, 'Credit');
  const owing = page.getByRole('table', { name: 'Customers who owe' });
  await expect(owing.getByRole('row').filter({ hasText: customer })).toContainText(amountRe(SUGAR.priceMinor));
  await page.getByRole('button', { name: `Take repayment from ${customer}` }).click();
  const repay = page.getByRole('dialog', { name: `Repayment from ${customer}` });
  await money(repay.getByTestId('repay-owed'), SUGAR.priceMinor);
  await repay.getByRole('textbox', { name: /^Amount received/ }).fill('300');
  await repay.getByRole('button', { name: 'Record repayment' }).click();
  await expect(repay.getByTestId('overpay-message')).toContainText(new RegExp(`owes \\D*${amount(SUGAR.priceMinor)}`));
  await shot(page, 'credit-overpay');
  await repay.getByRole('textbox', { name: /^Amount received/ }).fill(String(REPAYMENT / 100));
  await repay.getByRole('button', { name: 'Record repayment' }).click();
  await expect(repay).toBeHidden();
  await expect(owing.getByRole('row').filter({ hasText: customer })).toContainText(amountRe(SUGAR.priceMinor - REPAYMENT));
  // A reminder: the prepared text with a WhatsApp link (Kenyan number made international), then logged.
  await page.getByRole('button', { name: `Remind ${customer}` }).click();
  const remind = page.getByRole('dialog', { name: `Remind ${customer}` });
  await expect(remind.getByTestId('reminder-text')).toContainText(amount(SUGAR.priceMinor - REPAYMENT));
  await expect(remind.getByRole('link', { name: 'Open WhatsApp' })).toHaveAttribute('href', /^https:\/\/wa\.me\/254712345678\?text=/);
  await shot(page, 'credit-reminder');
  await remind.getByRole('button', { name: 'Log as sent' }).click();
  await expect(remind).toBeHidden();
  await expect(owing.getByRole('row').filter({ hasText: customer })).toContainText('1 reminder sent');
  await owing.getByRole('button', { name: `Statement of ${customer}` }).click();
  await money(page.getByTestId('statement-balance'), SUGAR.priceMinor - REPAYMENT);
  await shot(page, 'credit-statement');
  await page.keyboard.press('Escape');
  await shot(page, 'credit');

  // ---- The Z report, worked out from what was sold.
  const salesTotal = sale1Total + SUGAR.priceMinor;
  const refunded = SUGAR.priceMinor;
  const salesTax = includedTax(3 * SUGAR.priceMinor, SUGAR.taxRateBp) + includedTax(FLOUR.priceMinor, FLOUR.taxRateBp);
  const refundTax = includedTax(SUGAR.priceMinor, SUGAR.taxRateBp);
  const expectedCash = FLOAT + cash1 - TO_SAFE - refunded + REPAYMENT - EXPENSE;

  await openCounterTab(page, 'Drawer & close');
  await money(page.getByTestId('expected-cash'), expectedCash);
  const z = page.getByTestId('z-report');
  await expect(z.getByTestId('z-sales-count')).toContainText('2 sales');
  await money(z.getByTestId('z-sales-total'), salesTotal);
  await expect(z.getByTestId('z-refunds-total')).toHaveText(amountRe(refunded));
  await money(z.getByTestId('z-net-sales'), salesTotal - refunded);
  await money(z.getByTestId('z-card-sales'), card);
  await money(z.getByTestId('z-card-net'), card);
  await money(z.getByTestId('z-cash-sales'), cash1);
  await expect(z.getByTestId('z-cash-refunds')).toHaveText(amountRe(refunded));
  await money(z.getByTestId('z-credit-sales'), SUGAR.priceMinor);
  await money(z.getByTestId('z-credit-net'), SUGAR.priceMinor);
  await money(z.getByTestId('z-sales-tax'), salesTax);
  await money(z.getByTestId('z-net-tax'), salesTax - refundTax);
  await money(z.getByTestId(`z-rate-${SUGAR.taxRateBp}-sales`), salesTax);
  await expect(z.getByTestId(`z-rate-${SUGAR.taxRateBp}-refunds`)).toHaveText(amountRe(refundTax));
  await money(z.getByTestId(`z-rate-${SUGAR.taxRateBp}-net`), salesTax - refundTax);
  await expect(z.getByTestId('z-first-invoice')).toHaveText(invoice1);
  await expect(z.getByTestId('z-last-invoice')).toHaveText(invoice2);

  // ---- Count the drawer: 500 + 3 × 100 + 20 + 10 + 2 × 1 shillings. Two coins short first.
  expect(expectedCash).toBe(832_00);
  const count = (re: RegExp) => page.getByRole('group', { name: 'Bills and coins' }).getByRole('textbox', { name: re });
  await count(/^Count of \D*500\.00 notes$/).fill('1');
  await count(/^Count of \D*100\.00 notes$/).fill('3');
  await count(/^Count of \D*20\.00 coins$/).fill('1');
  await count(/^Count of \D*10\.00 coins$/).fill('1');
  await money(page.getByTestId('counted-cash'), expectedCash - 2_00);
  await expect(page.getByTestId('cash-difference')).toHaveAttribute('data-state', 'short');
  await expect(page.getByTestId('cash-difference')).toContainText(amountRe(2_00));
  await count(/^Count of \D*1\.00 coins$/).fill('2');
  await money(page.getByTestId('counted-cash'), expectedCash);
  await expect(page.getByTestId('cash-difference')).toHaveAttribute('data-state', 'balanced');
  await shot(page, 'drawer-count');

  await page.getByRole('button', { name: 'Close the day…' }).click();
  const confirm = page.getByRole('dialog', { name: /^Close / });
  await expect(confirm).toContainText('locks the day');
  await confirm.getByRole('button', { name: 'Close and lock the day' }).click();
  const closed = page.getByTestId('day-closed');
  await expect(closed).toContainText('Closed and locked');
  await money(closed.getByTestId('closed-counted'), expectedCash);
  await money(closed.getByTestId('closed-difference'), 0);
  await expect(page.getByRole('table', { name: 'Registers' }).getByRole('row').filter({ hasText: SHOP.deviceName })).toContainText('Closed');

  const [download] = await Promise.all([page.waitForEvent('download'), closed.getByRole('button', { name: 'Z report PDF' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^z-report-\d{4}-\d{2}-\d{2}-A1\.pdf$/);
  await shot(page, 'drawer-closed');

  // ---- After the close: an expense into that day is refused, and so is a sale.
  await openCounterTab(page, 'Expenses');
  await entry.getByRole('textbox', { name: /^Amount/ }).fill('20');
  await entry.getByRole('textbox', { name: 'What was it for?' }).fill('Taxi to the bank');
  await entry.getByRole('button', { name: 'Record expense' }).click();
  await expect(entry.getByTestId('locked-message')).toContainText(/The day \d{4}-\d{2}-\d{2} is closed for register/);
  await expect(expenses.getByRole('row').filter({ hasText: 'Taxi to the bank' })).toHaveCount(0);
  await shot(page, 'expense-locked');

  await openCounterTab(page, 'Sell');
  await scan(page, FLOUR.barcode);
  await payBy(page, 'cash').click();
  await page.getByRole('button', { name: 'Finalise sale' }).click();
  await expect(page.getByTestId('sell-problem')).toContainText('closed');
});

test('insights and an export for the period', async ({ app: page }) => {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Counter', exact: true }).click();
  await openCounterTab(page, 'Insights');
  await page.getByRole('radiogroup', { name: 'Period' }).getByText('7 days', { exact: true }).click();
  // The first test's day (same host): two sales, one refund.
  await expect(page.getByTestId('insights-sales')).toHaveText('2');
  await money(page.getByTestId('insights-net'), 2 * SUGAR.priceMinor + FLOUR.priceMinor);
  await expect(page.getByRole('table', { name: 'Top products' })).toContainText(SUGAR.name);
  await expect(page.getByRole('list', { name: 'Expenses by category' })).toContainText('Transport');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const done = page.getByTestId('export-done');
  await expect(done).toContainText('.xlsx');
  await expect(page.getByRole('status').filter({ hasText: 'rows' })).toContainText(/\d+ rows/);
  const link = done.getByRole('link', { name: 'Download' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  await shot(page, 'insights');
});
