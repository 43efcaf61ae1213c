import type { CoreServices } from '../core/core';
import type { HandlerSlice } from '../core/router';

export function syncHandlers(_core: CoreServices): HandlerSlice<'sync.status'> {
  return {
    // Until this device is paired with a server, sync is off (see "Sync" in the README).
    'sync.status': () => ({ state: 'off', queueDepth: 0, lastPullAt: null, lastPushAt: null, lagMs: null, conflicts: 0, lastError: null }),
  };
}
