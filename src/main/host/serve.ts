// `npm run serve`: the core in plain Node, serving the built renderer on 127.0.0.1
// with the same API over a WebSocket. For headless machines, machines without the
// Electron binary, and the end-to-end tests.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCore } from '../core/core';
import { resolveDataDir } from '../core/paths';
import { appVersion } from '../core/version';
import { startBrowserHost } from './http-host';
import { storeUpgradeLines } from '@shared/store-upgrade';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('Usage: npm run serve -- [--data-dir DIR] [--port N]\nEnvironment: COUNTERBOOK_DATA_DIR, COUNTERBOOK_PORT');
    return;
  }
  const dataDir = resolveDataDir(values['data-dir'] ? ['--data-dir', values['data-dir']] : []);
  const portText = values.port ?? process.env.COUNTERBOOK_PORT ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a whole number from 0 to 65535, not "${portText}".`);

  const core = await startCore({
    dataDir,
    appVersion: appVersion(),
    host: 'browser',
    echoLogs: false,
    // The page cannot load before the core is ready: an older store's upgrade shows here.
    onStoreUpgrade: storeUpgradeLines((line) => console.log(line)),
  });
  const host = await startBrowserHost({ core, port, rendererDir: join(__dirname, '../renderer'), token: process.env.COUNTERBOOK_TOKEN });
  console.log(`Counterbook ${appVersion()} is serving data folder ${dataDir}`);
  console.log(`Open ${host.url}`);

  const stop = async (): Promise<void> => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`Counterbook could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
