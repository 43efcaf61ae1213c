// Smoke test of the backup benchmark: runs `bench/backup.ts --smoke` as a child process
// and checks that its last stdout line is one JSON object with every figure. No timing
// assertions (see DESIGN.md).
import { describe, expect, it } from 'vitest';
import { isNumber, runBenchSmoke } from './smoke';

describe('bench/backup.ts --smoke', () => {
  it('prints one JSON object with every figure on its last stdout line', () => {
    const result = runBenchSmoke('backup', 170_000);

    expect(result.bench).toBe('backup');
    expect(result.smoke).toBe(true);
    expect(result.sales).toBeGreaterThan(0);
    for (const key of ['cpus', 'fileMB', 'backupMB', 'copySeconds', 'backupSeconds', 'fallbackSeconds', 'onlineBackupSeconds', 'checksumSeconds', 'verifySeconds', 'copyCpuSeconds', 'backupCpuSeconds', 'loadAverage1m', 'copyMBps', 'backupMBps', 'totalSeconds']) {
      expect(isNumber(result[key]), key).toBe(true);
    }
    for (const key of ['backupToCopy', 'fallbackToCopy', 'backupToFallback', 'onlineBackupToCopy', 'pingP95DuringBackupToBaseline']) expect(isNumber(result.ratios[key]), `ratios.${key}`).toBe(true);
    for (const phase of ['baseline', 'duringBackup', 'duringVerify']) {
      for (const key of ['samples', 'pingP50Ms', 'pingP95Ms', 'pingMaxMs', 'readP95Ms']) {
        expect(isNumber(result.latency[phase][key]), `latency.${phase}.${key}`).toBe(true);
      }
    }
    expect(result.latency.duringBackup.samples).toBeGreaterThan(0);
    // The core is idle when the backup starts: the one-pass file copy must have run, not the fallback.
    expect(result.backupMethod).toBe('file-copy');
    for (const key of ['backupAtMost2xCopy', 'onlineBackupAtMost2xCopy', 'pingP95DuringBackupUnder50ms']) expect(typeof result.targets[key], `targets.${key}`).toBe('boolean');
  }, 180_000);
});
