import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCore, type Core } from '../core/core';
import { silentLogger } from '../core/log';
import { startBrowserHost, type BrowserHost } from './http-host';

let dir: string;
let core: Core;
let host: BrowserHost;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-host-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Counterbook</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  core = await startCore({ dataDir: join(dir, 'data'), appVersion: '9.9.9', host: 'test', logger: silentLogger });
  host = await startBrowserHost({ core, rendererDir: renderer });
});
afterAll(async () => {
  await host.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(query: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, { origin: origin ?? `http://127.0.0.1:${host.port}` });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, op: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString()) as { type: string; id?: number };
      if (message.type === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, op, input }));
  });
}

describe('browser host', () => {
  it('listens on 127.0.0.1 only and prints a URL with a per-run token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[\\w-]{20,}$`));
  });

  it('serves the renderer with a Content Security Policy', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('Counterbook');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('outside the renderer');
    }
  });

  it('refuses other Host headers (DNS rebinding)', async () => {
    expect((await get('/', { host: `evil.example:${host.port}` })).status).toBe(421);
  });

  it('refuses API connections without the token, with a wrong token, or from another origin', async () => {
    await expect(connect('')).rejects.toThrow('HTTP 401');
    await expect(connect('?token=wrong')).rejects.toThrow('HTTP 401');
    await expect(connect(`?token=${host.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('round-trips an API call and returns validation errors as {code, message}', async () => {
    const ws = await connect(`?token=${host.token}`);
    try {
      await expect(call(ws, 1, 'system.ping', { message: 'hello' })).resolves.toMatchObject({ ok: true, output: { message: 'hello' } });
      await expect(call(ws, 2, 'system.status', {})).resolves.toMatchObject({ ok: true, output: { appVersion: '9.9.9', store: { state: 'ready' } } });
      const bad = (await call(ws, 3, 'system.ping', { message: 7 })) as { ok: boolean; error: { code: string; message: string } };
      expect(bad.ok).toBe(false);
      expect(bad.error.code).toBe('VALIDATION');
      expect(bad.error.message).toMatch(/^Invalid input: message: /);
    } finally {
      ws.close();
    }
  });

  it('ignores malformed messages and keeps serving', async () => {
    const ws = await connect(`?token=${host.token}`);
    try {
      ws.send('not json');
      ws.send(JSON.stringify({ type: 'call', id: -1, op: '' }));
      await expect(call(ws, 4, 'system.ping', { message: 'still here' })).resolves.toMatchObject({ ok: true });
    } finally {
      ws.close();
    }
  });
});

describe('browser host exports', () => {
  it('serves a finished export only with the token and only plain export names', async () => {
    const { mkdirSync: mk, writeFileSync: wf } = await import('node:fs');
    const exportsDir = join(dir, 'data', 'exports');
    mk(exportsDir, { recursive: true });
    wf(join(exportsDir, 'sales-2026-11-01-2026-11-22.csv'), 'id,total\n1,100\n');
    const ok = await get(`/exports/sales-2026-11-01-2026-11-22.csv?token=${host.token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('id,total\n1,100\n');
    expect(String(ok.headers['content-disposition'])).toContain('attachment');
    expect((await get('/exports/sales-2026-11-01-2026-11-22.csv')).status).toBe(401);
    expect((await get(`/exports/..%2F..%2Fsecret.txt?token=${host.token}`)).status).toBe(404);
    expect((await get(`/exports/missing.csv?token=${host.token}`)).status).toBe(404);
  });
});
