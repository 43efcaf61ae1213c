import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'Counterbook';
export const DATA_DIR_ENV = 'COUNTERBOOK_DATA_DIR';

/**
 * The OS app-data folder Electron would use for `app.getPath('userData')`, so the
 * desktop app, the browser host and the CLI all find the same store by default.
 */
export function defaultDataDir(platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** --data-dir beats the environment variable, which beats the OS default. */
export function resolveDataDir(argv: readonly string[] = process.argv, env = process.env): string {
  const flag = argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (flag >= 0) {
    const arg = argv[flag]!;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[flag + 1];
    if (value) return resolve(value);
  }
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv) return resolve(fromEnv);
  return defaultDataDir(process.platform, env);
}

export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    store: join(dataDir, 'store'),
    logs: join(dataDir, 'logs'),
    backups: join(dataDir, 'backups'),
    lockFile: join(dataDir, 'counterbook.lock'),
    credentials: join(dataDir, 'credentials'),
  };
}
