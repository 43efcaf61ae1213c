// Expenses and expense categories. A cash expense takes its money out of the register's
// drawer: the same write adds a drawerMovements cash_out entry (expenseId set), and a
// correction or void adds a reversal entry for it (the drawer ledger is append-only).
// Changes to a closed day are refused by the day lock on the write path (a manager
// override lets a correction through and is recorded in the audit log).
import { ApiError } from '@shared/api/errors';
import type { Expense, ExpenseCategory } from '@shared/api/ops/counter-money';
import type { OverrideInput } from '@shared/api/ops/auth';
import { suggestExpenseCategory, type ExpenseCategorySuggestion } from '@shared/counter';
import { newId } from '@shared/ids';
import type { DrawerMovementDoc, ExpenseCategoryDoc, ExpenseDoc } from '@shared/schema';
import { actorOf } from '../../core/actor';
import type { CallContext } from '../../core/router';
import type { WriteTx } from '../../store/write-path';
import { refuseFuture, type MoneyContext } from './context';

export interface ExpenseInput {
  amountMinor: number;
  description: string;
  categoryId?: string | undefined;
  vendor?: string | undefined;
  reference?: string | undefined;
  paidFrom: 'cash' | 'other';
  day?: string | undefined;
}

export type ExpensePatch = Partial<ExpenseInput> & { override?: OverrideInput | undefined };

export function toCategory(c: ExpenseCategoryDoc): ExpenseCategory {
  return { id: c.id, name: c.name, color: c.color, keywordRules: [...c.keywordRules], active: c.active, sortOrder: c.sortOrder ?? 0 };
}

export class ExpenseService {
  constructor(private readonly m: MoneyContext) {}

  private get db() {
    return this.m.core.store.db;
  }

  async categories(includeInactive = false): Promise<ExpenseCategory[]> {
    const docs = await this.db.collections.expenseCategories.find(includeInactive ? {} : { selector: { active: true } }).exec();
    return docs
      .map((d) => toCategory(d.toJSON() as ExpenseCategoryDoc))
      .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  }

  async suggest(description: string): Promise<ExpenseCategorySuggestion | null> {
    return suggestExpenseCategory(description, await this.categories(false)) ?? null;
  }

  async saveCategory(
    ctx: CallContext,
    input: { id?: string | undefined; name: string; color: string; keywordRules: string[]; active: boolean; sortOrder?: number | undefined },
  ): Promise<ExpenseCategory> {
    const keywordRules = [...new Map(input.keywordRules.map((k) => [k.toLowerCase(), k])).values()];
    const all = await this.categories(true);
    const clash = all.find((c) => c.active && input.active && c.id !== input.id && c.name.trim().toLowerCase() === input.name.trim().toLowerCase());
    if (clash) throw new ApiError('CONFLICT', `There is already a category called "${clash.name}".`, [{ path: 'name', message: 'That name is taken.' }]);
    const doc = await this.m.core.writes.run({ action: input.id ? 'expenseCategory.update' : 'expenseCategory.create', actor: actorOf(ctx) }, async (tx) => {
      if (input.id) {
        if (!(await tx.get('expenseCategories', input.id))) throw new ApiError('NOT_FOUND', 'That category no longer exists.');
        return tx.update('expenseCategories', input.id, {
          name: input.name,
          color: input.color,
          keywordRules,
          active: input.active,
          ...(input.sortOrder !== undefined ? { sortOrder: input.sortOrder } : {}),
        });
      }
      const sortOrder = input.sortOrder ?? Math.min(10_000, all.reduce((max, c) => Math.max(max, c.sortOrder + 1), 0));
      return tx.insert('expenseCategories', { id: newId(), name: input.name, color: input.color, keywordRules, active: input.active, sortOrder });
    });
    return toCategory(doc);
  }

