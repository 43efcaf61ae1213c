import { mkdirSync } from 'node:fs';
import type { SystemStatus } from '@shared/api/ops/system';
import type { StoreUpgradeProgress } from '@shared/api/events';
import { throttleStoreUpgrade } from '@shared/store-upgrade';
import { EventBus } from './event-bus';
import { acquireInstanceLock, type InstanceLock } from './instance-lock';
import { createFileLogger, type Logger } from './log';
import { dataPaths } from './paths';
import { createRouter, type Handlers, type Router } from './router';
import { systemHandlers } from '../features/system/handlers';
import { syncHandlers } from '../sync/handlers';
import { SyncEngine, type SyncEngineOptions } from '../sync/client';
import { openStore, type Store } from '../store/open-store';
import { ensureDeviceId } from '../store/device-identity';
import { WritePath } from '../store/write-path';
import { ApiError } from '@shared/api/errors';
import { BackupService } from '../backup/service';
import { backupHandlers } from '../backup/handlers';
import { auditHandlers } from '../audit/handlers';
import { installLockRules, ManagerOverrides } from '../locks';
import { locksHandlers } from '../locks/handlers';
import { AuthService } from '../people/auth-service';
import { InvitationService } from '../people/invitations';
import { authHandlers, peopleHandlers } from '../people/handlers';
import { counterSalesHandlers } from '../counter/sales/handlers';
import { settingsHandlers } from '../features/settings/handlers';
import { startCounterMoney } from '../counter/money';

export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  host: SystemStatus['host'];
  logger?: Logger;
  /** Echo log lines to stderr (browser host and CLI). */
  echoLogs?: boolean;
  /** Sync engine settings: the SecretBox sealing the device credential (Electron: safeStorage), timings (tests). */
  sync?: SyncEngineOptions;
  /**
   * Progress of the one-time upgrade of a store written by an older version, while it
   * opens (before the core can answer calls): at most every 200 ms, and at each start and end.
   */
  onStoreUpgrade?: (progress: StoreUpgradeProgress) => void;
}

/** What every feature's handlers may use. */
export interface CoreServices {
  readonly options: CoreOptions;
  readonly logger: Logger;
  readonly bus: EventBus;
  readonly startedAt: number;
  storeState(): SystemStatus['store'];
  /** The open store: RxDB database, SQLite connection. */
  readonly store: Store;
  /** The single write path every service writes through. */
  readonly writes: WritePath;
  /** This device's id (made on the device at first start). */
  readonly deviceId: string;
}

export interface Core extends CoreServices {
  readonly router: Router;
  readonly auth: AuthService;
  close(): Promise<void>;
}

/**
 * Starts the core on a data folder: takes the single-instance lock, opens the log
 * and the store, and composes the feature handlers into one router. Plain Node: the
 * same function runs in Electron's utilityProcess, the browser host, the CLI and tests.
 */
async function startCoreOnce(options: CoreOptions, shared: SharedAcrossRestarts): Promise<Core> {
  const paths = dataPaths(options.dataDir);
  mkdirSync(paths.root, { recursive: true });
  const lock: InstanceLock = shared.lock;
  const logger = options.logger ?? createFileLogger({ dir: paths.logs, echo: options.echoLogs ?? false });
  const bus = shared.bus;
  const startedAt = Date.now();
  let storeState: SystemStatus['store'] = { state: 'opening' };

  let store: Store;
  try {
    const report = throttleStoreUpgrade(200, (progress) => options.onStoreUpgrade?.(progress));
    const log = throttleStoreUpgrade(2000, (progress) => logger.info('store: upgrading a table to the current layout', progress));
    store = await openStore({
      dir: paths.store,
      // A store written by an older version has its tables rebuilt once (about a minute for a million sales).
      onTableRebuild: (progress) => {
        report(progress);
        log(progress);
      },
    });
  } catch (error) {
    logger.error('store failed to open', { error });
    lock.release();
    throw error;
  }
  const deviceId = ensureDeviceId(store.sqlite);
  const writes = new WritePath({
    db: store.db,
    sqlite: store.sqlite,
    deviceId,
    appVersion: options.appVersion,
    logger,
    onCommitted: (collections) => bus.emit('data.changed', { collections }),
  });
  installLockRules(writes, store.db);
  storeState = { state: 'ready' };

  const services: CoreServices = {
    options,
    logger,
    bus,
    startedAt,
    storeState: () => storeState,
    store,
    writes,
    deviceId,
  };

  const auth = new AuthService({ store, writes, logger });
  // Every manager approval (limits, drawer, closed days) goes through this one; People checks the PIN.
  const overrides = new ManagerOverrides(auth);
  const invitations = new InvitationService(store, writes);
  const counterMoney = startCounterMoney(services, overrides);

  // Sync first: its outbox hook must see every write, including those the backup service
  // makes when it starts (a restore's audit entry, backups found in the folder).
  const sync = new SyncEngine(services, options.sync);
  await sync.start();
  const backups = new BackupService(services, { restart: shared.restart, schedule: options.host === 'electron' || options.host === 'browser' });
  await backups.start();
  const handlers: Handlers = {
    ...systemHandlers(services),
    ...syncHandlers(services, sync),
    ...backupHandlers(backups),
    ...auditHandlers(services),
    ...locksHandlers(services),
    ...authHandlers(services, auth),
    ...peopleHandlers(services, auth, invitations),
    ...counterSalesHandlers(services, overrides),
    ...settingsHandlers(services),
    ...counterMoney.handlers,
  };
  const router = createRouter(handlers, {
    logger,
    checkOutputs: process.env.NODE_ENV !== 'production',
    beforeCall: (ctx) => auth.enforceIdleLock(ctx),
  });
  logger.info('core started', { host: options.host, version: options.appVersion, pid: process.pid });

  let closed = false;
  return {
    ...services,
    router,
    auth,
    async close() {
      if (closed) return;
      closed = true;
      storeState = { state: 'error', message: 'The core has stopped.' };
      await sync.stop();
      await backups.close();
      await counterMoney.stop();
      await store.close();
      logger.info('core stopped');
      lock.release();
    },
  };
}

