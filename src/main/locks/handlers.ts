import type { CoreServices } from '../core/core';
import { actorOf } from '../core/actor';
import type { HandlerSlice } from '../core/router';
import { ReviewLeases } from './review-leases';

type LockOps = 'locks.reviewStatus' | 'locks.acquireReview' | 'locks.renewReview' | 'locks.releaseReview' | 'locks.takeOverReview';

export function locksHandlers(core: CoreServices): HandlerSlice<LockOps> {
  const leases = new ReviewLeases({ db: core.store.db, writes: core.writes, deviceId: core.deviceId });
  return {
    'locks.reviewStatus': ({ groupId }, ctx) => leases.status(groupId, actorOf(ctx)),
    'locks.acquireReview': ({ groupId }, ctx) => leases.acquire(groupId, actorOf(ctx)),
    'locks.renewReview': ({ groupId }, ctx) => leases.renew(groupId, actorOf(ctx)),
    'locks.releaseReview': ({ groupId }, ctx) => leases.release(groupId, actorOf(ctx)),
    'locks.takeOverReview': ({ groupId, reason }, ctx) => leases.takeOver(groupId, actorOf(ctx), reason),
  };
}
