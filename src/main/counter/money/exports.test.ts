import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '@shared/api/events';
import { addDays, dayStart } from '@shared/dates';
import { SETUP, startMoneyKit, type MoneyKit } from './test-kit';

let t: MoneyKit;
beforeEach(async () => {
  t = await startMoneyKit();
});
afterEach(async () => {
  await t.close();
});

/** RFC 4180 parser (quotes, doubled quotes, commas and newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

async function readXlsx(path: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const sheet = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

describe('exports', () => {
  it('writes sales per sale and per line, expenses and credit to CSV and XLSX with progress', async () => {
    const manager = t.ctx('manager');
    const today = t.today();
    const yesterday = addDays(today, -1);
    const yesterdayNoon = dayStart(yesterday, SETUP.timezone) + 12 * 3_600_000;
    const x = await t.customer('Wanjiku, "Mama Mboga"', '+254712345678');
    const a = await t.sale({ lines: [{ name: 'Bread', unitPriceMinor: 5_000 }, { name: '=HYPERLINK("x")', unitPriceMinor: 1_250, quantityMilli: 2_000 }], payments: [{ method: 'cash', amountMinor: 7_500 }], at: yesterdayNoon });
    await t.sale({ lines: [{ name: 'Milk', unitPriceMinor: 6_500 }], payments: [{ method: 'customer_credit', amountMinor: 6_500 }], customerId: x });
    await t.sale({ lines: [{ name: 'Tea', unitPriceMinor: 3_000 }], payments: [{ method: 'card', amountMinor: 3_000 }], status: 'draft' });
    await t.refund(a, [1], [{ method: 'cash', amountMinor: 2_500 }]);
    await t.call('counter.expenseCreate', { amountMinor: 4_000, description: 'Fuel, diesel\nfor "genset"', paidFrom: 'cash' }, t.ctx('cashier'));
    await t.call('counter.creditRepayment', { customerId: x, amountMinor: 1_500, method: 'mobile_money' }, t.ctx('cashier'));

    const events: { name: EventName; payload: unknown }[] = [];
    const off = t.core.bus.subscribe((name, payload) => events.push({ name, payload }));

    // Sales, one row per sale or credit note, CSV.
    const sales = await t.call('counter.export', { kind: 'sales', format: 'csv', from: yesterday, to: today, id: 'exp-1' }, manager);
    expect(sales).toMatchObject({ id: 'exp-1', rows: 3, kind: 'sales', format: 'csv' });
    expect(dirname(sales.path)).toBe(join(t.dir, 'exports'));
    expect(statSync(sales.path).size).toBe(sales.sizeBytes);
    const csv = parseCsv(readFileSync(sales.path, 'utf8'));
    const [header, ...rows] = csv;
    expect(header!.slice(0, 3)).toEqual(['Type', 'Number', 'Day']);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => [r[col('Type')], r[col('Day')], r[col('Total')]])).toEqual([
      ['sale', yesterday, '75.00'],
      ['sale', today, '65.00'],
      ['refund', today, '-25.00'],
    ]);
    expect(rows[1]![col('Customer')]).toBe('Wanjiku, "Mama Mboga"');
    expect(rows[1]![col('Customer credit')]).toBe('65.00');
    expect(rows[2]![col('Cash')]).toBe('-25.00');
    expect(rows[2]![col('Original invoice')]).toBe(a.invoiceNumber);
    expect(rows[0]![col('Time')]).toBe(`${yesterday} 12:00:00`);
    expect(rows.reduce((s, r) => s + Number(r[col('Total')]), 0)).toBeCloseTo(115, 6);
    const progress = events.filter((e) => e.name === 'export.progress').map((e) => e.payload as { id: string; done: number; total: number });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.id === 'exp-1')).toBe(true);
    // 3 sale documents (the draft is read and skipped) and 1 credit note.
    expect(progress[progress.length - 1]).toEqual({ id: 'exp-1', done: 4, total: 4 });

    // Sale lines, XLSX: 2 + 1 sale lines, 1 credit-note line; numbers stay numbers; formula text is neutralised.
    const lines = await t.call('counter.export', { kind: 'sale_lines', format: 'xlsx', from: yesterday, to: today }, manager);
    expect(lines.rows).toBe(4);
    const xl = await readXlsx(lines.path);
    expect(xl[0]!.slice(0, 2)).toEqual(['Type', 'Number']);
    const h = xl[0] as string[];
    const li = (name: string) => h.indexOf(name);
    expect(xl.slice(1).map((r) => [r[li('Item')], r[li('Quantity')], r[li('Line total')]])).toEqual([
      ['Bread', 1, 50],
      ["'=HYPERLINK(\"x\")", 2, 25],
      ['Milk', 1, 65],
      ["'=HYPERLINK(\"x\")", -2, -25],
    ]);

    // Expenses CSV and credit XLSX.
    const exp = await t.call('counter.export', { kind: 'expenses', format: 'csv', from: today, to: today }, manager);
    const expRows = parseCsv(readFileSync(exp.path, 'utf8'));
    expect(expRows).toHaveLength(2);
    expect(expRows[1]![expRows[0]!.indexOf('Description')]).toBe('Fuel, diesel\nfor "genset"');
    expect(expRows[1]![expRows[0]!.indexOf('Amount')]).toBe('40.00');
    const credit = await t.call('counter.export', { kind: 'credit', format: 'xlsx', from: yesterday, to: today }, manager);
    const cr = await readXlsx(credit.path);
    const ch = cr[0] as string[];
    expect(cr.slice(1).map((r) => [r[ch.indexOf('Kind')], r[ch.indexOf('Amount (+ owed, - paid)')], r[ch.indexOf('Customer')]])).toEqual([
      ['sale', 65, 'Wanjiku, "Mama Mboga"'],
      ['repayment', -15, 'Wanjiku, "Mama Mboga"'],
    ]);

    // An empty period still gives a file with its header.
    const empty = await t.call('counter.export', { kind: 'sales', format: 'xlsx', from: '2020-01-01', to: '2020-01-31' }, manager);
    expect(empty.rows).toBe(0);
    expect((await readXlsx(empty.path)).length).toBe(1);
    expect(existsSync(empty.path)).toBe(true);
    off();

    expect(await t.fail('counter.export', { kind: 'sales', format: 'csv', from: today, to: today }, t.ctx('cashier'))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
