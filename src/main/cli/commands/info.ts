import type { Command } from 'commander';
import { commandDataDir, withCore } from '../context';

export function registerInfoCommands(program: Command): void {
  program
    .command('status')
    .description('Show the app version, the data folder and the store state')
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const result = await core.router.call('system.status', {}, { connectionId: 'cli', host: 'cli', session: core.defaultSession() });
        if (!result.ok) throw new Error(result.error.message);
        const status = result.output as { appVersion: string; dataDir: string; store: { state: string; message?: string } };
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