  async archiveCategory(ctx: CallContext, id: string): Promise<ExpenseCategory> {
    const doc = await this.m.core.writes.run({ action: 'expenseCategory.archive', actor: actorOf(ctx) }, async (tx) => {
      if (!(await tx.get('expenseCategories', id))) throw new ApiError('NOT_FOUND', 'That category no longer exists.');
      return tx.update('expenseCategories', id, { active: false });
    });
    return toCategory(doc);
  }

  /** Checks a chosen category; absent = the suggestion for the description (or none). */
  private async resolveCategory(categoryId: string | undefined, description: string, current?: string): Promise<string> {
    if (categoryId === undefined) return (await this.suggest(description))?.categoryId ?? '';
    if (categoryId === '' || categoryId === current) return categoryId;
    const cat = await this.db.collections.expenseCategories.findOne(categoryId).exec();
    if (!cat) throw new ApiError('VALIDATION', 'That category does not exist.', [{ path: 'categoryId', message: 'Choose another category.' }]);
    if (!cat.active) throw new ApiError('VALIDATION', `The category "${cat.name}" is archived; choose another one.`, [{ path: 'categoryId', message: 'Archived category.' }]);
    return categoryId;
  }

  async create(ctx: CallContext, input: ExpenseInput): Promise<Expense> {
    const shop = await this.m.shopSettings();
    const today = await this.m.today();
    const day = input.day ?? today;
    refuseFuture(day, today, 'An expense');
    const categoryId = await this.resolveCategory(input.categoryId, input.description);
    const registerId = await this.m.registerId();
    const actor = actorOf(ctx);
    const doc = await this.m.core.writes.run({ action: 'expense.create', actor }, async (tx) => {
      const id = newId();
      const expense: Omit<ExpenseDoc, 'createdAt' | 'updatedAt'> = {
        id,
        amountMinor: input.amountMinor,
        currency: shop.currency,
        categoryId,
        description: input.description,
        vendor: input.vendor ?? '',
        reference: input.reference ?? '',
        day,
        deviceId: this.m.deviceId,
        paidFrom: input.paidFrom,
        drawerMovementId: '',
        createdBy: actor.userId,
      };
      if (input.paidFrom === 'cash') expense.drawerMovementId = await this.cashOut(tx, expense, registerId, actor.userId);
      return tx.insert('expenses', expense);
    });
    return (await this.present([doc]))[0]!;
  }

  async update(ctx: CallContext, id: string, patch: ExpensePatch): Promise<Expense> {
    const today = await this.m.today();
    if (patch.day !== undefined) refuseFuture(patch.day, today, 'An expense');
    const existing = await this.db.collections.expenses.findOne(id).exec();
    if (!existing) throw new ApiError('NOT_FOUND', 'That expense does not exist (it may have been voided).');
    const description = patch.description ?? existing.description;
    const categoryId = patch.categoryId === undefined ? existing.categoryId : await this.resolveCategory(patch.categoryId, description, existing.categoryId);
    const actor = actorOf(ctx);
    const request = await this.m.overrides.apply({ action: 'expense.update', actor }, ctx, patch.override);
    const doc = await this.m.core.writes.run(request, async (tx) => {
      const current = await tx.get('expenses', id);
      if (!current) throw new ApiError('NOT_FOUND', 'That expense does not exist (it may have been voided).');
      const next: ExpenseDoc = {
        ...current,
        amountMinor: patch.amountMinor ?? current.amountMinor,
        description,
        categoryId,
        vendor: patch.vendor ?? current.vendor ?? '',
        reference: patch.reference ?? current.reference ?? '',
        paidFrom: patch.paidFrom ?? current.paidFrom,
        day: patch.day ?? current.day,
      };
      const cashChanged =
        next.paidFrom !== current.paidFrom || (next.paidFrom === 'cash' && (next.amountMinor !== current.amountMinor || next.day !== current.day));
      if (cashChanged) {
        if (current.paidFrom === 'cash') await this.reverseCashOut(tx, current, actor.userId, 'Expense corrected');
        next.drawerMovementId = next.paidFrom === 'cash' ? await this.cashOut(tx, next, await this.m.registerId(next.deviceId), actor.userId) : '';
      }
      return tx.update('expenses', id, next);
    });
    return (await this.present([doc]))[0]!;
  }

