import type { Command } from 'commander';
import { startCore, type Core } from '../core/core';
import { resolveDataDir } from '../core/paths';
import { appVersion } from '../core/version';
import { createFileLogger } from '../core/log';
import { dataPaths } from '../core/paths';

/** The data folder a command works on: its own --data-dir, the global one, the env, or the OS default. */
export function commandDataDir(command: Command): string {
  const local = command.opts<{ dataDir?: string }>().dataDir;
  const global = command.optsWithGlobals<{ dataDir?: string }>().dataDir;
  const dir = local ?? global;
  return resolveDataDir(dir ? ['--data-dir', dir] : []);
}

/** Runs `work` with a started core on the command's data folder and always closes it. */
export async function withCore<T>(command: Command, work: (core: Core) => Promise<T>): Promise<T> {
  const dataDir = commandDataDir(command);
  const core = await startCore({
    dataDir,
    appVersion: appVersion(),
    host: 'cli',
    logger: createFileLogger({ dir: dataPaths(dataDir).logs, name: 'cli' }),
  });
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}
