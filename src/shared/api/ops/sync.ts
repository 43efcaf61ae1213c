import { z } from 'zod';
import { defineOperation } from '../operation';

export const syncStatusSchema = z.object({
  /** off: not paired; offline: paired but the server is unreachable. */
  state: z.enum(['off', 'connecting', 'online', 'offline', 'error']),
  queueDepth: z.number().int().nonnegative(),
  lastPullAt: z.number().int().nullable(),
  lastPushAt: z.number().int().nullable(),
  lagMs: z.number().int().nonnegative().nullable(),
  conflicts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncOps = {
  'sync.status': defineOperation({
    summary: 'Online state, queue depth, last pull and push, lag, conflicts and the last error.',
    kind: 'query',
    permission: 'sync.read',
    input: z.object({}).strict(),
    output: syncStatusSchema,
  }),
} as const;
