// `npm test`: unit and integration tests (vitest), then the end-to-end tests
// (Playwright in Chromium against the browser host), then one summary line:
// "tests: N passed, N failed, N skipped". Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, 'test-results', 'summary');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } }).status ?? 1;

const only = process.argv[2]; // optional: "unit" or "e2e"
let status = run(process.execPath, [join(root, 'scripts', 'native-abi.mjs'), 'node']);
const totals = { passed: 0, failed: 0, skipped: 0 };

if (status === 0 && only !== 'e2e') {
  const file = join(reports, 'vitest.json');
  const code = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
  }
  if (code !== 0) {
    status = code;
    if (!existsSync(file)) totals.failed += 1;
  }
}

if (only !== 'unit') {
  const build = run(bin('electron-vite'), ['build']);
  if (build !== 0) status = build;
  else {
    const file = join(reports, 'playwright.json');
    const code = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
    if (existsSync(file)) {
      const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
      totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
      totals.failed += s.unexpected ?? 0;
      totals.skipped += s.skipped ?? 0;
    } else totals.failed += code === 0 ? 0 : 1;
    if (code !== 0) status = code;
  }
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status === 0 && totals.failed === 0 ? 0 : 1);
