import { ApiError } from '@shared/api/errors';
import type { SyncStatus } from '@shared/api/ops/sync';
import type { CoreServices } from '../core/core';
import type { HandlerSlice } from '../core/router';

const OFF: SyncStatus = { state: 'off', queueDepth: 0, lastPullAt: null, lastPushAt: null, lagMs: null, conflicts: 0, lastError: null, paired: null, progress: null };

type SyncOps = 'sync.status' | 'sync.pair' | 'sync.unpair' | 'sync.now' | 'sync.conflicts' | 'sync.resolveConflict';

// Placeholder until the sync engine lands: an unpaired device reports "off" truthfully.
export function syncHandlers(_core: CoreServices): HandlerSlice<SyncOps> {
  const notYet = (): never => {
    throw new ApiError('UNAVAILABLE', 'Sync is not available in this build yet.');
  };
  return {
    'sync.status': () => OFF,
    'sync.pair': notYet,
    'sync.unpair': notYet,
    'sync.now': () => OFF,
    'sync.conflicts': () => [],
    'sync.resolveConflict': notYet,
  };
}
