import type { Command } from 'commander';
import { newId } from '@shared/ids';
import { SHOP_PROFILE_ID } from '@shared/schema';
import { SYSTEM_ACTOR } from '../../core/actor';
import { hashSecret } from '../../people/pin-hash';
import { seedDemo } from '../../store/demo-seed';
import { withCore } from '../context';
import { progressLine } from '../progress';

/** The PIN every demo account gets, printed after seeding. Demo stores only. */
export const DEMO_PIN = '1234';

export function registerSeedCommands(program: Command): void {
  program
    .command('seed-demo')
    .description('Fill an empty store with realistic demo data (products, customers, sales, expenses, orders, people)')
    .option('--data-dir <dir>', 'data folder')
    .option('--sales <n>', 'number of sales, spread over about six months', '5000')
    .option('--seed <n>', 'random seed (same seed, same data)', '42')
    .action(async (opts: { sales: string; seed: string }, command: Command) => {
      const sales = Number(opts.sales);
      const seed = Number(opts.seed);
      if (!Number.isInteger(sales) || sales < 0 || sales > 10_000_000) throw new Error(`--sales must be a whole number from 0 to 10,000,000, not "${opts.sales}".`);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, not "${opts.seed}".`);
      await withCore(command, async (core) => {
        const db = core.store.db;
        if ((await db.collections.users.count().exec()) > 0 || (await db.collections.sales.count().exec()) > 0) {
          throw new Error('This store already has data. Seed an empty data folder (choose one with --data-dir).');
        }
        const progress = progressLine('seeding');
        const result = await seedDemo(db, { sales, seed, deviceId: core.deviceId, onProgress: progress.update });
        progress.done();

        // Demo accounts get a known PIN so the demo can be signed into; the shop an id for invitations.
        const pinHash = await hashSecret(DEMO_PIN);
        const staff = await db.collections.users.find({ selector: { active: true, role: { $in: ['admin', 'manager', 'cashier'] } } }).exec();
        await core.writes.run({ action: 'demo.setPins', actor: SYSTEM_ACTOR, reason: 'demo data' }, async (tx) => {
          for (const user of staff) await tx.update('users', user.id, { pinHash });
          const profile = await tx.get('shopProfile', SHOP_PROFILE_ID);
          if (profile && !profile.shopId) await tx.update('shopProfile', SHOP_PROFILE_ID, { shopId: newId() });
        });
        const total = Object.values(result.counts).reduce((a, b) => a + (b ?? 0), 0);
        console.log(`Seeded ${total.toLocaleString('en')} documents in ${(result.ms / 1000).toFixed(1)} s:`);
        for (const [name, count] of Object.entries(result.counts)) console.log(`  ${name.padEnd(22)} ${count}`);
        console.log(`Sign in as any of: ${staff.map((u) => `${u.name} (${u.role})`).join(', ')} with PIN ${DEMO_PIN}.`);
      });
    });
}
