import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@shared/ids';
import type { Product } from '@shared/api/ops/counter-sales';
import { SHOP_PROFILE_ID, type ShopProfileDoc } from '@shared/schema';
import { readPdf } from '../pdf-test-kit';
import { imageBytes, renderInvoicePdf } from './invoice-pdf';
import { receiptLines, saleDocument, wrap } from './receipt';
import { addProducts, lineOf, startCounterKit, type CounterKit } from './test-kit';

// 1x1 PNG (red) and 1x1 JPEG-less placeholder: real image bytes pdfkit can embed.
const PNG_1X1 = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

let t: CounterKit;
let p: Record<'bread' | 'milk' | 'sugar' | 'rice', Product>;
beforeEach(async () => {
  t = await startCounterKit();
  p = await addProducts(t);
  await t.setShop({
    legalName: 'Corner Shop Enterprises Limited',
    address: 'Moi Avenue 12, Nairobi, next to the long-distance matatu stage',
    phone: '+254700123456',
    taxId: 'P051234567X',
    receiptFooter: 'Asante! Goods once sold are exchangeable within 7 days with this receipt.',
    primaryColour: '#0b6e4f',
    secondaryColour: '#f2c14e',
    logoDataUrl: PNG_1X1,
    signatureDataUrl: PNG_1X1,
    watermarkDataUrl: PNG_1X1,
    cashRoundingMinor: 100,
  });
});
afterEach(async () => {
  await t.close();
});

async function bigSale() {
  const customer = await t.call('counter.createCustomer', { name: 'Bartholomew Kiprono Arap Mwangi-Odhiambo the Third' });
  const long = await t.call('counter.createProduct', { name: 'Extra-long-named imported Belgian chocolate assortment gift box (deluxe edition)', priceMinor: 1_234_567, taxRateBp: 1600 });
  const lines = [lineOf(p.bread, 3000, { discount: { kind: 'percent', bp: 1000 } }), lineOf(p.sugar, 12_000), lineOf(p.rice, 2750), lineOf(long, 1000), ...Array.from({ length: 40 }, () => lineOf(p.milk))];
  const { sale } = await t.call('counter.finalise', {
    saleId: newId(),
    customerId: customer.id,
    lines,
    payments: [
      { method: 'card', amountMinor: 1_000_000, reference: 'AUTH-778899-LONG-REFERENCE' },
      { method: 'mobile_money', amountMinor: 200_000, reference: 'SBX12345' },
      { method: 'cash', amountMinor: 1_000_000 },
    ],
  });
  return sale;
}

describe('receipts', () => {
  it('fit 32 and 48 columns and carry the number, lines, totals, payments and change', async () => {
    const sale = await bigSale();
    for (const [width, columns] of [[58, 32], [80, 48]] as const) {
      const r = await t.call('counter.receipt', { saleId: sale.id, width }, t.ctx('cashier'));
      expect(r.columns).toBe(columns);
      expect(r.text).toBe(r.lines.join('\n') + '\n');
      const tooWide = r.lines.filter((l) => l.length > columns);
      expect(tooWide, `${width} mm`).toEqual([]);
      expect(r.lines.some((l) => l.length === columns)).toBe(true);
      expect(r.text).toContain(sale.invoiceNumber);
      expect(r.text).toContain('Tax ID P051234567X');
      expect(r.text).toMatch(/TOTAL KES +[0-9.]+/);
      expect(r.text).toContain(`${(sale.totalMinor / 100).toFixed(2)}`);
      expect(r.text).toContain(`Change`);
      expect(r.text).toContain((sale.changeDueMinor / 100).toFixed(2));
      expect(r.document).toMatchObject({ kind: 'sale', number: sale.invoiceNumber, amounts: { totalMinor: sale.totalMinor }, changeDueMinor: sale.changeDueMinor });
      expect(r.document.lines).toHaveLength(sale.lines.length);
    }
  });

  it('prints a credit note that names the original invoice', async () => {
    const sale = await bigSale();
    const { creditNote } = await t.call('counter.refund', { saleId: sale.id, lines: [{ lineIndex: 1, quantityMilli: 2000 }], reason: 'Two bags were torn', refundMethod: 'cash' });
    const r = await t.call('counter.receipt', { creditNoteId: creditNote.id, width: 58 });
    expect(r.lines.every((l) => l.length <= 32)).toBe(true);
    expect(r.text).toContain('CREDIT NOTE (REFUND)');
    expect(r.text).toContain(creditNote.number);
    expect(r.text).toContain(sale.invoiceNumber);
    expect(r.text).toContain('Reason: Two bags were torn');
    expect(r.text).toMatch(/REFUNDED KES +240\.00/);
    expect((await t.fail('counter.receipt', { width: 80 })).code).toBe('VALIDATION');
    expect((await t.fail('counter.receipt', { saleId: newId() })).code).toBe('NOT_FOUND');
  });

  it('wraps words and cuts a word longer than the line', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('x' + 'y'.repeat(20), 8)).toEqual(['xyyyyyyy', 'yyyyyyyy', 'yyyyy']);
  });

  it('keeps every line within the width whatever the names and amounts', async () => {
    const sale = await bigSale();
    const shop = (await t.core.store.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec())!.toMutableJSON() as ShopProfileDoc;
    const stored = (await t.core.store.db.collections.sales.findOne(sale.id).exec())!.toMutableJSON();
    const doc = saleDocument(stored, { ...shop, shopName: 'S'.repeat(70), receiptFooter: 'word '.repeat(40) }, { cashier: 'C'.repeat(60), customer: 'Somebody' });
    for (const columns of [32, 48]) expect(receiptLines(doc, columns).filter((l) => l.length > columns)).toEqual([]);
  });
});

