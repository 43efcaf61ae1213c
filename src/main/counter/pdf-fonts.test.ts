// The counter's PDFs print shops, customers and products in their own script: real
// invoices and Z reports made through the API, read back from the PDF bytes (embedded
// font names, and the text the glyphs map to through the fonts' ToUnicode CMaps).
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@shared/ids';
import { SHOP_PROFILE_ID } from '@shared/schema';
import { startMoneyKit, type MoneyKit } from './money/test-kit';
import { fontFiles, pdfText } from './pdf-fonts';
import { readPdf } from './pdf-test-kit';
import { lineOf, startCounterKit, type CounterKit } from './sales/test-kit';

const SHOP = 'Магазин Ольга';
const LEGAL = 'Ελληνικό Εμπόριο Α.Ε.';
const ADDRESS = 'ul. Żółkiewskiego 5, Łódź';
const CUSTOMER = 'Łukasz Żółć';
const FOOTER = 'Dziękujemy! Спасибо! Ευχαριστούμε! ✓ €';
const PRODUCTS = ['Café ☕', 'Хлеб бородинский', 'Γιαούρτι στραγγιστό', 'Żurek śląski', 'Ծիրան', 'ხაჭაპური'];

let kits: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const k of kits) await k.close();
  kits = [];
});

describe('the counter PDFs print every script DejaVu Sans covers', () => {
  it('finds the three font files', () => {
    const files = fontFiles();
    for (const file of Object.values(files)) expect(existsSync(file), file).toBe(true);
    expect(Object.values(files).map((f) => f.split(/[\\/]/).pop())).toEqual(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf']);
  });

  it('keeps letters, composes accents and blanks control characters', () => {
    expect(pdfText('Łukasz Żółć Ελληνικό ☕')).toBe('Łukasz Żółć Ελληνικό ☕');
    expect(pdfText('Cafe\u0301\tbar\u0007\nnext')).toBe('Café bar \nnext');
  });

  it('an invoice for a shop, customer and products named in Cyrillic, Greek, Polish, Armenian, Georgian and with symbols', async () => {
    const t: CounterKit = await startCounterKit();
    kits.push(t);
    await t.setShop({ shopName: SHOP, legalName: LEGAL, address: ADDRESS, receiptFooter: FOOTER });
    const customer = await t.call('counter.createCustomer', { name: CUSTOMER });
    const names = [...PRODUCTS, 'Sushi 寿司', 'חלה', 'خبز'];
    const lines = [];
    for (const name of names) lines.push(lineOf(await t.call('counter.createProduct', { name, priceMinor: 10_000, taxRateBp: 1600 })));
    const { sale } = await t.call('counter.finalise', { saleId: newId(), customerId: customer.id, lines, payments: [{ method: 'cash', amountMinor: names.length * 10_000 }] });
    const out = await t.call('counter.invoicePdf', { saleId: sale.id });
    const pdf = readPdf(Buffer.from(out.base64, 'base64'));

    // Only DejaVu is embedded: regular, bold (shop name, totals) and oblique (footer).
    expect(new Set(pdf.baseFonts)).toEqual(new Set(['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-Oblique']));
    for (const s of [SHOP, LEGAL, ADDRESS, CUSTOMER, FOOTER, ...PRODUCTS, sale.invoiceNumber, 'INVOICE', `${names.length * 100}.00`]) expect(pdf.text).toContain(s);
    // Not in the font: the CJK letters print as its empty box (glyph 0, mapped to U+0000), the rest of the name stays.
    expect(pdf.text).toContain('Sushi \u0000\u0000');
    // Hebrew and Arabic (shaped): the letters print, in visual (right-to-left) order.
    expect(pdf.text).toContain([...'חלה'].reverse().join(''));
    expect(pdf.text).toContain([...'خبز'].reverse().join(''));
    expect(pdf.text).not.toContain('?');
    // Subsets, not whole fonts (each TTF is 0.6 to 0.75 MB).
    expect(out.byteLength).toBeLessThan(80_000);
  });

  it('a Z report for a shop, register and note in other scripts', async () => {
    const t: MoneyKit = await startMoneyKit();
    kits.push(t);
    const actor = { userId: t.ownerId, name: 'owner' };
    await t.core.writes.run({ action: 'settings.update', actor }, (tx) => tx.update('shopProfile', SHOP_PROFILE_ID, { shopName: SHOP }));
    await t.core.writes.run({ action: 'devices.update', actor }, (tx) => tx.update('devices', t.core.deviceId, { name: 'Ταμείο 1' }));
    await t.sale({ lines: [{ name: 'Хлеб', unitPriceMinor: 5_000 }], payments: [{ method: 'cash', amountMinor: 5_000 }] });
    const note = `${CUSTOMER} zapłacił później; недостача 10 ☕`;
    const close = await t.call('counter.closeDay', { day: t.today(), counts: [{ valueMinor: 5_000, count: 1 }], note }, t.ctx('cashier'));
    const out = await t.call('counter.zReportPdf', { dayCloseId: close.id }, t.ctx('manager'));
    const pdf = readPdf(Buffer.from(out.base64, 'base64'));

    expect(new Set(pdf.baseFonts)).toEqual(new Set(['DejaVuSans', 'DejaVuSans-Bold']));
    for (const s of [SHOP, 'Ταμείο 1 (A1)', note, `Z report - ${close.day}`, 'Net sales', 'KES 50.00']) expect(pdf.text).toContain(s);
    expect(pdf.text).not.toContain('?');
  });
});
