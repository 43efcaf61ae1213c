import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '@shared/api/wire';
import type { Core } from '../core/core';
import { serveConnection } from '../core/connection';
import { CONTENT_SECURITY_POLICY } from '../core/security-policy';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

const EXPORT_NAME = /^[a-z0-9-]+\.(csv|xlsx)$/;

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface BrowserHostOptions {
  core: Core;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; a fresh random one per run otherwise. */
  token?: string;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Serves the built renderer and the core's API over a WebSocket, on 127.0.0.1 only.
 * The API needs the per-run token from the URL, and refuses other origins and hosts
 * (so another web page or a DNS-rebinding site cannot drive it).
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = resolve(options.rendererDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`The renderer has not been built (no ${join(root, 'index.html')}). Run \`npm run build\` first.`);
  }
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const server: Server = createServer((req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(421).end('Wrong host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname.startsWith('/exports/')) {
      serveExport(url, res);
      return;
    }
    let path = normalize(decodeURIComponent(url.pathname));
    if (path === sep || path === '/') path = '/index.html';
    const file = resolve(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });

  // Finished exports (CSV, XLSX) from <dataDir>/exports, for the browser's download link.
  // Only plain file names, only with the run's token.
  const exportsDir = join(core.options.dataDir, 'exports');
  const serveExport = (url: URL, res: ServerResponse): void => {
    const name = decodeURIComponent(url.pathname.slice('/exports/'.length));
    if (!sameToken(url.searchParams.get('token') ?? '', token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Unauthorized');
      return;
    }
    const file = join(exportsDir, name);
    if (!EXPORT_NAME.test(name) || !existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Content-Length': statSync(file).size,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let nextConnection = 0;
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const refuse = (status: number, why: string): void => {
      core.logger.warn('browser host refused a connection', { why, origin: req.headers.origin ?? null });
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/api') return refuse(404, 'Not Found');
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(421, 'Misdirected Request');
    if (!allowedOrigins().includes(req.headers.origin ?? '')) return refuse(403, 'Forbidden');
    if (!sameToken(url.searchParams.get('token') ?? '', token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const connectionId = `ws-${++nextConnection}`;
      serveConnection(
        core,
        {
          send: (message) => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
          },
          onMessage: (listener) => ws.on('message', (data, isBinary) => listener(isBinary ? null : data.toString('utf8'))),
          onClose: (listener) => ws.on('close', listener),
        },
        { connectionId, host: 'browser', session: null },
      );
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
