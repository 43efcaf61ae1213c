// The browser host for the Chromium-driven counter benchmark: a build of the app (main +
// renderer) and `node serve.js --data-dir <store>` started on it, as e2e/fixtures.ts does.
//
// The build goes to a private folder (node_modules/.cache/counterbook-bench-ui, inside the
// project so serve.js resolves its packages from node_modules) rather than out/, which
// the end-to-end tests rebuild at any moment. `--no-build` serves out/ as it is instead,
// `--prebuilt DIR` another build (e.g. of an earlier version, to compare).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveBrowserHost, stopBrowserHost, type ServedHost } from '../test-support/browser-host';

const ROOT = resolve(__dirname, '..');
export const PRIVATE_BUILD = resolve(ROOT, 'node_modules/.cache/counterbook-bench-ui');

export interface Build {
  dir: string;
  /** True when built by this run; false for `--no-build` (out/ as it was). */
  fresh: boolean;
  ms: number;
}

/** Builds the app into the private folder, or takes a build as it is (`prebuilt`: out/ or another build's folder). */
export function buildApp(prebuilt: string | null): Build {
  if (prebuilt) {
    const dir = resolve(ROOT, prebuilt);
    if (!existsSync(resolve(dir, 'main/serve.js'))) throw new Error(`${dir}/main/serve.js is missing (build it first: npx electron-vite build --outDir <absolute folder>).`);
    return { dir, fresh: false, ms: 0 };
  }
  const t = performance.now();
  // COUNTER_BENCH_SOURCEMAP=1: with source maps, to read a profile of the minified renderer.
  const sourcemap = process.env.COUNTER_BENCH_SOURCEMAP ? ['--sourcemap'] : [];
  const run = spawnSync(resolve(ROOT, 'node_modules/.bin/electron-vite'), ['build', '--outDir', PRIVATE_BUILD, '--logLevel', 'warn', ...sourcemap], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`electron-vite build failed (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return { dir: PRIVATE_BUILD, fresh: true, ms: performance.now() - t };
}

export type Host = ServedHost;

/** Starts `serve.js` of a build on a data folder, port chosen by the system; resolves with its URL. */
export function startHost(buildDir: string, dataDir: string, timeoutMs = 180_000): Promise<Host> {
  // COUNTER_BENCH_HOST_NODE_ARGS: extra Node flags for the host (e.g. --cpu-prof, to see where its time goes).
  const nodeArgs = (process.env.COUNTER_BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // The same environment as `npm run serve` and as the router measurement in this process;
  // opening a big store (and building its insight tables the first time) takes a while.
  return serveBrowserHost({ buildDir, dataDir, nodeArgs, cwd: ROOT, env: process.env, timeoutMs });
}

export function stopHost(host: Host): Promise<void> {
  return stopBrowserHost(host.process);
}
