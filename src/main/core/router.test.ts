import { describe, expect, it } from 'vitest';
import { contract, OP_NAMES } from '@shared/api/contract';
import { PERMISSIONS } from '@shared/auth/permissions';
import { ApiError } from '@shared/api/errors';
import { createRouter, type CallContext, type Handlers } from './router';
import { silentLogger } from './log';

const admin: CallContext = { connectionId: 't', host: 'test', session: { userId: 'u1', name: 'Ada', role: 'admin' } };
const cashier: CallContext = { ...admin, session: { userId: 'u2', name: 'Cas', role: 'cashier' } };
const anonymous: CallContext = { ...admin, session: null };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'system.status': () => ({ appVersion: '1', host: 'test', dataDir: '/x', store: { state: 'ready' }, startedAt: 1 }),
    'system.ping': ({ message }) => ({ message, at: 5 }),
    'sync.status': () => ({ state: 'off', queueDepth: 0, lastPullAt: null, lastPushAt: null, lagMs: null, conflicts: 0, lastError: null }),
    ...overrides,
  } as Handlers;
}

describe('router', () => {
  it('routes a valid call and returns the output', async () => {
    const router = createRouter(handlers(), { logger: silentLogger, checkOutputs: true });
    await expect(router.call('system.ping', { message: 'hi' }, anonymous)).resolves.toEqual({ ok: true, output: { message: 'hi', at: 5 } });
  });

  it('refuses invalid input with VALIDATION and a readable message per field', async () => {
    const router = createRouter(handlers(), { logger: silentLogger });
    const result = await router.call('system.ping', { message: 'x'.repeat(201) }, anonymous);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toContain('message: Keep the message under 200 characters.');
    expect(result.error.issues?.[0]?.path).toBe('message');
  });

  it('refuses unknown fields (strict inputs)', async () => {
    const router = createRouter(handlers(), { logger: silentLogger });
    const result = await router.call('system.ping', { message: 'a', extra: 1 }, anonymous);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('refuses unknown operations', async () => {
    const router = createRouter(handlers(), { logger: silentLogger });
    await expect(router.call('nope.nothing', {}, admin)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
  });

  it('needs a session for non-public operations, and the permission for the role', async () => {
    const router = createRouter(handlers(), { logger: silentLogger });
    await expect(router.call('sync.status', {}, anonymous)).resolves.toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await expect(router.call('sync.status', {}, cashier)).resolves.toMatchObject({ ok: true });
  });

  it('passes ApiErrors through and hides internal errors behind a generic message', async () => {
    const logged: unknown[] = [];
    const logger = { ...silentLogger, error: (_m: string, f?: Record<string, unknown>) => logged.push(f) };
    const router = createRouter(
      handlers({
        'system.ping': () => {
          throw new ApiError('LOCKED', 'The day is closed.');
        },
        'system.status': () => {
          throw new Error('secret internals');
        },
      }),
      { logger },
    );
    await expect(router.call('system.ping', { message: 'a' }, admin)).resolves.toEqual({ ok: false, error: { code: 'LOCKED', message: 'The day is closed.' } });
    const internal = await router.call('system.status', {}, admin);
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('secret internals');
    expect(logged).toHaveLength(1);
  });

  it('catches a handler output that drifts from the contract when checking outputs', async () => {
    const router = createRouter(handlers({ 'system.ping': (() => ({ message: 42 })) as unknown as Handlers['system.ping'] }), { logger: silentLogger, checkOutputs: true });
    await expect(router.call('system.ping', { message: 'a' }, admin)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('applies middleware at registration, outermost first', async () => {
    const seen: string[] = [];
    const router = createRouter(handlers(), {
      logger: silentLogger,
      middleware: [
        (next, op) => async (i, c) => {
          seen.push(`outer:${op}`);
          return next(i, c);
        },
        (next, op, def) => async (i, c) => {
          seen.push(`inner:${def.kind}:${op}`);
          return next(i, c);
        },
      ],
    });
    await router.call('system.ping', { message: 'a' }, admin);
    expect(seen).toEqual(['outer:system.ping', 'inner:query:system.ping']);
  });
});

describe('contract', () => {
  it('gives every operation a known permission, a kind and strict object input', () => {
    for (const op of OP_NAMES) {
      const def = contract[op];
      expect(PERMISSIONS, op).toContain(def.permission);
      expect(['query', 'command'], op).toContain(def.kind);
      expect(def.summary.length, op).toBeGreaterThan(10);
      expect(op, 'operation names are area.action').toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    }
  });
});
