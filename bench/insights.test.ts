// Smoke test of the insights benchmark: runs `bench/insights.ts --smoke` as a child
// process and checks that its last stdout line is one JSON object with the expected
// figures. No timing assertions (see DESIGN.md).
import { describe, expect, it } from 'vitest';
import { isNumber, runBenchSmoke } from './smoke';

describe('bench/insights.ts --smoke', () => {
  it('prints one JSON object with every figure on its last stdout line', () => {
    const r = runBenchSmoke('insights', 300_000);
    expect(r.bench).toBe('insights');
    expect(r.smoke).toBe(true);
    expect(r.periodDays).toBe(90);
    expect(r.periodSales).toBeGreaterThan(1000);
    // The tables and the from-scratch scan agree.
    expect(r.anchorSameFigures).toBe(true);
    expect(r.tablesBuiltAtStart).toBe(true);
    for (const key of ['p50Ms', 'p95Ms', 'firstMs']) expect(isNumber(r.insights[key]), key).toBe(true);
    for (const key of ['days', 'ms', 'cpuMs', 'creditBalancesMs']) expect(isNumber(r.rebuild[key]), key).toBe(true);
    for (const format of ['csv', 'xlsx']) {
      const e = r.export[format];
      expect(e.rows, format).toBeGreaterThan(1000);
      for (const key of ['ms', 'cpuMs', 'sizeMB', 'peakHeapGrowthMB', 'rowsPerSecond']) expect(isNumber(e[key]), `${format}.${key}`).toBe(true);
    }
    expect(r.export.csv.rows).toBe(r.export.xlsx.rows);
    for (const key of ['anchorScanMs', 'ratioScanToInsightsP50', 'totalSeconds', 'cpus']) expect(isNumber(r[key]), key).toBe(true);
    expect(typeof r.targets.insightsP95Under500ms).toBe('boolean');
  });
});
