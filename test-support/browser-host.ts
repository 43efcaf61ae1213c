// Starts the browser host (`node <build>/main/serve.js`) on a data folder with a port the
// system chooses, and resolves with the URL it prints. Shared by the end-to-end fixtures
// and the Chromium-driven counter benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface ServedHost {
  /** `http://127.0.0.1:<port>/?token=…`, as `serve.js` prints it. */
  url: string;
  process: ChildProcess;
  /** Everything the host printed so far (stdout and stderr). */
  output: () => string;
}

export interface ServeOptions {
  /** The build folder holding `main/serve.js` (e.g. out/). */
  buildDir: string;
  dataDir: string;
  /** Extra Node flags for the host (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Opening a big store takes a while; a fresh one starts in a second or two. */
  timeoutMs?: number;
}

export async function serveBrowserHost(options: ServeOptions): Promise<ServedHost> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), resolve(options.buildDir, 'main/serve.js'), '--data-dir', options.dataDir, '--port', '0'], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser host did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}:\n${output}`));
    });
  });
  return { url, process: child, output: () => output };
}

/** Stops the host (SIGTERM: it finishes its work and closes the store) and waits for it. */
export async function stopBrowserHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
