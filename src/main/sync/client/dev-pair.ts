// `npm run dev:server` pairs the local app's data folder with the dev server, so one
// machine shows the whole loop. Used by scripts/dev-server.ts only.
import { ApiError } from '@shared/api/errors';
import { startCore } from '../../core/core';
import type { CallContext } from '../../core/router';
import { createFileLogger } from '../../core/log';
import { dataPaths } from '../../core/paths';
import { describeAddress, serverAddressFromUrl } from '../server/pairing-code';
import { createPairingCode } from '../server/provision';

const CLI: CallContext = { connectionId: 'dev-server', host: 'cli', session: { userId: '', name: 'dev server', role: 'admin' } };

/**
 * Pairs the data folder with the tenant on the server at `url`, unless it is paired
 * with this server already. Returns a sentence for the console; never throws for a
 * folder that is in use (the app is running) or paired elsewhere.
 */
export async function pairLocalApp(options: { url: string; tenantId: string; dataDir: string; appVersion: string }): Promise<string> {
  const server = describeAddress(serverAddressFromUrl(options.url));
  let core;
  try {
    core = await startCore({ dataDir: options.dataDir, appVersion: options.appVersion, host: 'cli', logger: createFileLogger({ dir: dataPaths(options.dataDir).logs, name: 'dev-server' }) });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'CONFLICT') {
      return `The app is running on ${options.dataDir}: paste the pairing code in its Sync screen (or stop it and run dev:server again).`;
    }
    throw error;
  }
  try {
    const status = await core.router.call('sync.status', {}, CLI);
    const current = status.ok ? (status.output as { state: string; paired: { server: string; tenantName: string } | null }) : null;
    if (current?.paired && current.state !== 'revoked') {
      return current.paired.server === server
        ? `${options.dataDir} is paired with this server already (${current.paired.tenantName}).`
        : `${options.dataDir} is paired with another server (${current.paired.server}); left as it is (unpair it to use this one).`;
    }
    const { code } = await createPairingCode(options.url, options.tenantId, 'Dev device', 15);
    const paired = await core.router.call('sync.pair', { pairingCode: code }, CLI);
    if (!paired.ok) return `Could not pair ${options.dataDir}: ${paired.error.message}`;
    const p = (paired.output as { paired: { deviceCode: string } | null }).paired;
    return `Paired the app's data folder ${options.dataDir} with this server (device ${p?.deviceCode}); it syncs whenever the app runs.`;
  } finally {
    await core.close();
  }
}
