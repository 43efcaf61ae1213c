// Smoke test of the counter benchmark: runs `bench/counter.ts --smoke` as a child
// process and checks that its last stdout line is one JSON object with the expected
// figures. No timing assertions (see DESIGN.md).
import { describe, expect, it } from 'vitest';
import { isNumber, runBenchSmoke } from './smoke';

describe('bench/counter.ts --smoke', () => {
  it('prints one JSON object with every figure on its last stdout line', () => {
    const result = runBenchSmoke('counter', 170_000);
    expect(result).toMatchObject({ bench: 'counter', smoke: true, driver: 'router', timedSales: 20 });
    expect(result.salesInStore).toBeGreaterThanOrEqual(2_000);
    for (const key of ['saleToReadyMs', 'finaliseMs', 'listAndReceiptAfterFinaliseMs']) {
      for (const f of ['p50', 'p95', 'max']) expect(isNumber(result[key][f]), `${key}.${f}`).toBe(true);
      expect(result[key].n).toBe(20);
    }
    for (const key of ['smallestCommandMs', 'smallestQueryMs', 'deviceSalesListFirstPageMs', 'invoicePdfMs']) expect(isNumber(result.anchors[key].p95), key).toBe(true);
    expect(isNumber(result.ratios.saleToReadyP50OverSmallestCommandP50)).toBe(true);
    expect(typeof result.targets.met).toBe('boolean');
    expect(result.saleToReadyMs.p95).toBeGreaterThanOrEqual(result.saleToReadyMs.p50);
  });
});
