// Test helper: a real core on a fresh temporary data folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import type { Role } from '@shared/auth/permissions';
import { startCore, type Core } from '../core/core';
import { silentLogger } from '../core/log';
import type { CallContext } from '../core/router';

export interface TestCore {
  core: Core;
  dir: string;
  ctx(role?: Role | null, userId?: string): CallContext;
  call<K extends OpName>(op: K, input: OpInput<K>, ctx: CallContext): Promise<OpOutput<K>>;
  close(): Promise<void>;
}

export async function startTestCore(): Promise<TestCore> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-core-'));
  const core = await startCore({ dataDir: dir, appVersion: '0.0.0-test', host: 'test', logger: silentLogger });
  let n = 0;
  return {
    core,
    dir,
    ctx: (role = null, userId = `user-${role}`) => ({ connectionId: `test-${++n}`, host: 'test', session: role ? { userId, name: `${role} person`, role } : null }),
    async call(op, input, ctx) {
      const result = await core.router.call(op, input, ctx);
      if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
      return result.output as never;
    },
    async close() {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SETUP = {
  shopName: 'Corner Shop',
  currency: 'KES',
  timezone: 'Africa/Nairobi',
  locale: 'en-KE',
  invoicePrefix: 'CS',
  deviceCode: 'A1',
  deviceName: 'Front till',
  ownerName: 'Wanjiru',
  ownerEmail: 'owner@example.com',
  pin: '482913',
} as const;
