// Messages on the transport (Electron MessagePort or the browser host's WebSocket).
// The core parses every incoming message with these schemas before looking inside.
import { z } from 'zod';
import { ERROR_CODES } from './errors';

export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export const callMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  op: z.string().min(1).max(100),
  input: z.unknown(),
});
export type CallMessage = z.infer<typeof callMessageSchema>;

export const errorShapeSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type ResultMessage =
  | { type: 'result'; id: number; ok: true; output: unknown }
  | { type: 'result'; id: number; ok: false; error: z.infer<typeof errorShapeSchema> };

export interface EventMessage {
  type: 'event';
  name: string;
  payload: unknown;
}

export type ServerMessage = ResultMessage | EventMessage;

export const serverMessageSchema = z.union([
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(true), output: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(false), error: errorShapeSchema }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
