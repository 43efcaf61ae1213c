// A device in its own process, for the SIGKILL test (resilience.test.ts): opens an
// already paired data folder, writes `count` products offline-style (in chunks), lets
// the engine push them in small batches and prints its push progress, until the test
// kills it.
//
//   tsx kill-device.fixture.ts <dataDir> <count> <batchRows> <tag>
import { startCore } from '../../core/core';
import { silentLogger } from '../../core/log';

async function main(): Promise<void> {
  const [dataDir, countArg, batchArg, tag] = process.argv.slice(2);
  if (!dataDir || !countArg || !batchArg || !tag) throw new Error('usage: kill-device.fixture.ts <dataDir> <count> <batchRows> <tag>');
  const count = Number(countArg);
  const core = await startCore({
    dataDir,
    appVersion: '0.0.0-test',
    host: 'test',
    logger: silentLogger,
    sync: { batchRows: Number(batchArg), pushDelayMs: 5, pollMs: 500, backoffMinMs: 50, backoffMaxMs: 300, statusThrottleMs: 0 },
  });
  core.bus.subscribe((name, payload) => {
    if (name !== 'sync.status') return;
    const s = payload as { progress: { phase: string; done: number } | null; lastPushAt: number | null };
    if (s.progress?.phase === 'push') process.stdout.write(`pushed ${s.progress.done}\n`);
  });
  for (let i = 0; i < count; i += 100) {
    await core.writes.run({ action: 'test.write', actor: { userId: 'tester', name: 'Tester' } }, async (tx) => {
      for (let j = i; j < Math.min(count, i + 100); j++) {
        await tx.insert('products', { id: `${tag}-${String(j).padStart(5, '0')}`, name: `Product ${tag} ${j}`, sku: '', barcode: '', priceMinor: j, currency: 'EUR', taxRateBp: 0, category: '', favourite: false, active: true });
      }
    });
  }
  process.stdout.write('written\n');
  // Keep running (and pushing) until killed.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  process.stderr.write(`fixture failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
