// Exports of a period to CSV or XLSX files in <data folder>/exports, streamed page by
// page (1,000 documents at a time) so a million sales export in bounded memory:
// documents are read in index order with a key cursor, rows go to a file stream
// (CSV, waiting for 'drain') or to exceljs' streaming WorkbookWriter (no shared
// strings), and 'export.progress' events report documents read / to read.
//
// Kinds:
//  - sales: one row per finalised sale AND per credit note (type column), day by day,
//    sales then credit notes within a day; credit-note amounts are negative so every
//    money column adds up to the period's net takings.
//  - sale_lines: one row per line of those sales and credit notes (for product and tax
//    analysis); a sale with 3 lines gives 3 rows. Both are useful: accountants want one
//    row per invoice, stock and product analysis wants lines.
//  - expenses: one row per (live) expense.
//  - credit: one row per customer credit ledger entry (+ owed, - repaid or reversed).
// Amounts are decimals in the currency's units ("1250.00"): exact decimal text in CSV,
// plain numbers in XLSX (so spreadsheets can add them up). Text
// cells that start with = + - @ get a leading apostrophe (spreadsheet formula injection).
import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { EXPORT_KINDS, ExportResult } from '@shared/api/ops/counter-money';
import { quantityText } from '@shared/counter';
import { timeZoneOffsetMs } from '@shared/dates';
import { newId } from '@shared/ids';
import { toDecimalString } from '@shared/money';
import type { CreditNoteDoc, CustomerCreditEntryDoc, ExpenseDoc, SaleDoc } from '@shared/schema';
import { PAYMENT_METHODS } from '@shared/schema/fields';
import type { MoneyContext } from './context';
import type { SourceIndex } from './source';

export type ExportKind = (typeof EXPORT_KINDS)[number];
type Cell = string | number;
type ColumnKind = 'text' | 'money' | 'number' | 'time';

const PAGE = 1_000;

interface Column {
  header: string;
  kind: ColumnKind;
  width?: number;
}

interface RowSink {
  row(values: Cell[]): Promise<void>;
  close(): Promise<void>;
}

function csvSink(path: string, columns: Column[]): RowSink {
  const out: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  const escape = (v: Cell) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  let buffer = '\uFEFF' + columns.map((c) => escape(c.header)).join(',') + '\r\n';
  const flush = async () => {
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  return {
    async row(values) {
      buffer += values.map(escape).join(',') + '\r\n';
      if (buffer.length > 64 * 1024) await flush();
    },
    async close() {
      await flush();
      out.end();
      await once(out, 'finish');
    },
  };
}

function xlsxSink(path: string, sheetName: string, columns: Column[]): RowSink {
  // No styles (number formats, bold header): they make exceljs' streaming writer about
  // 2.5 times slower, which matters at hundreds of thousands of rows. Amounts are plain
  // numbers that a spreadsheet can format and add up.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false, zip: { zlib: { level: 1 } } });
  const sheet = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? (c.kind === 'text' ? 24 : 14) }));
  // exceljs writes the sheet's XML into the zip without back-pressure: what deflate has not
  // taken yet queues in memory. Wait for it to drain below 16 MB now and then, so the
  // memory stays bounded whatever the number of rows.
  const queued = () => {
    // (exceljs internals: the sheet's StreamBuf and the zip entry streams it pipes into, readable-stream v2.)
    type Pipe = { writableLength?: number; _writableState?: { length?: number } };
    const s = (sheet as unknown as { stream?: { buffers?: unknown[]; pipes?: Pipe[] } }).stream;
    return (s?.buffers?.length ?? 0) * 65_536 + (s?.pipes ?? []).reduce((sum, p) => sum + (p.writableLength ?? p._writableState?.length ?? 0), 0);
  };
  let n = 0;
  return {
    async row(values) {
      sheet.addRow(values.map((v, i) => (columns[i]!.kind === 'money' && typeof v === 'string' && v !== '' ? Number(v) : v))).commit();
      if (++n % 200 === 0) {
        await new Promise((r) => setImmediate(r));
        while (queued() > 16 * 1_048_576) await new Promise((r) => setTimeout(r, 2));
      }
    },
    async close() {
      sheet.commit();
      await wb.commit();
    },
  };
}

/** 'YYYY-MM-DD HH:mm:ss' in the shop zone, with the zone offset cached per 15 minutes. */
function localTimeFormatter(timeZone: string): (ms: number) => string {
  const cache = new Map<number, number | null>();
  return (ms) => {
    const slot = Math.floor(ms / 900_000);
    let offset = cache.get(slot);
    if (offset === undefined) {
      const a = timeZoneOffsetMs(slot * 900_000, timeZone);
      const b = timeZoneOffsetMs(slot * 900_000 + 899_999, timeZone);
      offset = a === b ? a : null;
      if (cache.size > 100_000) cache.clear();
      cache.set(slot, offset);
    }
    const local = ms + (offset ?? timeZoneOffsetMs(ms, timeZone));
    return new Date(local).toISOString().slice(0, 19).replace('T', ' ');
  };
}

