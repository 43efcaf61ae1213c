// Day close of this register: the Z report draft (takings per payment method, the cash
// to count), the close itself (a dayCloses document: expected and counted totals and
// the difference; from then on the day lock on the write path refuses changes to this
// register's day), the shop's daily report over every register, and the Z report PDF.
import { ApiError } from '@shared/api/errors';
import type { DayClose } from '@shared/api/ops/counter-money';
import { amountText, dayCloseFields, denominationsFor, type ZReport } from '@shared/counter';
import { newId } from '@shared/ids';
import type { DayCloseDoc, DeviceDoc } from '@shared/schema';
import { actorOf } from '../../core/actor';
import type { CallContext } from '../../core/router';
import { refuseFuture, rule, type MoneyContext } from './context';
import type { DrawerService } from './drawer';
import { zReportPdf } from './z-report-pdf';

const time = (ms: number, tz: string) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(ms);

export class DayCloseService {
  constructor(
    private readonly m: MoneyContext,
    private readonly drawer: DrawerService,
  ) {}

  private get db() {
    return this.m.core.store.db;
  }

  async closeOf(day: string, deviceId = this.m.deviceId): Promise<DayCloseDoc | null> {
    const doc = await this.db.collections.dayCloses.findOne({ selector: { day, deviceId } }).exec();
    return doc ? (doc.toJSON() as DayCloseDoc) : null;
  }

  async present(docs: DayCloseDoc[]): Promise<DayClose[]> {
    const names = await this.m.userNames(docs.map((d) => d.closedBy));
    const out: DayClose[] = [];
    for (const c of docs) {
      out.push({
        id: c.id,
        day: c.day,
        deviceId: c.deviceId,
        registerId: c.registerId,
        registerName: await this.m.registerName(c.deviceId),
        currency: c.currency,
        expected: { ...c.expected },
        openingFloatMinor: c.openingFloatMinor,
        cashInMinor: c.cashInMinor,
        cashOutMinor: c.cashOutMinor,
        expectedCashMinor: c.expectedCashMinor,
        countedCashMinor: c.countedCashMinor,
        denominations: c.denominations.map((d) => ({ ...d })),
        differenceMinor: c.differenceMinor,
        salesCount: c.salesCount,
        salesTotalMinor: c.salesTotalMinor,
        taxTotalMinor: c.taxTotalMinor,
        refundsCount: c.refundsCount,
        refundsTotalMinor: c.refundsTotalMinor,
        firstInvoiceSeq: c.firstInvoiceSeq ?? null,
        lastInvoiceSeq: c.lastInvoiceSeq ?? null,
        note: c.note ?? '',
        closedBy: c.closedBy,
        closedByName: names.get(c.closedBy) ?? '',
        closedAt: c.closedAt,
      });
    }
    return out;
  }

  async draft(dayInput?: string) {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    const day = dayInput ?? today;
    refuseFuture(day, today, 'A day close');
    const report = await this.drawer.report(day);
    const close = await this.closeOf(day);
    return {
      day,
      deviceId: this.m.deviceId,
      registerId: await this.m.registerId(),
      registerName: await this.m.registerName(),
      currency: shop.currency,
      report,
      denominations: rule(() => denominationsFor(shop.currency)).map((d) => ({ ...d })),
      close: close ? (await this.present([close]))[0]! : null,
      warnings: warningsOf(report, shop.currency),
    };
  }

  async close(ctx: CallContext, input: { day: string; counts: { valueMinor: number; count: number }[]; note?: string | undefined }): Promise<DayClose> {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    refuseFuture(input.day, today, 'A day close');
    const registerId = await this.m.registerId();
    const actor = actorOf(ctx);
    const doc = await this.m.core.writes.run({ action: 'day.close', actor, ...(input.note ? { reason: input.note } : {}) }, async (tx) => {
      const existing = await this.closeOf(input.day);
      if (existing) {
        const by = (await this.m.userNames([existing.closedBy])).get(existing.closedBy) ?? 'someone';
        throw new ApiError('CONFLICT', `The day ${input.day} is already closed on this register (by ${by} at ${time(existing.closedAt, shop.timeZone)}). Corrections go into today's open day.`);
      }
      const report = await this.drawer.report(input.day, this.m.deviceId, input.counts);
      const fields = rule(() => dayCloseFields(report), 'counts');
      return tx.insert('dayCloses', {
        id: newId(),
        deviceId: this.m.deviceId,
        registerId,
        day: input.day,
        currency: shop.currency,
        ...fields,
        note: input.note ?? '',
        closedBy: actor.userId,
        closedAt: tx.now,
      });
    });
    return (await this.present([doc]))[0]!;
  }

