// Receipts: one structured model of a sale or credit note (what the UI renders and the
// A4 PDF draws) and its plain-text layout for thermal printers: 58 mm = 32 columns,
// 80 mm = 48 columns, monospace. Every line fits its width exactly or is shorter.
import type { ReceiptDocument } from '@shared/api/ops/counter-sales';
import { PAYMENT_METHOD_LABELS, percentText, quantityText } from '@shared/counter';
import { toDecimalString } from '@shared/money';
import type { CreditNoteDoc, SaleDoc, ShopProfileDoc } from '@shared/schema';

export const COLUMNS = { 58: 32, 80: 48 } as const;

const stampFormatters = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD HH:mm' in the shop's time zone. */
export function localStamp(epochMs: number, timeZone: string): string {
  let f = stampFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    stampFormatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(epochMs)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function taxBreakdown(lines: readonly { taxRateBp: number; taxMinor: number; totalMinor: number }[]): ReceiptDocument['taxBreakdown'] {
  const byRate = new Map<number, { rateBp: number; taxableMinor: number; taxMinor: number; totalMinor: number }>();
  for (const l of lines) {
    const r = byRate.get(l.taxRateBp) ?? { rateBp: l.taxRateBp, taxableMinor: 0, taxMinor: 0, totalMinor: 0 };
    r.taxableMinor += l.totalMinor - l.taxMinor;
    r.taxMinor += l.taxMinor;
    r.totalMinor += l.totalMinor;
    byRate.set(l.taxRateBp, r);
  }
  return [...byRate.values()].sort((a, b) => a.rateBp - b.rateBp);
}

type StoredLine = { name: string; quantityMilli: number; unitPriceMinor: number; discountMinor: number; taxRateBp: number; taxMinor: number; totalMinor: number };

/** A stored line for printing; its amount before discount is derived exactly from the stored figures. */
function docLine(l: StoredLine, taxMode: 'inclusive' | 'exclusive'): ReceiptDocument['lines'][number] {
  const net = taxMode === 'inclusive' ? l.totalMinor : l.totalMinor - l.taxMinor;
  return {
    name: l.name,
    quantityMilli: l.quantityMilli,
    unitPriceMinor: l.unitPriceMinor,
    amountMinor: net + l.discountMinor,
    discountMinor: l.discountMinor,
    taxRateBp: l.taxRateBp,
    taxMinor: l.taxMinor,
    totalMinor: l.totalMinor,
  };
}

function shopPart(shop: ShopProfileDoc): ReceiptDocument['shop'] {
  return { name: shop.shopName, legalName: shop.legalName ?? '', address: shop.address ?? '', phone: shop.phone ?? '', email: shop.email ?? '', taxId: shop.taxId ?? '' };
}

export function saleDocument(sale: SaleDoc, shop: ShopProfileDoc, names: { cashier: string; customer: string }): ReceiptDocument {
  const issuedAt = sale.finalisedAt ?? sale.updatedAt;
  return {
    kind: 'sale',
    title: sale.status === 'finalised' ? 'Receipt' : 'Parked sale (not paid)',
    shop: shopPart(shop),
    number: sale.invoiceNumber,
    originalNumber: '',
    issuedAt,
    issuedAtText: localStamp(issuedAt, shop.timezone),
    cashierName: names.cashier,
    customerName: names.customer,
    currency: sale.currency,
    taxMode: sale.taxMode,
    lines: sale.lines.map((l) => docLine(l, sale.taxMode)),
    amounts: { subtotalMinor: sale.subtotalMinor, discountMinor: sale.discountMinor, taxMinor: sale.taxMinor, roundingMinor: sale.roundingMinor, totalMinor: sale.totalMinor },
    taxBreakdown: taxBreakdown(sale.lines),
    payments: sale.payments.map((p) => ({
      method: p.method,
      label: PAYMENT_METHOD_LABELS[p.method],
      amountMinor: p.amountMinor,
      ...(p.tenderedMinor !== undefined ? { tenderedMinor: p.tenderedMinor } : {}),
      ...(p.reference ? { reference: p.reference } : {}),
    })),
    changeDueMinor: sale.changeDueMinor,
    reason: '',
    footer: shop.receiptFooter ?? '',
  };
}

export function creditNoteDocument(note: CreditNoteDoc, shop: ShopProfileDoc, names: { cashier: string; customer: string }): ReceiptDocument {
  return {
    kind: 'credit_note',
    title: note.kind === 'void' ? 'Credit note (void)' : 'Credit note (refund)',
    shop: shopPart(shop),
    number: note.number,
    originalNumber: note.saleInvoiceNumber,
    issuedAt: note.createdAt,
    issuedAtText: localStamp(note.createdAt, shop.timezone),
    cashierName: names.cashier,
    customerName: names.customer,
    currency: note.currency,
    taxMode: note.taxMode,
    lines: note.lines.map((l) => docLine(l, note.taxMode)),
    amounts: { subtotalMinor: note.subtotalMinor, discountMinor: note.discountMinor, taxMinor: note.taxMinor, roundingMinor: note.roundingMinor, totalMinor: note.totalMinor },
    taxBreakdown: taxBreakdown(note.lines),
    payments: note.refunds.map((p) => ({ method: p.method, label: PAYMENT_METHOD_LABELS[p.method], amountMinor: p.amountMinor, ...(p.reference ? { reference: p.reference } : {}) })),
    changeDueMinor: 0,
    reason: note.reason,
    footer: shop.receiptFooter ?? '',
  };
}

// ---------------------------------------------------------------------------
// Text layout

/** Words wrapped to `width`; words longer than the width are cut. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\r/g, '').split('\n')) {
    let line = '';
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      while (word.length > width) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(word.slice(0, width));
        word = word.slice(width);
      }
      if (!word) continue;
      if (!line) line = word;
      else if (line.length + 1 + word.length <= width) line += ' ' + word;
      else {
        out.push(line);
        line = word;
      }
    }
    if (line) out.push(line);
  }
  return out;
}

function center(text: string, width: number): string[] {
  return wrap(text, width).map((l) => ' '.repeat(Math.floor((width - l.length) / 2)) + l);
}

/** Left text and a right-aligned value on one line, or the text wrapped and the value on its own line. */
function leftRight(left: string, right: string, width: number): string[] {
  const r = right.length > width ? right.slice(0, width) : right;
  if (left.length + 1 + r.length <= width) return [left + ' '.repeat(width - left.length - r.length) + r];
  const lines = wrap(left, width);
  const last = lines[lines.length - 1] ?? '';
  if (last.length + 1 + r.length <= width) lines[lines.length - 1] = last + ' '.repeat(width - last.length - r.length) + r;
  else lines.push(' '.repeat(width - r.length) + r);
  return lines;
}

/** Plain-text receipt lines for a printer of `columns` characters. */
export function receiptLines(doc: ReceiptDocument, columns: number): string[] {
  const W = columns;
  const amt = (minor: number) => toDecimalString(minor, doc.currency);
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  const rule = (ch = '-') => push(ch.repeat(W));

  push(...center(doc.shop.name, W));
  if (doc.shop.legalName && doc.shop.legalName !== doc.shop.name) push(...center(doc.shop.legalName, W));
  if (doc.shop.address) push(...center(doc.shop.address, W));
  if (doc.shop.phone) push(...center(`Tel ${doc.shop.phone}`, W));
  if (doc.shop.taxId) push(...center(`Tax ID ${doc.shop.taxId}`, W));
  rule('=');
  push(...center(doc.title.toUpperCase(), W));
  if (doc.number) push(...leftRight(doc.kind === 'sale' ? 'Invoice' : 'Credit note', doc.number, W));
  if (doc.originalNumber) push(...leftRight('For invoice', doc.originalNumber, W));
  push(...leftRight('Date', doc.issuedAtText, W));
  if (doc.cashierName) push(...leftRight('Cashier', doc.cashierName, W));
  if (doc.customerName) push(...leftRight('Customer', doc.customerName, W));
  if (doc.reason) push(...wrap(`Reason: ${doc.reason}`, W));
  rule();

  for (const l of doc.lines) {
    push(...wrap(l.name, W));
    const rate = doc.taxBreakdown.length > 1 ? ` ${percentText(l.taxRateBp)}` : '';
    push(...leftRight(`  ${quantityText(l.quantityMilli)} x ${amt(l.unitPriceMinor)}${rate}`, amt(l.amountMinor), W));
    if (l.discountMinor > 0) push(...leftRight('  Discount', `-${amt(l.discountMinor)}`, W));
  }
  rule();

  const a = doc.amounts;
  push(...leftRight(doc.taxMode === 'exclusive' ? 'Subtotal (excl. tax)' : 'Subtotal', amt(a.subtotalMinor), W));
  if (a.discountMinor > 0) push(...leftRight('Discount', `-${amt(a.discountMinor)}`, W));
  if (doc.taxMode === 'exclusive') for (const t of doc.taxBreakdown) push(...leftRight(`Tax ${percentText(t.rateBp)}`, amt(t.taxMinor), W));
  if (a.roundingMinor !== 0) push(...leftRight('Rounding', amt(a.roundingMinor), W));
  push(...leftRight(`${doc.kind === 'sale' ? 'TOTAL' : 'REFUNDED'} ${doc.currency}`, amt(a.totalMinor), W));
  if (doc.taxMode === 'inclusive') for (const t of doc.taxBreakdown) if (t.taxMinor > 0) push(...leftRight(`  incl. tax ${percentText(t.rateBp)}`, amt(t.taxMinor), W));
  rule();

  for (const p of doc.payments) {
    const ref = p.reference ? ` ${p.reference}` : '';
    if (p.method === 'cash' && p.tenderedMinor !== undefined && p.tenderedMinor !== p.amountMinor) push(...leftRight('Cash tendered', amt(p.tenderedMinor), W));
    else push(...leftRight(`${doc.kind === 'sale' ? '' : 'Refund: '}${p.label}${ref}`, amt(p.amountMinor), W));
  }
  if (doc.changeDueMinor > 0) push(...leftRight('Change', amt(doc.changeDueMinor), W));
  if (doc.footer) {
    rule();
    push(...center(doc.footer, W));
  }
  return out;
}
