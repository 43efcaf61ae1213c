// TCP proxies that stand in for the network between a device and its server in tests
// and benchmarks: they cut every open connection and refuse new ones on demand. Not
// shipped (imported by tests and benchmarks only).
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** A TCP proxy on 127.0.0.1, on the caller's thread, that can cut every open connection and refuse new ones. */
export class TcpProxy {
  private blocked = false;
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const sockets = new Set<Socket>();
    const ref: { proxy?: TcpProxy } = {};
    const server = createServer((client) => {
      if (!ref.proxy || ref.proxy.blocked) {
        client.destroy();
        return;
      }
      const upstream = netConnect(targetPort, targetHost);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    ref.proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0, sockets);
    return ref.proxy;
  }

  /** Open connections right now. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Destroys every open connection (new ones are accepted). */
  cut(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Cuts and refuses new connections until unblock(). */
  block(): void {
    this.blocked = true;
    this.cut();
  }

  unblock(): void {
    this.blocked = false;
  }

  close(): Promise<void> {
    this.block();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

type ProxyCommand = 'block' | 'unblock' | 'cut' | 'close';
interface ThreadData {
  tcpProxyTarget: { port: number; host: string };
}

/**
 * The same proxy on a thread of its own, for benchmarks: like a real network, it
 * forwards bytes while the device's thread is busy. (On the caller's thread, a device
 * preparing its next push batch held the bytes of the batch already sent, and the
 * server waited: a third of the push benchmark's time was the proxy's.)
 */
export class ThreadedTcpProxy {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly port: number,
  ) {
    worker.on('message', (m: { done?: number }) => {
      if (m.done === undefined) return;
      this.waiting.get(m.done)?.resolve();
      this.waiting.delete(m.done);
    });
    const fail = (error: Error): void => {
      this.failure = error;
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the proxy thread exited (code ${code})`)));
  }

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<ThreadedTcpProxy> {
    // A TypeScript source (tests and benchmarks run through tsx) is loaded with tsx's require hook.
    const load = __filename.endsWith('.ts') ? `require(${JSON.stringify(require.resolve('tsx/cjs'))}); ` : '';
    const worker = new Worker(`${load}require(${JSON.stringify(__filename)});`, { eval: true, workerData: { tcpProxyTarget: { port: targetPort, host: targetHost } } satisfies ThreadData });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the proxy thread exited before listening (code ${code})`)));
    });
    return new ThreadedTcpProxy(worker, port);
  }

  /** Cuts and refuses new connections until unblock(); resolves once the proxy has done it. */
  block(): Promise<void> {
    return this.command('block');
  }

  unblock(): Promise<void> {
    return this.command('unblock');
  }

  cut(): Promise<void> {
    return this.command('cut');
  }

  async close(): Promise<void> {
    await this.command('close').catch(() => undefined);
    await this.worker.terminate();
  }

  private command(command: ProxyCommand): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, command });
    });
  }
}

// The proxy thread: a TcpProxy driven by messages, each acknowledged by its id once carried out.
const threadData = (isMainThread ? undefined : workerData) as ThreadData | undefined;
if (threadData?.tcpProxyTarget && parentPort) {
  const port = parentPort;
  void TcpProxy.start(threadData.tcpProxyTarget.port, threadData.tcpProxyTarget.host).then((proxy) => {
    port.on('message', ({ id, command }: { id: number; command: ProxyCommand }) => {
      const done = command === 'close' ? proxy.close() : Promise.resolve(proxy[command]());
      void done.then(() => port.postMessage({ done: id }));
    });
    port.postMessage({ port: proxy.port });
  });
}
