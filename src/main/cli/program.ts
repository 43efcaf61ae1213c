import { Command, Option } from 'commander';
import { appVersion } from '../core/version';
import { registerInfoCommands } from './commands/info';
import { registerAuditCommands } from './commands/audit';
import { registerUsersCommands } from './commands/users';
import { registerSeedCommands } from './commands/seed';
import { registerServerCommands } from './commands/server';
import { registerSyncCommands } from './commands/sync';
import { registerBackupCommands } from './commands/backup';

export function buildProgram(): Command {
  const program = new Command('counterbook')
    .description('Counterbook admin commands. Every command works on one data folder (--data-dir, COUNTERBOOK_DATA_DIR, or the OS app-data folder).')
    .version(appVersion())
    .addOption(new Option('--data-dir <dir>', 'data folder to work on').env('COUNTERBOOK_DATA_DIR'))
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: true });
  registerInfoCommands(program);
  registerAuditCommands(program);
  registerUsersCommands(program);
  registerSeedCommands(program);
  registerServerCommands(program);
  registerSyncCommands(program);
  registerBackupCommands(program);
  return program;
}
