import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

// Keys whose values never reach a log line, however deep they sit.
const SECRET_KEY = /pin|password|passphrase|secret|token|credential|authorization|cookie|apikey|api_key|private|hash|connectionstring|url/i;
const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
    return out;
  }
  return typeof value === 'string' ? redactText(value) : value;
}

/** Strips credentials from free text, e.g. postgres://user:pass@host or ?token=... */
export function redactText(text: string): string {
  return text
    .replace(/(\w+:\/\/)([^:/@\s]+):([^@\s]+)@/g, `$1$2:${REDACTED}@`)
    .replace(/([?&](?:token|key|password|secret)=)[^&\s]+/gi, `$1${REDACTED}`);
}

export interface FileLoggerOptions {
  dir: string;
  name?: string;
  maxBytes?: number;
  keep?: number;
  level?: LogLevel;
  /** Also echo to stderr (the CLI and the browser host do, the Electron core does not). */
  echo?: boolean;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** JSON-lines log in the data folder, rotated by size: name.log, name.1.log ... name.<keep>.log */
export function createFileLogger(options: FileLoggerOptions): Logger {
  const { dir, name = 'counterbook', maxBytes = 5 * 1024 * 1024, keep = 5, level = 'info', echo = false } = options;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.log`);
  let size = existsSync(file) ? statSync(file).size : 0;

  const rotate = (): void => {
    rmSync(join(dir, `${name}.${keep}.log`), { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      const from = join(dir, `${name}.${i}.log`);
      if (existsSync(from)) renameSync(from, join(dir, `${name}.${i + 1}.log`));
    }
    if (existsSync(file)) renameSync(file, join(dir, `${name}.1.log`));
    size = 0;
  };

  const write = (lvl: LogLevel, msg: string, base: Record<string, unknown>, fields?: Record<string, unknown>): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level: lvl, msg: redactText(msg), ...(redact({ ...base, ...fields }) as object) }) + '\n';
    if (size + line.length > maxBytes) rotate();
    try {
      appendFileSync(file, line);
      size += Buffer.byteLength(line);
    } catch {
      // A full disk must not take the counter down with it.
    }
    if (echo) process.stderr.write(line);
  };

  const make = (base: Record<string, unknown>): Logger => ({
    debug: (m, f) => write('debug', m, base, f),
    info: (m, f) => write('info', m, base, f),
    warn: (m, f) => write('warn', m, base, f),
    error: (m, f) => write('error', m, base, f),
    child: (f) => make({ ...base, ...f }),
  });
  return make({});
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
