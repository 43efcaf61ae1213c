// Test helper for the counter: a real core on a temporary data folder, with the shop
// set up (SETUP from people/test-core: KES, Africa/Nairobi, prefix CS, device A1), a
// few products, and a restart on the same folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import type { CartLine, Product } from '@shared/api/ops/counter-sales';
import type { Role } from '@shared/auth/permissions';
import { SHOP_PROFILE_ID, type ShopProfileDoc } from '@shared/schema';
import { startCore, type Core } from '../../core/core';
import { silentLogger } from '../../core/log';
import type { CallContext } from '../../core/router';
import { SETUP } from '../../people/test-core';

export { SETUP };

export interface CounterKit {
  core: Core;
  dir: string;
  /** The owner (admin) signed in. */
  owner: CallContext;
  ownerId: string;
  ctx(role: Role, userId?: string): CallContext;
  call<K extends OpName>(op: K, input: OpInput<K>, ctx?: CallContext): Promise<OpOutput<K>>;
  /** Resolves to the error shape of a call that must fail. */
  fail<K extends OpName>(op: K, input: OpInput<K>, ctx?: CallContext): Promise<{ code: string; message: string; issues?: { path: string; message: string }[] }>;
  setShop(patch: Partial<ShopProfileDoc>): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startCounterKit(options: { dir?: string; setup?: boolean } = {}): Promise<CounterKit> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'cb-counter-'));
  const open = () => startCore({ dataDir: dir, appVersion: '0.0.0-test', host: 'test', logger: silentLogger });
  let n = 0;
  const ctx = (role: Role, userId = `user-${role}`): CallContext => ({ connectionId: `t-${++n}`, host: 'test', session: { userId, name: `${role} person`, role } });
  const kit: CounterKit = {
    core: await open(),
    dir,
    owner: { connectionId: 'owner', host: 'test', session: null },
    ownerId: '',
    ctx,
    async call(op, input, c = kit.owner) {
      const result = await kit.core.router.call(op, input, c);
      if (!result.ok) throw Object.assign(new Error(`${op}: ${result.error.code} ${result.error.message}`), result.error);
      return result.output as never;
    },
    async fail(op, input, c = kit.owner) {
      const result = await kit.core.router.call(op, input, c);
      if (result.ok) throw new Error(`${op} was expected to fail but returned ${JSON.stringify(result.output).slice(0, 300)}`);
      return result.error;
    },
    async setShop(patch) {
      await kit.core.writes.run({ action: 'settings.update', actor: { userId: kit.ownerId, name: 'owner' } }, (tx) => tx.update('shopProfile', SHOP_PROFILE_ID, patch));
    },
    async restart() {
      await kit.core.close();
      kit.core = await open();
    },
    async close() {
      await kit.core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.setup !== false) {
    const session = await kit.call('auth.setup', SETUP, kit.owner);
    kit.ownerId = session.userId;
  }
  return kit;
}

/** Bread 50.00 (16%), Milk 1L 65.00 (16%), Sugar 1kg 120.00 (0%, barcode), Rice per kg 180.00. */
export async function addProducts(kit: CounterKit): Promise<Record<'bread' | 'milk' | 'sugar' | 'rice', Product>> {
  const bread = await kit.call('counter.createProduct', { name: 'Bread', sku: 'BRD-1', barcode: '6001234500017', priceMinor: 5000, taxRateBp: 1600, category: 'Bakery', favourite: true, quickKey: 1 });
  const milk = await kit.call('counter.createProduct', { name: 'Milk 1L', sku: 'MLK-1', barcode: '6001234500024', priceMinor: 6500, taxRateBp: 1600, category: 'Dairy', quickKey: 2 });
  const sugar = await kit.call('counter.createProduct', { name: 'Sugar 1kg', sku: 'SUG-1', barcode: '6001234500031', priceMinor: 12000, taxRateBp: 0, category: 'Dry goods' });
  const rice = await kit.call('counter.createProduct', { name: 'Rice (per kg)', sku: 'RICE', barcode: '', priceMinor: 18000, taxRateBp: 1600, category: 'Dry goods', unit: 'kg' });
  return { bread, milk, sugar, rice };
}

/** A cart line for a product. */
export function lineOf(p: Product, quantityMilli = 1000, extra: Partial<CartLine> = {}): CartLine {
  return { productId: p.id, name: p.name, quantityMilli, unitPriceMinor: p.priceMinor, taxRateBp: p.taxRateBp, ...extra };
}
