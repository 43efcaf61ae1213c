// Smoke test of the backup benchmark: runs `bench/backup.ts --smoke` as a child process
// and checks that its last stdout line is one JSON object with every figure. No timing
// assertions (see DESIGN.md).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

describe('bench/backup.ts --smoke', () => {
  it('prints one JSON object with every figure on its last stdout line', () => {
    const run = spawnSync(resolve(ROOT, 'node_modules/.bin/tsx'), ['--expose-gc', 'bench/backup.ts', '--smoke'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const last = lines[lines.length - 1] as string;
    expect(last.startsWith('{') && last.endsWith('}')).toBe(true);
    const result = JSON.parse(last);

    expect(result.bench).toBe('backup');
    expect(result.smoke).toBe(true);
    expect(result.sales).toBeGreaterThan(0);
    for (const key of ['cpus', 'fileMB', 'backupMB', 'copySeconds', 'backupSeconds', 'onlineBackupSeconds', 'checksumSeconds', 'verifySeconds', 'copyMBps', 'backupMBps', 'totalSeconds']) {
      expect(isNumber(result[key]), key).toBe(true);
    }
    for (const key of ['backupToCopy', 'onlineBackupToCopy', 'pingP95DuringBackupToBaseline']) expect(isNumber(result.ratios[key]), `ratios.${key}`).toBe(true);
    for (const phase of ['baseline', 'duringBackup', 'duringVerify']) {
      for (const key of ['samples', 'pingP50Ms', 'pingP95Ms', 'pingMaxMs', 'readP95Ms']) {
        expect(isNumber(result.latency[phase][key]), `latency.${phase}.${key}`).toBe(true);
      }
    }
    expect(result.latency.duringBackup.samples).toBeGreaterThan(0);
    for (const key of ['backupAtMost2xCopy', 'onlineBackupAtMost2xCopy', 'pingP95DuringBackupUnder50ms']) expect(typeof result.targets[key], `targets.${key}`).toBe('boolean');
  }, 180_000);
});
