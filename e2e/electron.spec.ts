// The desktop app itself, through Playwright's Electron driver. Runs wherever the
// Electron binary is installed; where it could not be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD)
// each test is skipped with the reason printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { electronBinary } from './electron-binary';

const binary = electronBinary();

test.describe('desktop app (Electron)', () => {
  test.skip(!binary.path, `Electron binary missing: ${binary.reason}`);

  let app: ElectronApplication;
  let dataDir: string;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'counterbook-electron-'));
    app = await electron.launch({
      executablePath: binary.path!,
      args: [resolve(__dirname, '..'), '--data-dir', dataDir, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    });
  });

  test.afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('opens the window with the renderer sandboxed and isolated', async () => {
    const page = await app.firstWindow();
    await expect(page).toHaveTitle(/Counterbook/);
    // Context isolation and no Node integration: the page sees the transport bridge and nothing else.
    const world = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((window as unknown as { counterbookTransport?: object }).counterbookTransport ?? {}).sort(),
    }));
    expect(world).toEqual({ require: 'undefined', process: 'undefined', bridge: ['onMessage', 'send'] });
  });

  test('round-trips an API call to the core in its utility process', async () => {
    const page = await app.firstWindow();
    const reply = await page.evaluate(
      () =>
        new Promise((resolvePromise) => {
          const bridge = (window as unknown as { counterbookTransport: { send(m: unknown): void; onMessage(l: (m: unknown) => void): void } }).counterbookTransport;
          bridge.onMessage((m) => {
            if ((m as { id?: number }).id === 4242) resolvePromise(m);
          });
          bridge.send({ type: 'call', id: 4242, op: 'system.ping', input: { message: 'from electron' } });
        }),
    );
    expect(reply).toMatchObject({ ok: true, output: { message: 'from electron' } });
  });

  test('refuses navigation away from the app and new windows', async () => {
    const page = await app.firstWindow();
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    await page.evaluate(() => window.open('https://example.com/'));
    await page.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
  });
});
