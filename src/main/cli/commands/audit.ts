// `counterbook audit verify`: checks every device's hash chain in the store. Exit code 0
// when whole; 1 and the first broken entry (device, seq, id, problem) when not.
import type { Command } from 'commander';
import type { AuditVerifyResult } from '@shared/api/ops/audit';
import { cliCall, withCore } from '../context';

export const AUDIT_BROKEN_EXIT_CODE = 1;

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The audit log: verify its hash chains');

  audit
    .command('verify')
    .description("Verify every device's audit hash chain; exits non-zero and names the first broken entry when the log was tampered with")
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const result = await withCore(command, (core) => cliCall(core, 'audit.verify', {}));
      if (opts.json) console.log(JSON.stringify(result));
      else printResult(result);
      if (!result.ok) process.exitCode = AUDIT_BROKEN_EXIT_CODE;
    });
}

function printResult(result: AuditVerifyResult): void {
  if (result.devices.length === 0) {
    console.log('The audit log is empty: nothing to verify.');
    return;
  }
  for (const d of result.devices) {
    const who = `${d.deviceName}${d.thisDevice ? ', this device' : ''} [${d.deviceId}]`;
    if (d.ok) console.log(`ok      ${who}: ${d.verified} entr${d.verified === 1 ? 'y' : 'ies'} verified (last seq ${d.lastSeq})`);
    else {
      const b = d.firstBreak!;
      console.log(`BROKEN  ${who}: entry seq ${b.seq} (id ${b.id}) ${b.problem}; ${d.verified} entr${d.verified === 1 ? 'y' : 'ies'} before it are intact`);
    }
  }
  if (result.ok) console.log(`The audit log is intact: ${result.entries} entries on ${result.devices.length} device${result.devices.length === 1 ? '' : 's'}.`);
  else {
    const broken = result.devices.filter((d) => !d.ok);
    const first = broken[0]!;
    console.error(
      `The audit log has been tampered with: first broken entry on device ${first.deviceId} is seq ${first.firstBreak!.seq} (id ${first.firstBreak!.id}): ${first.firstBreak!.problem}.`,
    );
  }
}
