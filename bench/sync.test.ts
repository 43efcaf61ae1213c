// Smoke test of the sync benchmark: runs `bench/sync.ts --smoke` as a child process and
// checks that its last stdout line is one JSON object with every figure. No timing
// assertions (see DESIGN.md).
import { describe, expect, it } from 'vitest';
import { isNumber, runBenchSmoke } from './smoke';

describe('bench/sync.ts --smoke', () => {
  it('prints one JSON object with every figure on its last stdout line', () => {
    const result = runBenchSmoke('sync', 170_000);

    expect(result).toMatchObject({ bench: 'sync', smoke: true });
    for (const key of ['totalSeconds', 'cpus']) expect(isNumber(result[key]), key).toBe(true);
    for (const key of ['docs', 'ms', 'docsPerSec', 'ratioToPlainSelect', 'ratioToLocalStoreWrite']) expect(isNumber(result.pull[key]), `pull.${key}`).toBe(true);
    for (const key of ['rows', 'ms', 'rowsPerSec']) expect(isNumber(result.pull.plainSelect[key]), `pull.plainSelect.${key}`).toBe(true);
    for (const key of ['docs', 'ms', 'docsPerSec']) expect(isNumber(result.pull.localStoreWrite[key]), `pull.localStoreWrite.${key}`).toBe(true);
    expect(result.pull.plainSelect.rows).toBe(result.pull.docs);
    for (const key of ['docs', 'ms', 'docsPerSec', 'untilIdleMs', 'ratioToPlainInsert']) expect(isNumber(result.push[key]), `push.${key}`).toBe(true);
    for (const key of ['rows', 'ms', 'rowsPerSec']) expect(isNumber(result.push.plainInsert[key]), `push.plainInsert.${key}`).toBe(true);
    for (const key of ['edits', 'p50Ms', 'p95Ms', 'maxMs']) expect(isNumber(result.propagation[key]), `propagation.${key}`).toBe(true);
    expect(result.propagation.edits).toBeGreaterThan(0);
    for (const key of ['pullAtLeast20kPerSec', 'pullAtLeastHalfPlainSelect', 'pushAtLeast10kPerSec', 'pushAtLeastHalfPlainInsert', 'propagationP95Under500ms']) {
      expect(typeof result.targets[key], `targets.${key}`).toBe('boolean');
    }
  }, 180_000);
});
