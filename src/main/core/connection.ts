import { callMessageSchema, MAX_MESSAGE_BYTES, type ServerMessage } from '@shared/api/wire';
import type { CallContext } from './router';
import type { Core } from './core';

/** The minimum a transport offers: Electron's MessagePortMain, a WebSocket, a test pipe. */
export interface Transport {
  send(message: ServerMessage): void;
  onMessage(listener: (raw: unknown) => void): void;
  onClose(listener: () => void): void;
}

/**
 * Serves one window (or test client) on a transport: parses every message, routes
 * calls, and forwards push events until the transport closes.
 */
export function serveConnection(core: Core, transport: Transport, ctx: CallContext): void {
  const log = core.logger.child({ connection: ctx.connectionId });
  const unsubscribe = core.bus.subscribe((name, payload) => transport.send({ type: 'event', name, payload }));
  transport.onClose(() => {
    unsubscribe();
    log.debug('connection closed');
  });
  transport.onMessage((raw) => {
    let data: unknown = raw;
    if (typeof raw === 'string') {
      if (raw.length > MAX_MESSAGE_BYTES) {
        log.warn('oversized message dropped', { bytes: raw.length });
        return;
      }
      try {
        data = JSON.parse(raw);
      } catch {
        log.warn('unparseable message dropped');
        return;
      }
    }
    const parsed = callMessageSchema.safeParse(data);
    if (!parsed.success) {
      log.warn('malformed message dropped');
      return;
    }
    const { id, op, input } = parsed.data;
    void core.router.call(op, input, ctx).then((result) => {
      transport.send(result.ok ? { type: 'result', id, ok: true, output: result.output } : { type: 'result', id, ok: false, error: result.error });
    });
  });
}