describe('A4 invoice PDF', () => {
  it('is a PDF with the invoice number, the shop branding and the lines (uncompressed for reading)', async () => {
    const sale = await bigSale();
    const out = await t.call('counter.invoicePdf', { saleId: sale.id }, t.ctx('cashier'));
    const bytes = Buffer.from(out.base64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(out).toMatchObject({ mimeType: 'application/pdf', fileName: `Invoice-${sale.invoiceNumber}.pdf`, byteLength: bytes.length });
    expect(bytes.length).toBeLessThan(200_000);

    // Uncompressed: the title in the info dictionary and the text drawn on the page.
    const shop = (await t.core.store.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec())!.toMutableJSON() as ShopProfileDoc;
    const stored = (await t.core.store.db.collections.sales.findOne(sale.id).exec())!.toMutableJSON();
    const raw = await renderInvoicePdf(saleDocument(stored, shop, { cashier: 'Joy', customer: 'Amina' }), shop, { compress: false });
    const text = raw.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text).toContain(`(Invoice ${sale.invoiceNumber})`);
    const shown = readPdf(raw).text;
    expect(shown).toContain(sale.invoiceNumber);
    expect(shown).toContain('INVOICE');
    expect(shown).toContain('Corner Shop');
    expect(shown).toContain('Tax ID P051234567X');
    expect(shown).toContain('Authorised signature');
    expect(shown).toContain((sale.totalMinor / 100).toFixed(2));
    // Logo, signature and watermark embedded as images; more than one page for 44 lines.
    expect((text.match(/\/Subtype \/Image/g) ?? []).length).toBeGreaterThanOrEqual(1);
    expect((text.match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('0.043137254901960784 0.43137254901960786 0.30980392156862746 scn'); // #0b6e4f, the primary colour

    // The compressed output reads back to the same text.
    expect(readPdf(bytes).text).toContain(sale.invoiceNumber);
  });

  it('makes a credit-note PDF and ignores an image that is not PNG or JPEG', async () => {
    const sale = await bigSale();
    const { creditNote } = await t.call('counter.refund', { saleId: sale.id, lines: 'all', reason: 'Void', refundMethod: 'card' });
    await t.setShop({ logoDataUrl: 'data:image/svg+xml;base64,PHN2Zy8+' });
    const out = await t.call('counter.invoicePdf', { creditNoteId: creditNote.id });
    expect(out.fileName).toBe(`Credit-note-${creditNote.number}.pdf`);
    expect(Buffer.from(out.base64, 'base64').subarray(0, 4).toString()).toBe('%PDF');
    expect(imageBytes('data:image/svg+xml;base64,PHN2Zy8+')).toBeNull();
    expect(imageBytes('data:image/png;base64,AAAA')).toBeNull();
    expect(imageBytes(PNG_1X1)).not.toBeNull();
  });
});
