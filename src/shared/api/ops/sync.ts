import { z } from 'zod';
import { defineOperation } from '../operation';

export const syncStatusSchema = z.object({
  /** off: not paired; offline: paired but the server is unreachable; revoked: the server refused this device. */
  state: z.enum(['off', 'connecting', 'online', 'offline', 'error', 'revoked']),
  /** Local changes not yet accepted by the server. */
  queueDepth: z.number().int().nonnegative(),
  lastPullAt: z.number().int().nullable(),
  lastPushAt: z.number().int().nullable(),
  /** How far behind the server this device is (time since the newest change it has not pulled yet, or since the last successful pull while offline). */
  lagMs: z.number().int().nonnegative().nullable(),
  /** Unresolved conflicts waiting for a person. */
  conflicts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** Set once paired. */
  paired: z
    .object({
      tenantName: z.string(),
      deviceCode: z.string(),
      server: z.string(),
      pairedAt: z.number().int(),
    })
    .nullable()
    .default(null),
  /** Of queueDepth, the changes the server refused (kept on this device with the reason; lastError names the first). Optional: added by the sync engine. */
  rejected: z.number().int().nonnegative().optional(),
  /** Initial (or catch-up) sync progress: documents done of total, and the rate. */
  progress: z
    .object({ phase: z.enum(['pull', 'push']), done: z.number().int().nonnegative(), total: z.number().int().nonnegative(), perSecond: z.number().nonnegative() })
    .nullable()
    .default(null),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncConflictSchema = z.object({
  id: z.string(),
  collectionName: z.string(),
  docId: z.string(),
  fields: z.array(z.string()),
  /** Why the server refused this device's version (e.g. the day is closed); '' for a concurrent edit. */
  reason: z.string().default(''),
  localDoc: z.record(z.string(), z.unknown()),
  serverDoc: z.record(z.string(), z.unknown()),
  detectedAt: z.number().int(),
  resolved: z.boolean(),
  resolution: z.enum(['keep_local', 'keep_server', 'merged', 'discarded']).nullable(),
});
export type SyncConflict = z.infer<typeof syncConflictSchema>;

export const syncOps = {
  'sync.status': defineOperation({
    summary: 'Online state, queue depth, last pull and push, lag, conflicts, the last error and pairing.',
    kind: 'query',
    permission: 'sync.read',
    input: z.object({}).strict(),
    output: syncStatusSchema,
  }),
  'sync.pair': defineOperation({
    summary: "Pairs this device with the business's server using the pairing code an admin printed (`server pair-device`).",
    kind: 'command',
    permission: 'sync.manage',
    input: z.object({ pairingCode: z.string().trim().min(8, 'Paste the whole pairing code.').max(4000) }).strict(),
    output: syncStatusSchema,
  }),
  'sync.unpair': defineOperation({
    summary: 'Stops syncing and forgets the server credential (local data stays).',
    kind: 'command',
    permission: 'sync.manage',
    input: z.object({}).strict(),
    output: syncStatusSchema,
  }),
  'sync.now': defineOperation({
    summary: 'Syncs now instead of waiting for the next change or poll.',
    kind: 'command',
    permission: 'sync.read',
    input: z.object({}).strict(),
    output: syncStatusSchema,
  }),
  'sync.conflicts': defineOperation({
    summary: 'Changes made in two places that sync could not merge, newest first.',
    kind: 'query',
    permission: 'sync.read',
    input: z.object({ includeResolved: z.boolean().default(false) }).strict(),
    output: z.array(syncConflictSchema),
  }),
  'sync.resolveConflict': defineOperation({
    summary: "Resolves a conflict by keeping the server's version or this device's version.",
    kind: 'command',
    permission: 'sync.manage',
    input: z.object({ conflictId: z.string().min(1).max(40), keep: z.enum(['server', 'local']) }).strict(),
    output: syncConflictSchema,
  }),
} as const;
