import { ApiError } from '@shared/api/errors';
import type { Actor } from '../store/write-path';
import type { CallContext } from './router';

/** The person behind a call, for the write path's audit entries. */
export function actorOf(ctx: CallContext): Actor {
  if (!ctx.session) throw new ApiError('UNAUTHENTICATED', 'Please sign in first.');
  return { userId: ctx.session.userId, name: ctx.session.name };
}

/** Scheduled jobs and sync act as the system. */
export const SYSTEM_ACTOR: Actor = { userId: '', name: 'system' };