/** Closes the core, runs `work` on the closed data folder and starts the core again; `undo` runs if it then fails to start. */
export type RestartCore = (work: () => Promise<void>, undo?: () => Promise<void>) => Promise<void>;

interface SharedAcrossRestarts {
  /** One bus for the life of the core: connections keep their push events across a restart. */
  bus: EventBus;
  /** The instance lock is held by the outer core, also while a restart swaps files. */
  lock: InstanceLock;
  restart: RestartCore;
}

/**
 * Starts the core on a data folder (see startCoreOnce). The returned Core stays valid
 * when the core restarts in place, which a restore does to swap the store file: it
 * forwards every property to the running instance, keeps the instance lock, the log
 * and the event bus across restarts, and calls that arrive during a restart wait for
 * it. The desktop app's utility process, the browser host and the CLI all restart
 * this way, in process, without the host knowing.
 */
export async function startCore(options: CoreOptions): Promise<Core> {
  const paths = dataPaths(options.dataDir);
  mkdirSync(paths.root, { recursive: true });
  const lock = acquireInstanceLock(paths.lockFile, options.host);
  const logger = options.logger ?? createFileLogger({ dir: paths.logs, echo: options.echoLogs ?? false });
  const opts: CoreOptions = { ...options, logger };
  let inner: Core;
  let restarting: Promise<void> | null = null;
  let closed = false;
  const shared: SharedAcrossRestarts = {
    bus: new EventBus(),
    lock: { release: () => undefined },
    restart: async (work, undo) => {
      if (restarting || closed) throw new ApiError('CONFLICT', 'The core is already restarting or stopping.');
      let finished = (): void => undefined;
      restarting = new Promise<void>((resolve) => (finished = resolve));
      try {
        await inner.close();
        let failure: unknown = null;
        try {
          await work();
        } catch (error) {
          failure = error;
        }
        try {
          inner = await startCoreOnce(opts, shared);
        } catch (error) {
          logger.error('core failed to restart', { error });
          if (!undo) throw error;
          await undo();
          inner = await startCoreOnce(opts, shared);
          throw error;
        }
        if (failure) throw failure;
      } finally {
        restarting = null;
        finished();
      }
    },
  };
  try {
    inner = await startCoreOnce(opts, shared);
  } catch (error) {
    lock.release();
    throw error;
  }
  const router: Router = {
    async call(op, input, ctx) {
      while (restarting) await restarting;
      return inner.router.call(op, input, ctx);
    },
  };
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    while (restarting) await restarting;
    try {
      await inner.close();
    } finally {
      lock.release();
    }
  };
  // A Proxy rather than a copy, so properties other features add to Core are forwarded too.
  return new Proxy({} as Core, {
    get: (_target, key) => (key === 'router' ? router : key === 'close' ? close : Reflect.get(inner, key)),
    has: (_target, key) => Reflect.has(inner, key),
    ownKeys: () => Reflect.ownKeys(inner),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(inner, key);
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
}
