// A4 invoice (or credit note) as a PDF with the shop's branding from Settings: logo,
// primary and secondary colours, invoice number with the shop prefix, tax id, lines,
// tax breakdown, payments, and the signature or a watermark image. Drawn with pdfkit in
// DejaVu Sans (../pdf-fonts: every European script, Hebrew, Arabic, symbols), from the
// same model as the receipt.
import PDFDocument from 'pdfkit';
import type { ReceiptDocument } from '@shared/api/ops/counter-sales';
import { percentText, quantityText } from '@shared/counter';
import { toDecimalString } from '@shared/money';
import type { ShopProfileDoc } from '@shared/schema';
import { FONT, pdfText, useCounterFonts } from '../pdf-fonts';

export interface InvoicePdfOptions {
  /** Deflate the page streams (default true; tests read the text with false). */
  compress?: boolean;
}

const A4_MARGIN = 50;
const DEFAULT_PRIMARY = '#1f3a5f';
const DEFAULT_SECONDARY = '#e0e6ee';

/** PNG or JPEG bytes of an image data URL; null for anything pdfkit cannot draw. */
export function imageBytes(dataUrl: string | undefined): Buffer | null {
  if (!dataUrl) return null;
  const m = /^data:image\/(png|jpe?g);base64,([A-Za-z0-9+/=\s]+)$/i.exec(dataUrl);
  if (!m) return null;
  const bytes = Buffer.from(m[2]!, 'base64');
  const png = bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47;
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8;
  return png || jpeg ? bytes : null;
}

