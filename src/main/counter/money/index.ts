// Money around the counter, insights and exports: starts the services, the derived
// tables (insights, credit balances) and their write hook, and returns the handlers.
//
//   const counterMoney = startCounterMoney(services, overrides);   // in startCore
//   handlers: { ...counterMoney.handlers }
//   close():  await counterMoney.stop();                      // before the store closes
import type { ShopProfileDoc } from '@shared/schema';
import { SHOP_PROFILE_ID } from '@shared/schema';
import type { CoreServices } from '../../core/core';
import type { ManagerOverrides } from '../../locks';
import { DEFAULT_DATABASE_NAME } from '../../store/database';
import { addWriteHook } from '../../store/rxstorage-better-sqlite3';
import { MoneyContext } from './context';
import { CreditService } from './credit';
import { CreditTable } from './credit-table';
import { DayCloseService } from './day-close';
import { Derived } from './derived';
import { DrawerService } from './drawer';
import { ExpenseService } from './expenses';
import { ExportService } from './exports';
import { counterMoneyHandlers } from './handlers';
import { InsightsService } from './insights';
import { InsightsTables } from './insights-tables';

export interface CounterMoney {
  readonly handlers: ReturnType<typeof counterMoneyHandlers>;
  readonly context: MoneyContext;
  readonly expenses: ExpenseService;
  readonly credit: CreditService;
  readonly drawer: DrawerService;
  readonly dayClose: DayCloseService;
  readonly insights: InsightsService;
  readonly insightsTables: InsightsTables;
  readonly creditTable: CreditTable;
  readonly exports: ExportService;
  stop(): Promise<void>;
}

/** The shop profile as stored, read synchronously (the write hook needs the currency and zone before any write). */
function readShopProfile(core: CoreServices): ShopProfileDoc | null {
  const table = `rxdocs__shopProfile__v${core.store.db.collections.shopProfile.schema.version}`;
  const rows = core.store.sqlite.prepare(`SELECT data FROM "${table}" WHERE deleted = 0`).all() as { data: string }[];
  for (const r of rows) {
    const doc = JSON.parse(r.data) as ShopProfileDoc;
    if (doc.id === SHOP_PROFILE_ID) return doc;
  }
  return null;
}

const running = new WeakMap<object, CounterMoney>();

/** The running services of a core's store (tests and benchmarks reach the derived tables through it). */
export function counterMoneyOf(core: Pick<CoreServices, 'store'>): CounterMoney {
  const found = running.get(core.store);
  if (!found) throw new Error('counter money services are not running on this store');
  return found;
}

export function startCounterMoney(core: CoreServices, overrides: ManagerOverrides): CounterMoney {
  const context = new MoneyContext(core, overrides);
  const { sqlite } = core.store;
  let config: { currency: string; timeZone: string } | null = null;
  const setShop = (doc: ShopProfileDoc | null) => {
    if (!doc) return;
    const shop = context.remember(doc);
    config = { currency: shop.currency, timeZone: shop.timeZone };
  };
  setShop(readShopProfile(core));

  const insightsTables = new InsightsTables(sqlite, context.sources, () => config);
  insightsTables.derived = new Derived(sqlite, insightsTables.spec(), core.logger);
  const creditTable = new CreditTable(sqlite, context.sources, () => config?.currency ?? null);
  creditTable.derived = new Derived(sqlite, creditTable.spec(), core.logger);

  const unhook = addWriteHook(core.store.storage, (event) => {
    if (event.databaseName !== DEFAULT_DATABASE_NAME) return;
    if (event.collectionName === 'shopProfile') {
      for (const { document } of event.writes) {
        const doc = document as unknown as ShopProfileDoc & { _deleted?: boolean };
        if (doc.id !== SHOP_PROFILE_ID || doc._deleted) continue;
        const before = config;
        setShop(doc);
        if (before?.currency !== config?.currency || before?.timeZone !== config?.timeZone) insightsTables.derived.invalidate();
        if (before?.currency !== config?.currency) creditTable.derived.invalidate();
      }
      return;
    }
    insightsTables.onWrite(event);
    creditTable.onWrite(event);
  });
  insightsTables.derived.start();
  creditTable.derived.start();

  const expenses = new ExpenseService(context);
  const credit = new CreditService(context, creditTable);
  const drawer = new DrawerService(context);
  const dayClose = new DayCloseService(context, drawer);
  const insights = new InsightsService(context, insightsTables);
  const exports = new ExportService(context);
  const handlers = counterMoneyHandlers({ expenses, credit, drawer, dayClose, insights, exports });

  const money: CounterMoney = {
    handlers,
    context,
    expenses,
    credit,
    drawer,
    dayClose,
    insights,
    insightsTables,
    creditTable,
    exports,
    async stop() {
      unhook();
      running.delete(core.store);
      await Promise.all([insightsTables.derived.stop(), creditTable.derived.stop()]);
    },
  };
  running.set(core.store, money);
  return money;
}