  async void(ctx: CallContext, id: string, reason: string, override?: OverrideInput): Promise<void> {
    const actor = actorOf(ctx);
    const request = await this.m.overrides.apply({ action: 'expense.void', actor, reason }, ctx, override);
    await this.m.core.writes.run(request, async (tx) => {
      const current = await tx.get('expenses', id);
      if (!current) throw new ApiError('NOT_FOUND', 'That expense does not exist (it may have been voided already).');
      if (current.paidFrom === 'cash') await this.reverseCashOut(tx, current, actor.userId, `Expense voided: ${reason}`);
      await tx.remove('expenses', id);
    });
  }

  async list(input: { from: string; to: string; categoryId?: string | undefined; deviceId?: string | undefined; limit: number }): Promise<{
    items: Expense[];
    count: number;
    totalMinor: number;
    truncated: boolean;
  }> {
    const shop = await this.m.shopSettings();
    const docs = this.m.sources.expensesByDay
      .all([input.from], [input.to])
      .filter((e) => (input.categoryId === undefined || e.categoryId === input.categoryId) && (input.deviceId === undefined || e.deviceId === input.deviceId));
    docs.reverse(); // newest day first, newest first within the day
    const totalMinor = docs.reduce((s, e) => s + (e.currency === shop.currency ? e.amountMinor : 0), 0);
    const page = docs.slice(0, input.limit);
    return { items: await this.present(page), count: docs.length, totalMinor, truncated: docs.length > page.length };
  }

  private async cashOut(tx: WriteTx, e: Omit<ExpenseDoc, 'createdAt' | 'updatedAt'>, registerId: string, userId: string): Promise<string> {
    const movement: Omit<DrawerMovementDoc, 'createdAt' | 'updatedAt'> = {
      id: newId(),
      deviceId: e.deviceId,
      registerId,
      day: e.day,
      kind: 'cash_out',
      amountMinor: -e.amountMinor,
      currency: e.currency,
      reason: `Expense: ${e.description}`.slice(0, 500),
      expenseId: e.id,
      createdBy: userId,
    };
    await tx.insert('drawerMovements', movement);
    return movement.id;
  }

  private async reverseCashOut(tx: WriteTx, e: ExpenseDoc, userId: string, reason: string): Promise<void> {
    if (!e.drawerMovementId) return;
    const original = await tx.get('drawerMovements', e.drawerMovementId);
    if (!original) return;
    await tx.insert('drawerMovements', {
      id: newId(),
      deviceId: original.deviceId,
      registerId: original.registerId,
      day: original.day,
      kind: 'reversal',
      amountMinor: -original.amountMinor,
      currency: original.currency,
      reason: reason.slice(0, 500),
      expenseId: e.id,
      reversesId: original.id,
      createdBy: userId,
    });
  }

  async present(docs: ExpenseDoc[]): Promise<Expense[]> {
    const cats = new Map((await this.categories(true)).map((c) => [c.id, c]));
    return docs.map((e) => {
      const c = cats.get(e.categoryId);
      return {
        id: e.id,
        day: e.day,
        amountMinor: e.amountMinor,
        currency: e.currency,
        categoryId: e.categoryId,
        categoryName: c?.name ?? '',
        categoryColor: c?.color ?? '',
        description: e.description,
        vendor: e.vendor ?? '',
        reference: e.reference ?? '',
        paidFrom: e.paidFrom,
        deviceId: e.deviceId,
        drawerMovementId: e.drawerMovementId ?? '',
        createdBy: e.createdBy ?? '',
        createdAt: e.createdAt,
        updatedAt: e.updatedAt,
      };
    });
  }
}