const safeText = (s: string | undefined) => {
  const v = s ?? '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
};

export class ExportService {
  constructor(private readonly m: MoneyContext) {}

  get folder(): string {
    return join(this.m.core.options.dataDir, 'exports');
  }

  async run(input: { kind: ExportKind; format: 'csv' | 'xlsx'; from: string; to: string; id?: string | undefined }): Promise<ExportResult> {
    const shop = await this.m.shopSettings();
    const id = input.id ?? newId();
    const db = this.m.core.store.db;
    const cur = shop.currency;
    const money = (n: number) => toDecimalString(n, cur);
    const at = localTimeFormatter(shop.timeZone);

    const [devices, users, customers, categories] = await Promise.all([
      db.collections.devices.find().exec(),
      db.collections.users.find().exec(),
      db.collections.customers.find().exec(),
      db.collections.expenseCategories.find().exec(),
    ]);
    const deviceCode = new Map(devices.map((d) => [d.id, d.code]));
    const userName = new Map(users.map((u) => [u.id, u.name]));
    const customerName = new Map(customers.map((c) => [c.id, c.name]));
    const categoryName = new Map(categories.map((c) => [c.id, c.name]));

    const T = (header: string, width?: number): Column => ({ header, kind: 'text', ...(width ? { width } : {}) });
    const M = (header: string): Column => ({ header, kind: 'money' });
    const N = (header: string): Column => ({ header, kind: 'number' });
    const W = (header: string): Column => ({ header, kind: 'time', width: 20 });

    let columns: Column[];
    let sheetName: string;
    let sources: { source: SourceIndex<{ id: string }>; rows: (doc: never) => Cell[][] }[];
    const pay = (list: readonly { method: string; amountMinor: number }[], sign: number) =>
      PAYMENT_METHODS.map((method) => money(sign * list.filter((p) => p.method === method).reduce((s, p) => s + p.amountMinor, 0)));

    switch (input.kind) {
      case 'sales':
        sheetName = 'Sales';
        columns = [
          T('Type', 12), T('Number', 18), T('Day', 12), W('Time'), T('Register', 10), T('Cashier'), T('Customer'), N('Lines'),
          M('Subtotal'), M('Discount'), M('Tax'), M('Rounding'), M('Total'), M('Cash'), M('Card'), M('Mobile money'), M('Customer credit'),
          T('Currency', 9), T('Original invoice', 18), T('Note or reason', 30), T('Id', 38),
        ];
        sources = [
          {
            source: this.m.sources.salesByDay as unknown as SourceIndex<{ id: string }>,
            rows: (s: SaleDoc) =>
              s.status !== 'finalised'
                ? []
                : [[
                    'sale', s.invoiceNumber, s.day, at(s.finalisedAt ?? s.createdAt), deviceCode.get(s.deviceId) ?? '', safeText(userName.get(s.cashierId)),
                    safeText(customerName.get(s.customerId)), s.lines.length, money(s.subtotalMinor), money(s.discountMinor), money(s.taxMinor),
                    money(s.roundingMinor), money(s.totalMinor), ...pay(s.payments, 1), s.currency, '', safeText(s.note), s.id,
                  ]],
          },
          {
            source: this.m.sources.creditNotesByDay as unknown as SourceIndex<{ id: string }>,
            rows: (n: CreditNoteDoc) => [[
              n.kind === 'void' ? 'void' : 'refund', n.number, n.day, at(n.createdAt), deviceCode.get(n.deviceId) ?? '', safeText(userName.get(n.cashierId)),
              safeText(customerName.get(n.customerId)), n.lines.length, money(-n.subtotalMinor), money(-n.discountMinor), money(-n.taxMinor),
              money(-n.roundingMinor), money(-n.totalMinor), ...pay(n.refunds, -1), n.currency, n.saleInvoiceNumber, safeText(n.reason), n.id,
            ]],
          },
        ];
        break;
      case 'sale_lines':
        sheetName = 'Sale lines';
        columns = [
          T('Type', 12), T('Number', 18), T('Day', 12), W('Time'), T('Register', 10), T('Customer'), N('Line'), T('Product id', 38), T('SKU', 14),
          T('Item', 30), N('Quantity'), M('Unit price'), M('Discount'), N('Tax rate %'), M('Tax'), M('Line total'), T('Currency', 9), T('Sale id', 38),
        ];
        sources = [
          {
            source: this.m.sources.salesByDay as unknown as SourceIndex<{ id: string }>,
            rows: (s: SaleDoc) =>
              s.status !== 'finalised'
                ? []
                : s.lines.map((l, i) => [
                    'sale', s.invoiceNumber, s.day, at(s.finalisedAt ?? s.createdAt), deviceCode.get(s.deviceId) ?? '', safeText(customerName.get(s.customerId)),
                    i + 1, l.productId, safeText(l.sku), safeText(l.name), Number(quantityText(l.quantityMilli)), money(l.unitPriceMinor), money(l.discountMinor),
                    l.taxRateBp / 100, money(l.taxMinor), money(l.totalMinor), s.currency, s.id,
                  ]),
          },
          {
            source: this.m.sources.creditNotesByDay as unknown as SourceIndex<{ id: string }>,
            rows: (n: CreditNoteDoc) =>
              n.lines.map((l, i) => [
                n.kind === 'void' ? 'void' : 'refund', n.number, n.day, at(n.createdAt), deviceCode.get(n.deviceId) ?? '', safeText(customerName.get(n.customerId)),
                i + 1, l.productId, safeText(l.sku), safeText(l.name), -Number(quantityText(l.quantityMilli)), money(l.unitPriceMinor), money(-l.discountMinor),
                l.taxRateBp / 100, money(-l.taxMinor), money(-l.totalMinor), n.currency, n.saleId,
              ]),
          },
        ];
        break;
      case 'expenses':
        sheetName = 'Expenses';
        columns = [T('Day', 12), W('Recorded at'), T('Category'), T('Description', 36), T('Vendor'), T('Reference'), T('Paid from', 10), M('Amount'), T('Currency', 9), T('Register', 10), T('Recorded by'), T('Id', 38)];
        sources = [
          {
            source: this.m.sources.expensesByDay as unknown as SourceIndex<{ id: string }>,
            rows: (e: ExpenseDoc) => [[
              e.day, at(e.createdAt), safeText(categoryName.get(e.categoryId) ?? ''), safeText(e.description), safeText(e.vendor), safeText(e.reference),
              e.paidFrom, money(e.amountMinor), e.currency, deviceCode.get(e.deviceId) ?? '', safeText(userName.get(e.createdBy ?? '')), e.id,
            ]],
          },
        ];
        break;
      case 'credit':
        sheetName = 'Customer credit';
        columns = [
          T('Day', 12), W('Time'), T('Customer'), T('Kind', 11), M('Amount (+ owed, - paid)'), T('Method', 13), T('Reference'), T('Note', 30), M('Balance after'),
          T('Currency', 9), T('Sale id', 38), T('Reverses', 38), T('Register', 10), T('Recorded by'), T('Id', 38),
        ];
        sources = [
          {
            source: this.m.sources.creditByDay as unknown as SourceIndex<{ id: string }>,
            rows: (e: CustomerCreditEntryDoc) => [[
              e.day, at(e.createdAt), safeText(customerName.get(e.customerId) ?? e.customerId), e.kind, money(e.amountMinor), e.paymentMethod ?? '',
              safeText(e.reference), safeText(e.note), e.balanceAfterMinor !== undefined ? money(e.balanceAfterMinor) : '', e.currency, e.saleId,
              e.reversesId ?? '', deviceCode.get(e.deviceId) ?? '', safeText(userName.get(e.createdBy ?? '')), e.id,
            ]],
          },
        ];
        break;
    }

    mkdirSync(this.folder, { recursive: true });
    const fileName = `${input.kind.replace('_', '-')}-${input.from}-to-${input.to}-${id.slice(-8)}.${input.format}`;
    const path = join(this.folder, fileName);
    const sink = input.format === 'csv' ? csvSink(path, columns) : xlsxSink(path, sheetName, columns);

    const total = sources.reduce((s, x) => s + x.source.count([input.from], [input.to]), 0);
    let done = 0;
    let rows = 0;
    let lastEmit = 0;
    const emit = (force = false) => {
      const now = performance.now();
      if (!force && now - lastEmit < 100) return;
      lastEmit = now;
      this.m.core.bus.emit('export.progress', { id, done, total });
    };
    emit(true);
    try {
      // Day by day: within a day the sales, then the credit notes.
      for (let day = firstDay(sources, input.from); day !== undefined && day <= input.to; day = nextDay(sources, day)) {
        for (const { source, rows: toRows } of sources) {
          let after = '';
          for (;;) {
            const page = source.page([day], [day], after, PAGE);
            for (const { doc } of page) {
              for (const r of toRows(doc as never)) {
                await sink.row(r);
                rows++;
              }
            }
            done += page.length;
            emit();
            if (page.length < PAGE) break;
            after = page[page.length - 1]!.key;
            await new Promise((r) => setImmediate(r));
          }
        }
      }
    } finally {
      await sink.close();
    }
    emit(true);
    return { id, kind: input.kind, format: input.format, path, fileName, sizeBytes: statSync(path).size, rows };
  }
}

function firstDay(sources: { source: SourceIndex<{ id: string }> }[], from: string): string | undefined {
  const candidates = sources.map((s) => {
    const first = s.source.page([from], ['9999-12-31'], '', 1)[0];
    return first ? (first.doc as unknown as { day: string }).day : undefined;
  });
  return candidates.filter((d): d is string => d !== undefined).sort()[0];
}

function nextDay(sources: { source: SourceIndex<{ id: string }> }[], after: string): string | undefined {
  return sources
    .map((s) => s.source.nextValue(after, 'day'))
    .filter((d): d is string => d !== undefined)
    .sort()[0];
}