  async shopDay(day: string) {
    const shop = await this.m.shopSettings();
    const closes = (await this.db.collections.dayCloses.find({ selector: { day } }).exec()).map((d) => d.toJSON() as DayCloseDoc);
    const devices = (await this.db.collections.devices.find().exec()).map((d) => d.toJSON() as DeviceDoc);
    const salesBy = new Map<string, number>();
    for (const s of this.m.sources.salesByDay.all([day])) if (s.status === 'finalised') salesBy.set(s.deviceId, (salesBy.get(s.deviceId) ?? 0) + 1);
    const closeBy = new Map(closes.map((c) => [c.deviceId, c]));
    const ids = new Set<string>([...devices.filter((d) => !d.revokedAt && d.kind !== 'cli').map((d) => d.id), ...closeBy.keys(), ...salesBy.keys()]);
    const deviceBy = new Map(devices.map((d) => [d.id, d]));
    const presented = new Map((await this.present(closes)).map((c) => [c.deviceId, c]));
    const registers = [...ids].map((id) => {
      const d = deviceBy.get(id);
      return {
        deviceId: id,
        name: d?.name ?? 'Unknown register',
        code: d?.code ?? '',
        registerId: d?.registerId || id,
        salesCount: salesBy.get(id) ?? 0,
        close: presented.get(id) ?? null,
      };
    });
    registers.sort((a, b) => a.code.localeCompare(b.code) || a.name.localeCompare(b.name));
    const missing = registers.filter((r) => !r.close && r.salesCount > 0).map((r) => ({ deviceId: r.deviceId, name: r.code ? `${r.name} (${r.code})` : r.name, salesCount: r.salesCount }));
    const sum = (f: (c: DayCloseDoc) => number) => closes.reduce((s, c) => s + f(c), 0);
    return {
      day,
      currency: shop.currency,
      registers,
      missing,
      complete: missing.length === 0,
      totals: {
        expected: {
          cashMinor: sum((c) => c.expected.cashMinor),
          cardMinor: sum((c) => c.expected.cardMinor),
          mobileMoneyMinor: sum((c) => c.expected.mobileMoneyMinor),
          customerCreditMinor: sum((c) => c.expected.customerCreditMinor),
        },
        expectedCashMinor: sum((c) => c.expectedCashMinor),
        countedCashMinor: sum((c) => c.countedCashMinor),
        differenceMinor: sum((c) => c.differenceMinor),
        salesCount: sum((c) => c.salesCount),
        salesTotalMinor: sum((c) => c.salesTotalMinor),
        taxTotalMinor: sum((c) => c.taxTotalMinor),
        refundsCount: sum((c) => c.refundsCount),
        refundsTotalMinor: sum((c) => c.refundsTotalMinor),
      },
    };
  }

  async pdf(dayCloseId: string): Promise<{ fileName: string; base64: string }> {
    const found = await this.db.collections.dayCloses.findOne(dayCloseId).exec();
    if (!found) throw new ApiError('NOT_FOUND', 'That day close does not exist.');
    const close = found.toJSON() as DayCloseDoc;
    const shop = await this.m.shopSettings();
    // A closed day is immutable, so recomputing gives the report as it was closed.
    const report = await this.drawer.report(close.day, close.deviceId, close.denominations);
    const [presented] = await this.present([close]);
    const buffer = await zReportPdf({ shop, close: presented!, report });
    const code = (await this.db.collections.devices.findOne(close.deviceId).exec())?.code ?? 'register';
    return { fileName: `z-report-${close.day}-${code}.pdf`, base64: buffer.toString('base64') };
  }
}

function warningsOf(report: ZReport, currency: string): string[] {
  const out: string[] = [];
  if (report.ignoredSalesCount > 0) {
    out.push(`${report.ignoredSalesCount} parked or unfinished sale${report.ignoredSalesCount === 1 ? ' is' : 's are'} not in the report; finish or discard ${report.ignoredSalesCount === 1 ? 'it' : 'them'} first if the customer paid.`);
  }
  if (report.invoices.missingSeqs.length > 0) out.push(`Invoice numbers missing from the series: ${report.invoices.missingSeqs.slice(0, 20).join(', ')}.`);
  if (report.invoices.duplicateSeqs.length > 0) out.push(`Invoice numbers used twice: ${report.invoices.duplicateSeqs.slice(0, 20).join(', ')}.`);
  if (report.ledgerCheck.differenceMinor !== 0) {
    out.push(`The drawer entries and the day's documents differ by ${amountText(report.ledgerCheck.differenceMinor, currency)}; a sale, refund or expense may be missing its drawer entry.`);
  }
  return out;
}
