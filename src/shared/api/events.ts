// Push events from the core to every connected window.
import { z } from 'zod';
import { systemStatusSchema } from './ops/system';
import { syncStatusSchema } from './ops/sync';
import { backupProgressSchema } from './ops/backup';
import { exportProgressSchema } from './ops/counter-money';

/** After each committed write: which collections changed, so screens can re-fetch. */
export const dataChangedSchema = z.object({ collections: z.array(z.string()) });

/**
 * While the core opens a store written by an older version and upgrades a table's
 * layout (once; a minute or so for a million sales): rows copied, then indexes built.
 * Sent by the desktop shell to its windows before the core can answer anything.
 */
export const storeUpgradeSchema = z.object({
  table: z.string(),
  phase: z.enum(['rows', 'indexes']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type StoreUpgradeProgress = z.output<typeof storeUpgradeSchema>;

export const events = {
  'data.changed': dataChangedSchema,
  'system.status': systemStatusSchema,
  'sync.status': syncStatusSchema,
  'backup.progress': backupProgressSchema,
  'export.progress': exportProgressSchema,
  'store.upgrade': storeUpgradeSchema,
} as const;

export type Events = typeof events;
export type EventName = keyof Events & string;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
