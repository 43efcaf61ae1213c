import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import { isApiErrorShape, type ApiErrorShape } from '@shared/api/errors';
import type { EventName, EventPayload } from '@shared/api/events';
import { serverMessageSchema } from '@shared/api/wire';
import { connectTransport, type RawTransport } from './transport';

/** An API failure as the UI sees it: the core's code and its message for people. */
export class ApiCallError extends Error implements ApiErrorShape {
  constructor(
    readonly code: ApiErrorShape['code'],
    message: string,
    readonly issues?: ApiErrorShape['issues'],
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export interface ApiClient {
  call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  onConnection(listener: (state: 'connecting' | 'open' | 'closed') => void): () => void;
}

export function createApiClient(transport: RawTransport = connectTransport()): ApiClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();

  // A dropped connection fails the calls in flight (the core may or may not have done
  // them; queries re-fetch on reconnect, and commands are safe to retry by design).
  transport.onState((state) => {
    if (state !== 'closed') return;
    for (const [id, waiter] of pending) {
      pending.delete(id);
      waiter.reject(new ApiCallError('UNAVAILABLE', 'Lost the connection to the Counterbook core. Reconnecting…'));
    }
  });

  transport.onMessage((raw) => {
    const parsed = serverMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'event') {
      eventListeners.get(message.name)?.forEach((l) => l(message.payload));
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.output);
    else {
      const e = isApiErrorShape(message.error) ? message.error : { code: 'INTERNAL' as const, message: 'Unexpected reply from the core.' };
      waiter.reject(new ApiCallError(e.code, e.message, e.issues));
    }
  });

  return {
    call(op, input) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        transport.send({ type: 'call', id, op, input });
      });
    },
    on(name, listener) {
      const set = eventListeners.get(name) ?? new Set();
      eventListeners.set(name, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onConnection: (listener) => transport.onState(listener),
  };
}

let shared: ApiClient | null = null;
/** The app-wide client, connected on first use. */
export function api(): ApiClient {
  shared ??= createApiClient();
  return shared;
}
