import type { Command } from 'commander';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import { storeUpgradeLines } from '@shared/store-upgrade';
import { startCore, type Core } from '../core/core';
import type { CallContext } from '../core/router';
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

/**
 * The CLI acts as the shop's administrator: whoever can run it can read the data folder
 * anyway. Its writes are audited with an empty user id (the system) and the action name.
 */
export function cliContext(): CallContext {
  return { connectionId: 'cli', host: 'cli', session: { userId: '', name: 'Command line', role: 'admin' } };
}

/** Calls an operation through the core's router (validation, permissions, errors) and returns its output or throws its message. */
export async function cliCall<K extends OpName>(core: Core, op: K, input: OpInput<K>): Promise<OpOutput<K>> {
  const result = await core.router.call(op, input, cliContext());
  if (!result.ok) throw new Error(result.error.message);
  return result.output as OpOutput<K>;
}

/** Runs `work` with a started core on the command's data folder and always closes it. */
export async function withCore<T>(command: Command, work: (core: Core) => Promise<T>): Promise<T> {
  const dataDir = commandDataDir(command);
  const core = await startCore({
    dataDir,
    appVersion: appVersion(),
    host: 'cli',
    logger: createFileLogger({ dir: dataPaths(dataDir).logs, name: 'cli' }),
    // On stderr, so that a command's own output (JSON) stays clean.
    onStoreUpgrade: storeUpgradeLines((line) => process.stderr.write(`${line}\n`)),
  });
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}
