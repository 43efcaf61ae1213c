// `npm run cli -- <command>`: the core for admins and scripts (backups, restore, audit
// verification, sync status, server provisioning). Commands register themselves from
// ./commands; each starts the core on --data-dir only if it needs the store.
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
  });
