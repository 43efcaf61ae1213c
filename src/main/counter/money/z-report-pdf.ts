// The Z report of a day close as an A4 PDF (pdfkit, DejaVu Sans from ../pdf-fonts, so
// shop, register, cashier names and the note print in their own script). Amounts are
// shown with the currency code rather than a symbol.
import PDFDocument from 'pdfkit';
import type { DayClose } from '@shared/api/ops/counter-money';
import { amountText, percentText, type ZReport } from '@shared/counter';
import { FONT, pdfText, useCounterFonts } from '../pdf-fonts';
import type { Shop } from './context';

const METHODS = [
  ['cash', 'Cash'],
  ['card', 'Card'],
  ['mobile_money', 'Mobile money'],
  ['customer_credit', 'Customer credit'],
] as const;

export function zReportPdf(input: { shop: Shop; close: DayClose; report: ZReport }): Promise<Buffer> {
  const { shop, close, report } = input;
  const cur = shop.currency;
  const money = (n: number) => `${cur} ${amountText(n, cur)}`;
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Z report ${close.day} ${close.registerName}`, Author: shop.name } });
  useCounterFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = 50;
  const right = doc.page.width - 50;
  const row = (label: string, value: string, bold = false) => {
    if (doc.y > doc.page.height - 80) doc.addPage();
    const y = doc.y;
    doc.font(bold ? FONT.bold : FONT.regular).fontSize(10);
    doc.text(pdfText(label), left, y, { width: 330 });
    doc.text(value, left + 330, y, { width: right - left - 330, align: 'right' });
    doc.moveDown(0.2);
  };
  const heading = (text: string) => {
    doc.moveDown(0.8);
    if (doc.y > doc.page.height - 120) doc.addPage();
    doc.font(FONT.bold).fontSize(12).text(text, left);
    doc.moveTo(left, doc.y + 2).lineTo(right, doc.y + 2).lineWidth(0.5).stroke();
    doc.moveDown(0.4);
  };
  const dateTime = (ms: number) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: shop.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(ms).replace(/[\u00a0\u202f]/g, ' ');

  doc.font(FONT.bold).fontSize(18).text(pdfText(shop.name), left);
  doc.font(FONT.regular).fontSize(14).text(`Z report - ${close.day}`);
  doc.fontSize(10).fillColor('#444').text(pdfText(`${close.registerName} - closed by ${close.closedByName || close.closedBy} on ${dateTime(close.closedAt)}`));
  doc.fillColor('black');

  heading('Sales');
  row('Sales', String(report.salesCount));
  row('Gross sales (before discounts)', money(report.grossSalesMinor));
  row('Discounts', money(-report.discountsMinor));
  if (report.roundingMinor !== 0) row('Cash rounding', money(report.roundingMinor));
  row('Sales total', money(report.salesTotalMinor), true);
  row(`Refunds and voids (${report.refundsCount})`, money(-report.refundsTotalMinor));
  row('Net sales', money(report.netSalesMinor), true);
  if (report.invoices.firstNumber) row('Invoices', `${report.invoices.firstNumber} to ${report.invoices.lastNumber ?? ''}`);
  if (report.creditNotes.firstNumber) row('Credit notes', `${report.creditNotes.firstNumber} to ${report.creditNotes.lastNumber ?? ''}`);

  heading('Takings by payment method (sales - refunds = net)');
  for (const [key, label] of METHODS) {
    row(label, `${money(report.payments.sales[key])} - ${money(report.payments.refunds[key])} = ${money(report.payments.net[key])}`);
  }

  if (report.taxByRate.length > 0) {
    heading('Tax by rate (net of refunds)');
    for (const t of report.taxByRate) row(`${percentText(t.rateBp)} on ${money(t.netTaxableMinor)}`, money(t.netTaxMinor));
    row('Tax total', money(report.netTaxMinor), true);
  }

  heading('Cash drawer');
  const c = report.cash;
  row('Opening float', money(c.openingFloatMinor));
  row('Cash sales', money(c.cashSalesMinor));
  row('Cash refunds', money(-c.cashRefundsMinor));
  row(`Cash in (of which credit repayments ${money(c.creditRepaymentsMinor)})`, money(c.cashInMinor));
  row('Cash out', money(-c.cashOutMinor));
  row('Expenses paid in cash', money(-c.cashExpensesMinor));
  if (c.adjustmentsMinor !== 0) row('Corrections', money(c.adjustmentsMinor));
  row('Expected in the drawer', money(close.expectedCashMinor), true);
  row('Counted', money(close.countedCashMinor), true);
  row(close.differenceMinor < 0 ? 'Short' : close.differenceMinor > 0 ? 'Over' : 'Difference', money(close.differenceMinor), true);

  if (close.denominations.length > 0) {
    heading('Count');
    for (const d of close.denominations) row(`${d.count} x ${money(d.valueMinor)}`, money(d.count * d.valueMinor));
  }
  if (report.expenses.count > 0) {
    heading('Expenses');
    row(`Expenses (${report.expenses.count})`, money(report.expenses.cashMinor + report.expenses.otherMinor));
    row('paid from the drawer', money(report.expenses.cashMinor));
    row('paid otherwise', money(report.expenses.otherMinor));
  }
  if (close.note) {
    heading('Note');
    doc.font(FONT.regular).fontSize(10).text(pdfText(close.note), left, doc.y, { width: right - left });
  }
  doc.end();
  return done;
}
