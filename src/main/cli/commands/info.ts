import type { Command } from 'commander';
import { cliCall, commandDataDir, withCore } from '../context';

export function registerInfoCommands(program: Command): void {
  program
    .command('status')
    .description('Show the app version, the data folder and the store state')
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const status = await cliCall(core, 'system.status', {});
        if (opts.json) console.log(JSON.stringify(status));
        else {
          console.log(`Counterbook ${status.appVersion}`);
          console.log(`data folder: ${status.dataDir}`);
          console.log(`store: ${status.store.state}${status.store.message ? ` (${status.store.message})` : ''}`);
        }
      });
    });

  program
    .command('data-dir')
    .description('Print the data folder the commands would use')
    .option('--data-dir <dir>', 'data folder')
    .action((_opts: unknown, command: Command) => {
      console.log(commandDataDir(command));
    });
}
