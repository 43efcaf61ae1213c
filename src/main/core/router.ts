import { contract, isOpName, type OpName, type OpOutput, type OpParsedInput } from '@shared/api/contract';
import { ApiError, type ApiErrorShape } from '@shared/api/errors';
import { roleHas, type Role } from '@shared/auth/permissions';
import type { OperationDef } from '@shared/api/operation';
import { toErrorShape, validationError } from './errors';
import type { Logger } from './log';

export interface Session {
  userId: string;
  name: string;
  role: Role;
}

/** Who is calling: set by the transport, never by the caller's message. */
export interface CallContext {
  connectionId: string;
  host: 'electron' | 'browser' | 'cli' | 'test';
  /** Mutable: sign-in, sign-out and the idle lock change it for the whole connection. */
  session: Session | null;
  /** When this connection last made a call (for the idle lock). */
  lastActivityAt?: number;
  /** Why the session ended, told to the next call that needs one (e.g. the idle lock). */
  signedOutReason?: string;
}

export type Handler<K extends OpName> = (input: OpParsedInput<K>, ctx: CallContext) => Promise<OpOutput<K>> | OpOutput<K>;
/** The full map: the compiler fails when an operation of the contract has no handler. */
export type Handlers = { [K in OpName]: Handler<K> };
/** A feature's slice of the contract. */
export type HandlerSlice<K extends OpName> = { [P in K]: Handler<P> };

type AnyHandler = (input: unknown, ctx: CallContext) => Promise<unknown>;

/**
 * Cross-cutting behaviour (audit, locks, serial writes) wraps handlers at registration,
 * not inside them. A middleware sees the operation's name and definition.
 */
export type Middleware = (next: AnyHandler, op: OpName, def: OperationDef) => AnyHandler;

export type CallResult = { ok: true; output: unknown } | { ok: false; error: ApiErrorShape };

export interface Router {
  call(op: string, input: unknown, ctx: CallContext): Promise<CallResult>;
}

export interface RouterOptions {
  logger: Logger;
  middleware?: Middleware[];
  /** Parse outputs too (tests and development): catches handlers that drift from the contract. */
  checkOutputs?: boolean;
  /** Runs before the permission check of every call (the idle lock ends stale sessions here). */
  beforeCall?: (ctx: CallContext) => void | Promise<void>;
}

export function createRouter(handlers: Handlers, options: RouterOptions): Router {
  const { logger, middleware = [], checkOutputs = false, beforeCall } = options;
  const table = new Map<OpName, AnyHandler>();
  for (const op of Object.keys(contract) as OpName[]) {
    const def = contract[op] as OperationDef;
    let fn: AnyHandler = async (input, ctx) => (handlers[op] as (i: unknown, c: CallContext) => unknown)(input, ctx);
    // The first middleware in the list is the outermost.
    for (const wrap of [...middleware].reverse()) fn = wrap(fn, op, def);
    table.set(op, fn);
  }

  return {
    async call(op, input, ctx) {
      try {
        if (!isOpName(op)) throw new ApiError('UNKNOWN_OPERATION', `Unknown operation "${op}".`);
        const def = contract[op] as OperationDef;
        await beforeCall?.(ctx);
        if (def.permission !== 'public') {
          if (!ctx.session) throw new ApiError('UNAUTHENTICATED', ctx.signedOutReason ?? 'Please sign in first.');
          if (!roleHas(ctx.session.role, def.permission)) {
            throw new ApiError('FORBIDDEN', `A ${ctx.session.role} may not do this (needs "${def.permission}").`);
          }
        }
        const parsed = def.input.safeParse(input ?? {});
        if (!parsed.success) throw validationError(parsed.error);
        const output = await table.get(op)!(parsed.data, ctx);
        if (checkOutputs) {
          const checked = def.output.safeParse(output);
          if (!checked.success) throw new Error(`Output of ${op} does not match the contract: ${checked.error.message}`);
        }
        return { ok: true, output };
      } catch (error) {
        return { ok: false, error: toErrorShape(error, (e) => logger.error('handler failed', { op, error: e })) };
      }
    },
  };
}
