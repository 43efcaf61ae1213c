// Shared by the benchmarks' smoke tests: runs `bench/<name>.ts --smoke` as a child
// process and returns the JSON object on its last stdout line (after checking it is one).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';

const ROOT = resolve(__dirname, '..');

export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the figures are checked field by field by each test
export function runBenchSmoke(name: string, timeoutMs = 170_000): any {
  const run = spawnSync(resolve(ROOT, 'node_modules/.bin/tsx'), ['--expose-gc', `bench/${name}.ts`, '--smoke'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 32 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  expect(last.startsWith('{') && last.endsWith('}'), `last line of bench/${name}.ts: ${last}`).toBe(true);
  return JSON.parse(last);
}
