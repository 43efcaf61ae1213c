// The counter's money operations (src/shared/api/ops/counter-money.ts) on their services.
import type { counterMoneyOps } from '@shared/api/ops/counter-money';
import type { HandlerSlice } from '../../core/router';
import type { CreditService } from './credit';
import type { DayCloseService } from './day-close';
import type { DrawerService } from './drawer';
import type { ExpenseService } from './expenses';
import type { ExportService } from './exports';
import type { InsightsService } from './insights';

type Ops = keyof typeof counterMoneyOps;

export function counterMoneyHandlers(s: {
  expenses: ExpenseService;
  credit: CreditService;
  drawer: DrawerService;
  dayClose: DayCloseService;
  insights: InsightsService;
  exports: ExportService;
}): HandlerSlice<Ops> {
  return {
    'counter.expenseCreate': (input, ctx) => s.expenses.create(ctx, input),
    'counter.expenseUpdate': ({ id, override, ...patch }, ctx) => s.expenses.update(ctx, id, { ...patch, override }),
    'counter.expenseVoid': async ({ id, reason, override }, ctx) => {
      await s.expenses.void(ctx, id, reason, override);
      return { ok: true as const };
    },
    'counter.expenseList': (input) => s.expenses.list(input),
    'counter.expenseCategories': ({ includeInactive }) => s.expenses.categories(includeInactive),
    'counter.expenseCategorySave': (input, ctx) => s.expenses.saveCategory(ctx, input),
    'counter.expenseCategoryArchive': ({ id }, ctx) => s.expenses.archiveCategory(ctx, id),
    'counter.suggestCategory': async ({ description }) => ({ suggestion: await s.expenses.suggest(description) }),

    'counter.creditRepayment': (input, ctx) => s.credit.repayment(ctx, input),
    'counter.creditReverse': (input, ctx) => s.credit.reverse(ctx, input),
    'counter.creditOwing': (input) => s.credit.owing(input),
    'counter.creditStatement': ({ customerId, limit }) => s.credit.statement(customerId, limit),
    'counter.reminderPrepare': ({ customerId, template }) => s.credit.prepareReminder(customerId, template),
    'counter.reminderLog': (input, ctx) => s.credit.logReminder(ctx, input),
    'counter.reminderHistory': ({ customerId }) => s.credit.reminderHistory(customerId),

    'counter.drawerFloat': ({ amountMinor, reason }, ctx) => s.drawer.float(ctx, amountMinor, reason),
    'counter.drawerCash': (input, ctx) => s.drawer.cash(ctx, input),
    'counter.drawerReverse': (input, ctx) => s.drawer.reverse(ctx, input),
    'counter.drawerState': ({ day }) => s.drawer.state(day),

    'counter.dayCloseDraft': ({ day }) => s.dayClose.draft(day),
    'counter.closeDay': (input, ctx) => s.dayClose.close(ctx, input),
    'counter.shopDayReport': ({ day }) => s.dayClose.shopDay(day),
    'counter.zReportPdf': ({ dayCloseId }) => s.dayClose.pdf(dayCloseId),

    'counter.insights': (input) => s.insights.insights(input),
    'counter.insightsStatus': () => s.insights.status(),
    'counter.export': (input) => s.exports.run(input),
  };
}
