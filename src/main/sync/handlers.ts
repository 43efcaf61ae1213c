import { actorOf } from '../core/actor';
import type { CoreServices } from '../core/core';
import type { HandlerSlice } from '../core/router';
import type { SyncEngine } from './client';

type SyncOps = 'sync.status' | 'sync.pair' | 'sync.unpair' | 'sync.now' | 'sync.conflicts' | 'sync.resolveConflict';

/** The sync slice of the contract, served by the core's sync engine. */
export function syncHandlers(_core: CoreServices, engine: SyncEngine): HandlerSlice<SyncOps> {
  return {
    'sync.status': () => engine.status(),
    'sync.pair': ({ pairingCode }, ctx) => engine.pair(pairingCode, actorOf(ctx)),
    'sync.unpair': () => engine.unpair(),
    'sync.now': () => engine.syncNow(),
    'sync.conflicts': ({ includeResolved }) => engine.conflicts(includeResolved),
    'sync.resolveConflict': ({ conflictId, keep }, ctx) => engine.resolveConflict(conflictId, keep, actorOf(ctx)),
  };
}
