// Push events from the core to every connected window.
import { z } from 'zod';
import { systemStatusSchema } from './ops/system';
import { syncStatusSchema } from './ops/sync';
import { backupProgressSchema } from './ops/backup';
import { exportProgressSchema } from './ops/counter-money';

/** After each committed write: which collections changed, so screens can re-fetch. */
export const dataChangedSchema = z.object({ collections: z.array(z.string()) });

export const events = {
  'data.changed': dataChangedSchema,
  'system.status': systemStatusSchema,
  'sync.status': syncStatusSchema,
  'backup.progress': backupProgressSchema,
  'export.progress': exportProgressSchema,
} as const;

export type Events = typeof events;
export type EventName = keyof Events & string;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
