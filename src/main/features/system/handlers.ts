import type { CoreServices } from '../../core/core';
import type { HandlerSlice } from '../../core/router';

export function systemHandlers(core: CoreServices): HandlerSlice<'system.status' | 'system.ping'> {
  return {
    'system.status': () => ({
      appVersion: core.options.appVersion,
      host: core.options.host,
      dataDir: core.options.dataDir,
      store: core.storeState(),
      startedAt: core.startedAt,
    }),
    'system.ping': ({ message }) => ({ message, at: Date.now() }),
  };
}
