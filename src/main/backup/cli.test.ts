// `npm run cli -- backup create|list|verify|restore` end to end: real processes on a
// real data folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupInfo, VerifyReport } from '@shared/api/ops/backup';
import { newId } from '@shared/ids';
import { startCore } from '../core/core';
import { silentLogger } from '../core/log';

const ROOT = resolve(__dirname, '../../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cli(...args: string[]) {
  const run = spawnSync(resolve(ROOT, 'node_modules/.bin/tsx'), ['src/main/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function addProduct(dataDir: string, name: string): Promise<void> {
  const core = await startCore({ dataDir, appVersion: 'test', host: 'test', logger: silentLogger });
  try {
    const p = { id: newId(), name, sku: 'S', barcode: '', priceMinor: 100, currency: 'KES', taxRateBp: 0, category: 'C', favourite: false, active: true };
    await core.writes.run({ action: 'product.create', actor: { userId: 'u1', name: 'U' } }, (tx) => tx.insert('products', p as never));
  } finally {
    await core.close();
  }
}

async function productNames(dataDir: string): Promise<string[]> {
  const core = await startCore({ dataDir, appVersion: 'test', host: 'test', logger: silentLogger });
  try {
    return (await core.store.db.collections.products.find().exec()).map((p) => p.name).sort();
  } finally {
    await core.close();
  }
}

describe('backup CLI', () => {
  it('creates, lists, verifies (failing on corruption) and restores', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cb-backup-cli-'));
    const usb = mkdtempSync(join(tmpdir(), 'cb-backup-cli-usb-'));
    dirs.push(dataDir, usb);
    await addProduct(dataDir, 'first');

    const created = cli('backup', 'create', '--data-dir', dataDir, '--to', usb, '--note', 'from the CLI', '--json');
    expect(created.status, created.stderr).toBe(0);
    const info = JSON.parse(created.stdout.trim().split('\n').at(-1)!) as BackupInfo;
    expect(info).toMatchObject({ kind: 'manual', note: 'from the CLI', retention: 'pinned' });
    expect(info.path.startsWith(usb)).toBe(true);
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The progress line went to stderr.
    expect(created.stderr).toMatch(/100% Backup .* created\./);

    const listed = cli('backup', 'list', '--data-dir', dataDir);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(info.id);
    expect(listed.stdout).toContain(`sha256 ${info.sha256}`);
    const fromDrive = cli('backup', 'list', '--data-dir', dataDir, '--from', usb, '--json');
    expect((JSON.parse(fromDrive.stdout) as { backups: BackupInfo[] }).backups.map((b) => b.id)).toEqual([info.id]);

    const verified = cli('backup', 'verify', info.id, '--data-dir', dataDir, '--json');
    expect(verified.status, verified.stderr).toBe(0);
    expect((JSON.parse(verified.stdout) as VerifyReport).ok).toBe(true);

    await addProduct(dataDir, 'second, after the backup');
    expect(await productNames(dataDir)).toEqual(['first', 'second, after the backup']);

    // Restore by path (as from a drive): the product written after the backup is gone.
    const restored = cli('backup', 'restore', info.path, '--data-dir', dataDir);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Restored .*\nThe data from before the restore is kept in .*pre-restore/);
    expect(await productNames(dataDir)).toEqual(['first']);

    // Flip bytes: verify exits 1 and says why; restore refuses and changes nothing.
    const bytes = readFileSync(info.path);
    for (let i = 5000; i < 5100; i++) bytes[i] = bytes[i]! ^ 0x5a;
    writeFileSync(info.path, bytes);
    const bad = cli('backup', 'verify', info.path, '--data-dir', dataDir);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAILED\s+checksum\s+The checksum does not match/);
    const refused = cli('backup', 'restore', info.path, '--data-dir', dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/error: This backup cannot be restored: .*Nothing was changed\./);
    expect(await productNames(dataDir)).toEqual(['first']);

    const missing = cli('backup', 'restore', join(usb, 'nope.cbbackup.sqlite'), '--data-dir', dataDir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/error: There is no file at/);
  }, 300_000);
});
