// Push events from the core to every connected window.
import type { z } from 'zod';
import { systemStatusSchema } from './ops/system';
import { syncStatusSchema } from './ops/sync';

export const events = {
  'system.status': systemStatusSchema,
  'sync.status': syncStatusSchema,
} as const;

export type Events = typeof events;
export type EventName = keyof Events & string;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
