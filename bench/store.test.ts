// Smoke test of the storage benchmark: runs `bench/store.ts --smoke` as a child
// process and checks that its last stdout line is one JSON object with the
// expected numeric figures. No timing assertions (see DESIGN.md).
import { describe, expect, it } from 'vitest';
import { isNumber, runBenchSmoke } from './smoke';

describe('bench/store.ts --smoke', () => {
  it('prints one JSON object with every figure on its last stdout line', () => {
    const result = runBenchSmoke('store', 170_000);

    expect(result.bench).toBe('store');
    expect(result.smoke).toBe(true);
    for (const key of ['totalSeconds', 'cpus']) expect(isNumber(result[key]), key).toBe(true);

    const perfKeys = [
      'time-to-first-insert',
      'find-by-query',
      '4x-count',
      'property-access',
    ];
    for (const section of ['memory', 'ours', 'oursSynchronousNormal', 'ratioOursToMemory', 'ratioOursNormalToMemory']) {
      const figures = result.perf[section];
      for (const key of perfKeys) expect(isNumber(figures[key]), `perf.${section}.${key}`).toBe(true);
      expect(Object.keys(figures).some((k) => k.startsWith('insert-documents-') && isNumber(figures[k])), section).toBe(true);
      expect(Object.keys(figures).some((k) => k.startsWith('find-by-ids-') && isNumber(figures[k])), section).toBe(true);
    }

    for (const key of ['insert-documents-', 'find-by-ids-', 'serial-inserts-', 'find-by-query']) {
      const anchor = Object.keys(result.perf.rawAnchors).find((k) => k.startsWith(key));
      expect(anchor && isNumber(result.perf.rawAnchors[anchor]), `perf.rawAnchors.${key}`).toBe(true);
      expect(isNumber(result.perf.ratioRawToMemory[anchor as string]), `perf.ratioRawToMemory.${key}`).toBe(true);
      expect(isNumber(result.perf.ratioOursToRaw[anchor as string]), `perf.ratioOursToRaw.${key}`).toBe(true);
    }
    expect(Array.isArray(result.targets.perfMissedAlsoByRaw)).toBe(true);

    for (const who of ['ours', 'memory']) expect(isNumber(result.bulk.registerQueryMs[who]), `registerQueryMs.${who}`).toBe(true);
    for (const who of ['ours', 'raw', 'memory']) {
      expect(isNumber(result.bulk.insertMs[who]), `insertMs.${who}`).toBe(true);
      expect(isNumber(result.bulk.findByIdsMs[who]), `findByIdsMs.${who}`).toBe(true);
    }
    for (const key of ['insertOursToRaw', 'insertOursToMemory', 'findByIdsOursToRaw', 'findByIdsOursToMemory', 'rawInsertToMemory']) {
      expect(isNumber(result.bulk.ratios[key]), `bulk.ratios.${key}`).toBe(true);
    }

    const scale = result.scale;
    for (const key of ['docs', 'insertDocsPerSec', 'fileMB', 'openMs', 'countAllMs', 'peakRssMB']) {
      expect(isNumber(scale[key]), `scale.${key}`).toBe(true);
    }
    expect(scale.docs).toBeGreaterThan(0);
    for (const key of ['p50Ms', 'p95Ms', 'avgDocs']) expect(isNumber(scale.todaysSalesQuery[key]), key).toBe(true);
    expect(scale.todaysSalesQuery.avgDocs).toBeGreaterThan(0);
    for (const key of ['p50Ms', 'p95Ms']) expect(isNumber(scale.todaysSalesCount[key]), key).toBe(true);
    for (const key of ['p50Ms', 'p95Ms', 'cpuP95Ms']) expect(isNumber(scale.todaysSalesQuery.storageSameDayRepeated[key]), key).toBe(true);
    expect(scale.todaysSalesQuery.loadAvgAtQueries).toHaveLength(3);

    for (const key of ['perfEachAtMost3xMemory', 'bulkInsertAtMost2xRaw', 'scaleOpenUnder1s', 'scaleQueryP95Under10ms', 'scalePeakRssUnder400MB']) {
      expect(typeof result.targets[key], `targets.${key}`).toBe('boolean');
    }
  }, 180_000);
});
