import { z } from 'zod';
import { defineOperation } from '../operation';

export const storeStateSchema = z.enum(['opening', 'ready', 'error']);

export const systemStatusSchema = z.object({
  appVersion: z.string(),
  host: z.enum(['electron', 'browser', 'cli', 'test']),
  dataDir: z.string(),
  store: z.object({ state: storeStateSchema, message: z.string().optional() }),
  startedAt: z.number().int(),
});
export type SystemStatus = z.infer<typeof systemStatusSchema>;

export const systemOps = {
  'system.status': defineOperation({
    summary: 'Versions, data folder and store state, for the status bar.',
    kind: 'query',
    permission: 'public',
    input: z.object({}).strict(),
    output: systemStatusSchema,
  }),
  'system.ping': defineOperation({
    summary: 'Round-trip check: returns the message and the core time.',
    kind: 'query',
    permission: 'public',
    input: z.object({ message: z.string().max(200, 'Keep the message under 200 characters.') }).strict(),
    output: z.object({ message: z.string(), at: z.number().int() }),
  }),
} as const;
