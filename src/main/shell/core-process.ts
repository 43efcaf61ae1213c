import { MessageChannelMain, safeStorage, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { join } from 'node:path';
import { storeUpgradeSchema, type StoreUpgradeProgress } from '@shared/api/events';

/** The core's sync credential, sealed with the OS keychain (safeStorage) on its behalf. */
function sealOrOpen(id: number, op: 'encrypt' | 'decrypt' | undefined, data: string): { type: 'secret-reply'; id: number; ok: boolean; data?: string; error?: string } {
  try {
    if (op === 'encrypt') return { type: 'secret-reply', id, ok: true, data: safeStorage.encryptString(data).toString('base64') };
    if (op === 'decrypt') return { type: 'secret-reply', id, ok: true, data: safeStorage.decryptString(Buffer.from(data, 'base64')) };
    return { type: 'secret-reply', id, ok: false, error: 'Unknown keychain request.' };
  } catch (error) {
    return { type: 'secret-reply', id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Runs the core in a utilityProcess, so SQLite work and sync never stall window
 * handling, and hands each window its own MessagePort to it. If the core dies (or
 * restarts after a restore) it is started again and every window is reconnected.
 */
export class CoreProcess {
  private child: UtilityProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly windows = new Set<WebContents>();
  private stopping = false;
  /** The last progress of an older store's upgrade while the core opens it (null: none running). */
  private upgrade: StoreUpgradeProgress | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly onFatal: (message: string) => void,
    /** The core's progress while it upgrades an older store, before it is ready. */
    private readonly onStoreUpgrade: (progress: StoreUpgradeProgress) => void = () => undefined,
  ) {}

  /** The upgrade running while the core opens an older store, if any (windows show it). */
  get storeUpgrade(): StoreUpgradeProgress | null {
    return this.upgrade;
  }

  start(): Promise<void> {
    const child = utilityProcess.fork(join(__dirname, 'core.js'), [], { serviceName: 'Counterbook core', stdio: 'inherit' });
    this.child = child;
    let failStart: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      failStart = reject;
      child.on('message', (message: { type?: string; message?: string; id?: number; op?: 'encrypt' | 'decrypt'; data?: string; progress?: unknown }) => {
        if (message.type === 'store-upgrade') {
          const progress = storeUpgradeSchema.safeParse(message.progress);
          if (progress.success) {
            this.upgrade = progress.data;
            this.onStoreUpgrade(progress.data);
          }
          return;
        }
        if (message.type === 'secret') {
          child.postMessage(sealOrOpen(message.id ?? 0, message.op, message.data ?? ''));
          return;
        }
        if (message.type === 'ready') {
          this.upgrade = null;
          resolve();
        }
        if (message.type === 'fatal') {
          reject(new Error(message.message));
          this.onFatal(message.message ?? 'The core stopped.');
        }
      });
    });
    this.ready.catch(() => undefined);
    child.once('exit', (code) => {
      // Windows waiting for this core stop waiting; the restart below reconnects them.
      failStart(new Error(`the core exited with code ${code}`));
      if (this.stopping) return;
      // Unexpected exit: start again and reconnect every window.
      console.error(`Counterbook core exited with code ${code}; restarting.`);
      void this.start().then(() => {
        for (const contents of this.windows) void this.connect(contents);
      });
    });
    child.postMessage({ type: 'start', dataDir: this.dataDir, safeStorage: safeStorage.isEncryptionAvailable() });
    return this.ready;
  }

  async connect(contents: WebContents): Promise<void> {
    if (contents.isDestroyed()) return;
    // Known before the core is ready, so that a core that dies while opening (and is
    // started again) reconnects this window too.
    if (!this.windows.has(contents)) {
      this.windows.add(contents);
      contents.once('destroyed', () => this.windows.delete(contents));
    }
    const ready = this.ready;
    try {
      await ready;
    } catch {
      return;
    }
    // A restart since: it connects every window itself.
    if (ready !== this.ready || !this.child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    this.child.postMessage({ type: 'connect', windowId: contents.id }, [port1]);
    contents.postMessage('counterbook:port', null, [port2]);
  }

  /**
   * Asks the core to close (it takes its on-quit backup) and resolves when it has exited.
   * While it upgrades an older store it finishes the table at hand first (a killed
   * upgrade starts that table over next time), so it gets longer.
   */
  stop(timeoutMs = this.upgrade ? 15 * 60_000 : 60_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.pid === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve();
      }, timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.postMessage({ type: 'stop' });
    });
  }
}
