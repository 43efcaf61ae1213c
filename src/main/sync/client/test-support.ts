// Helpers for the sync engine's tests: devices (cores on temp folders) paired with a
// test server, a TCP proxy that can cut and block connections, snapshots to compare
// stores, and waiting for sync to settle. Not shipped (imported by tests only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import type { SyncStatus } from '@shared/api/ops/sync';
import { newId } from '@shared/ids';
import { replicatedCollectionNames, type ProductDoc } from '@shared/schema';
import { startCore, type Core } from '../../core/core';
import { silentLogger } from '../../core/log';
import type { CallContext } from '../../core/router';
import type { WriteTx } from '../../store/write-path';
import { createPairingCode } from '../server/provision';
import type { SyncEngineOptions } from './engine';
import { stripMeta } from './merge';
import type { TcpProxy } from './tcp-proxy';

/** Short timings so that tests see retries, polls and backoff within seconds. */
export const FAST_SYNC: SyncEngineOptions = {
  pollMs: 1_000,
  backoffMinMs: 100,
  backoffMaxMs: 800,
  pushDelayMs: 10,
  connectTimeoutMs: 3_000,
  queryTimeoutMs: 8_000,
  statusThrottleMs: 50,
  syncNowTimeoutMs: 30_000,
};

export const TEST_CONTEXT: CallContext = { connectionId: 'test', host: 'test', session: { userId: 'tester', name: 'Tester', role: 'admin' } };

export interface Device {
  core: Core;
  dir: string;
  /** Stops the core; the folder stays (start it again with reopen). */
  close(): Promise<void>;
  reopen(sync?: SyncEngineOptions): Promise<Device>;
  remove(): Promise<void>;
}

export async function startDevice(options: { dir?: string; sync?: SyncEngineOptions } = {}): Promise<Device> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'cb-sync-dev-'));
  const core = await startCore({ dataDir: dir, appVersion: '0.0.0-test', host: 'test', logger: silentLogger, sync: options.sync ?? FAST_SYNC });
  let closed = false;
  const device: Device = {
    core,
    dir,
    close: async () => {
      if (closed) return;
      closed = true;
      await core.close();
    },
    reopen: async (sync) => {
      await device.close();
      return startDevice({ dir, sync: sync ?? options.sync });
    },
    remove: async () => {
      await device.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return device;
}

export async function call<K extends OpName>(core: Core, op: K, input: OpInput<K>): Promise<OpOutput<K>> {
  const result = await core.router.call(op, input, TEST_CONTEXT);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.output as OpOutput<K>;
}

/** Pairs the device with the tenant; `deviceUrl` points it elsewhere (a proxy) than the admin URL. */
export async function pair(device: Device, adminUrl: string, tenantId: string, name: string, deviceUrl?: string): Promise<SyncStatus> {
  const { code } = await createPairingCode(adminUrl, tenantId, name, 15, { deviceUrl });
  return call(device.core, 'sync.pair', { pairingCode: code });
}

export function write<T>(device: Device, plan: (tx: WriteTx) => Promise<T> | T): Promise<T> {
  return device.core.writes.run({ action: 'test.write', actor: { userId: 'tester', name: 'Tester' } }, plan);
}

export function product(id: string, patch: Partial<ProductDoc> = {}): Omit<ProductDoc, 'createdAt' | 'updatedAt'> {
  return { id, name: `Product ${id}`, sku: '', barcode: '', priceMinor: 100, currency: 'EUR', taxRateBp: 0, category: '', favourite: false, active: true, ...patch };
}

export function creditEntry(customerId: string, amountMinor: number, deviceId: string) {
  return { id: newId(), customerId, kind: 'sale' as const, amountMinor, currency: 'EUR', saleId: '', day: '2025-11-22', deviceId };
}

/** Every live document of every replicated collection, without RxDB's fields: `collection/id` -> doc. */
export async function snapshot(device: Device): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of replicatedCollectionNames) {
    const docs = await device.core.store.db.collections[name].find().exec();
    for (const d of docs) out[`${name}/${d.primary}`] = stripMeta(d.toJSON() as Record<string, unknown>);
  }
  return out;
}

export async function status(device: Device): Promise<SyncStatus> {
  return call(device.core, 'sync.status', {});
}

export async function waitFor<T>(what: string, probe: () => Promise<T | false | null | undefined> | T | false | null | undefined, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs sync.now on every device until all queues are empty and two rounds change nothing. */
export async function settle(devices: Device[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 2) {
    if (Date.now() > deadline) {
      const states = await Promise.all(devices.map(status));
      throw new Error(`sync did not settle: ${JSON.stringify(states.map((s) => ({ state: s.state, queueDepth: s.queueDepth, lastError: s.lastError })))}`);
    }
    const before = await Promise.all(devices.map(status));
    for (const d of devices) await call(d.core, 'sync.now', {});
    const after = await Promise.all(devices.map(status));
    const busy = after.some((s) => s.state !== 'online' || s.queueDepth - (s.rejected ?? 0) > 0);
    const moved = after.some((s, i) => s.lastPullAt !== before[i]!.lastPullAt && s.lastPushAt !== before[i]!.lastPushAt);
    quiet = busy || moved ? 0 : quiet + 1;
    if (busy) await new Promise((r) => setTimeout(r, 100));
  }
}

export function urlThrough(proxy: TcpProxy, adminUrl: string): string {
  const u = new URL(adminUrl);
  return `postgres://127.0.0.1:${proxy.port}${u.pathname}`;
}