export function invoiceFileName(doc: ReceiptDocument): string {
  return `${doc.kind === 'sale' ? 'Invoice' : 'Credit-note'}-${doc.number || 'draft'}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function renderInvoicePdf(doc: ReceiptDocument, shop: ShopProfileDoc, options: InvoicePdfOptions = {}): Promise<Buffer> {
  const title = doc.kind === 'sale' ? 'INVOICE' : 'CREDIT NOTE';
  const primary = shop.primaryColour ?? DEFAULT_PRIMARY;
  const secondary = shop.secondaryColour ?? DEFAULT_SECONDARY;
  const amt = (minor: number) => toDecimalString(minor, doc.currency);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: A4_MARGIN,
    compress: options.compress ?? true,
    info: { Title: `${title === 'INVOICE' ? 'Invoice' : 'Credit note'} ${doc.number}`, Author: doc.shop.name, Subject: `${doc.number}`, Creator: 'Counterbook' },
  });
  useCounterFonts(pdf);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const pageW = pdf.page.width;
  const pageH = pdf.page.height;
  const left = A4_MARGIN;
  const right = pageW - A4_MARGIN;
  const width = right - left;
  const bottom = pageH - A4_MARGIN - 30;

  const watermark = imageBytes(shop.watermarkDataUrl);
  const drawWatermark = () => {
    if (!watermark) return;
    try {
      pdf.save();
      pdf.opacity(0.08);
      pdf.image(watermark, pageW / 2 - 180, pageH / 2 - 180, { fit: [360, 360], align: 'center', valign: 'center' });
      pdf.restore();
    } catch {
      pdf.restore();
    }
  };
  const drawFooter = () => {
    const y = pageH - A4_MARGIN - 12;
    pdf.save();
    pdf.moveTo(left, y - 6).lineTo(right, y - 6).lineWidth(0.5).strokeColor(secondary).stroke();
    pdf.font(FONT.regular).fontSize(7).fillColor('#666666');
    pdf.text(pdfText(`${doc.shop.name}${doc.shop.taxId ? `  |  Tax ID ${doc.shop.taxId}` : ''}  |  ${doc.number}`), left, y, { width, align: 'center', lineBreak: false });
    pdf.restore();
  };
  drawWatermark();
  pdf.on('pageAdded', () => {
    drawWatermark();
  });

  // ---- header: logo and shop on the left, title and numbers on the right
  let y = A4_MARGIN;
  const logo = imageBytes(shop.logoDataUrl);
  let textLeft = left;
  if (logo) {
    try {
      pdf.image(logo, left, y, { fit: [110, 60] });
      textLeft = left + 120;
    } catch {
      textLeft = left;
    }
  }
  pdf.fillColor(primary).font(FONT.bold).fontSize(16).text(pdfText(doc.shop.name), textLeft, y, { width: 260 });
  pdf.font(FONT.regular).fontSize(8.5).fillColor('#333333');
  const shopLines = [doc.shop.legalName && doc.shop.legalName !== doc.shop.name ? doc.shop.legalName : '', doc.shop.address, doc.shop.phone ? `Tel ${doc.shop.phone}` : '', doc.shop.email, doc.shop.taxId ? `Tax ID ${doc.shop.taxId}` : '']
    .filter(Boolean)
    .map(pdfText);
  for (const line of shopLines) pdf.text(line, textLeft, pdf.y, { width: 260 });
  const leftBottom = Math.max(pdf.y, logo ? y + 62 : y);

  pdf.fillColor(primary).font(FONT.bold).fontSize(20).text(title, right - 200, y, { width: 200, align: 'right' });
  pdf.font(FONT.regular).fontSize(9).fillColor('#333333');
  const meta: [string, string][] = [
    [doc.kind === 'sale' ? 'Invoice no.' : 'Credit note no.', doc.number],
    ...(doc.originalNumber ? ([['For invoice', doc.originalNumber]] as [string, string][]) : []),
    ['Date', doc.issuedAtText],
    ...(doc.cashierName ? ([['Served by', doc.cashierName]] as [string, string][]) : []),
  ];
  let my = pdf.y + 4;
  for (const [k, v] of meta) {
    pdf.font(FONT.regular).text(pdfText(k), right - 200, my, { width: 90, align: 'left' });
    pdf.font(FONT.bold).text(pdfText(v), right - 110, my, { width: 110, align: 'right' });
    my = pdf.y + 1;
  }
  y = Math.max(leftBottom, my) + 14;

  // ---- bill to and reason
  if (doc.customerName) {
    pdf.font(FONT.bold).fontSize(9).fillColor(primary).text('BILL TO', left, y);
    pdf.font(FONT.regular).fontSize(10).fillColor('#111111').text(pdfText(doc.customerName), left, pdf.y + 2, { width: 300 });
    y = pdf.y + 10;
  }
  if (doc.reason) {
    pdf.font(FONT.bold).fontSize(9).fillColor(primary).text('REASON', left, y);
    pdf.font(FONT.regular).fontSize(10).fillColor('#111111').text(pdfText(doc.reason), left, pdf.y + 2, { width });
    y = pdf.y + 10;
  }

  // ---- lines
  const cols = [
    { key: 'item', label: 'Item', w: 205, align: 'left' as const },
    { key: 'qty', label: 'Qty', w: 45, align: 'right' as const },
    { key: 'unit', label: 'Unit price', w: 70, align: 'right' as const },
    { key: 'disc', label: 'Discount', w: 60, align: 'right' as const },
    { key: 'tax', label: 'Tax', w: 45, align: 'right' as const },
    { key: 'amount', label: `Amount ${doc.currency}`, w: 70, align: 'right' as const },
  ];
  const header = () => {
    pdf.rect(left, y, width, 20).fill(primary);
    let x = left;
    pdf.font(FONT.bold).fontSize(8.5).fillColor('#ffffff');
    for (const c of cols) {
      pdf.text(c.label, x + 4, y + 6, { width: c.w - 8, align: c.align, lineBreak: false });
      x += c.w;
    }
    y += 24;
  };
  header();
  pdf.font(FONT.regular).fontSize(9).fillColor('#111111');
  doc.lines.forEach((l, i) => {
    const name = pdfText(l.name);
    const h = Math.max(12, pdf.heightOfString(name, { width: cols[0]!.w - 8 })) + 6;
    if (y + h > bottom) {
      drawFooter();
      pdf.addPage();
      y = A4_MARGIN;
      header();
      pdf.font(FONT.regular).fontSize(9).fillColor('#111111');
    }
    if (i % 2 === 1) {
      pdf.save();
      pdf.rect(left, y - 3, width, h).fillOpacity(0.35).fill(secondary);
      pdf.restore();
      pdf.fillColor('#111111');
    }
    // Amount after discounts, as the subtotal is shown: with tax (inclusive) or without (exclusive).
    const net = l.amountMinor - l.discountMinor;
    const cells = [name, quantityText(l.quantityMilli), amt(l.unitPriceMinor), l.discountMinor > 0 ? `-${amt(l.discountMinor)}` : '', percentText(l.taxRateBp), amt(net)];
    let x = left;
    cols.forEach((c, k) => {
      pdf.text(cells[k]!, x + 4, y, { width: c.w - 8, align: c.align });
      x += c.w;
    });
    y += h;
  });
  pdf.moveTo(left, y).lineTo(right, y).lineWidth(0.75).strokeColor(primary).stroke();
  y += 10;

  // ---- totals (right) and tax breakdown (left)
  const a = doc.amounts;
  const totals: [string, string, boolean][] = [[doc.taxMode === 'exclusive' ? 'Subtotal (excl. tax)' : 'Subtotal', amt(a.subtotalMinor), false]];
  if (a.discountMinor > 0) totals.push(['Discount', `-${amt(a.discountMinor)}`, false]);
  if (doc.taxMode === 'exclusive') totals.push(['Tax', amt(a.taxMinor), false]);
  if (a.roundingMinor !== 0) totals.push(['Rounding', amt(a.roundingMinor), false]);
  totals.push([`${doc.kind === 'sale' ? 'Total' : 'Total credited'} ${doc.currency}`, amt(a.totalMinor), true]);
  if (doc.taxMode === 'inclusive') totals.push(['of which tax', amt(a.taxMinor), false]);
  const needed = totals.length * 16 + 30 + Math.max(doc.payments.length, doc.taxBreakdown.length) * 13 + 90;
  if (y + needed > bottom) {
    drawFooter();
    pdf.addPage();
    y = A4_MARGIN;
  }
  const top = y;
  for (const [label, value, strong] of totals) {
    if (strong) {
      pdf.rect(right - 230, y - 4, 230, 20).fill(secondary);
      pdf.fillColor(primary).font(FONT.bold).fontSize(11);
    } else {
      pdf.fillColor('#111111').font(FONT.regular).fontSize(9.5);
    }
    pdf.text(pdfText(label), right - 225, y, { width: 130, lineBreak: false });
    pdf.text(value, right - 95, y, { width: 90, align: 'right', lineBreak: false });
    y += strong ? 22 : 16;
  }
  let ly = top;
  pdf.font(FONT.bold).fontSize(9).fillColor(primary).text('TAX BREAKDOWN', left, ly);
  ly = pdf.y + 3;
  pdf.font(FONT.regular).fontSize(8.5).fillColor('#111111');
  for (const t of doc.taxBreakdown) {
    pdf.text(`${percentText(t.rateBp)}: taxable ${amt(t.taxableMinor)}, tax ${amt(t.taxMinor)}`, left, ly, { width: 230 });
    ly = pdf.y + 1;
  }
  ly += 8;
  if (doc.payments.length > 0 || doc.changeDueMinor > 0) {
    pdf.font(FONT.bold).fontSize(9).fillColor(primary).text(doc.kind === 'sale' ? 'PAYMENTS' : 'REFUNDED BY', left, ly);
    ly = pdf.y + 3;
    pdf.font(FONT.regular).fontSize(8.5).fillColor('#111111');
    for (const p of doc.payments) {
      const tendered = p.tenderedMinor !== undefined && p.tenderedMinor !== p.amountMinor ? ` (tendered ${amt(p.tenderedMinor)})` : '';
      pdf.text(pdfText(`${p.label}${p.reference ? ` ${p.reference}` : ''}: ${amt(p.amountMinor)}${tendered}`), left, ly, { width: 230 });
      ly = pdf.y + 1;
    }
    if (doc.changeDueMinor > 0) {
      pdf.text(`Change given: ${amt(doc.changeDueMinor)}`, left, ly, { width: 230 });
      ly = pdf.y + 1;
    }
  }
  y = Math.max(y, ly) + 20;

  // ---- signature
  const signature = imageBytes(shop.signatureDataUrl);
  if (signature) {
    try {
      pdf.image(signature, right - 160, y, { fit: [160, 50] });
    } catch {
      // an unreadable image is left out
    }
    pdf.moveTo(right - 160, y + 54).lineTo(right, y + 54).lineWidth(0.5).strokeColor('#888888').stroke();
    pdf.font(FONT.regular).fontSize(8).fillColor('#555555').text('Authorised signature', right - 160, y + 58, { width: 160, align: 'center' });
    y += 74;
  }

  // ---- footer text
  if (doc.footer) {
    pdf.font(FONT.oblique).fontSize(8.5).fillColor('#444444').text(pdfText(doc.footer), left, Math.min(y, bottom - 20), { width, align: 'center' });
  }
  drawFooter();
  pdf.end();
  return done;
}
