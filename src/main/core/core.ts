import { mkdirSync } from 'node:fs';
import type { SystemStatus } from '@shared/api/ops/system';
import { EventBus } from './event-bus';
import { acquireInstanceLock, type InstanceLock } from './instance-lock';
import { createFileLogger, type Logger } from './log';
import { dataPaths } from './paths';
import { createRouter, type Handlers, type Router, type Session } from './router';
import { systemHandlers } from '../features/system/handlers';
import { syncHandlers } from '../sync/handlers';
import { openStore, type Store } from '../store/open-store';
import { ensureDeviceId } from '../store/device-identity';
import { WritePath } from '../store/write-path';
import { AuthService } from '../people/auth-service';
import { InvitationService } from '../people/invitations';
import { authHandlers, peopleHandlers } from '../people/handlers';

export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  host: SystemStatus['host'];
  logger?: Logger;
  /** Echo log lines to stderr (browser host and CLI). */
  echoLogs?: boolean;
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
  /**
   * The session a new connection starts with. Until sign-in lands (People issue) a
   * local connection acts as the shop's admin; after that it starts signed out.
   */
  defaultSession(): Session | null;
  close(): Promise<void>;
}

/**
 * Starts the core on a data folder: takes the single-instance lock, opens the log
 * and the store, and composes the feature handlers into one router. Plain Node: the
 * same function runs in Electron's utilityProcess, the browser host, the CLI and tests.
 */
export async function startCore(options: CoreOptions): Promise<Core> {
  const paths = dataPaths(options.dataDir);
  mkdirSync(paths.root, { recursive: true });
  const lock: InstanceLock = acquireInstanceLock(paths.lockFile, options.host);
  const logger = options.logger ?? createFileLogger({ dir: paths.logs, echo: options.echoLogs ?? false });
  const bus = new EventBus();
  const startedAt = Date.now();
  let storeState: SystemStatus['store'] = { state: 'opening' };

  let store: Store;
  try {
    store = await openStore({ dir: paths.store });
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
  const invitations = new InvitationService(store, writes);

  const handlers: Handlers = {
    ...systemHandlers(services),
    ...syncHandlers(services),
    ...authHandlers(services, auth),
    ...peopleHandlers(services, auth, invitations),
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
    defaultSession: () => ({ userId: 'local-admin', name: 'Local admin', role: 'admin' }),
    async close() {
      if (closed) return;
      closed = true;
      storeState = { state: 'error', message: 'The core has stopped.' };
      await store.close();
      logger.info('core stopped');
      lock.release();
    },
  };
}
