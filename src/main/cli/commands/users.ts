import { Option, type Command } from 'commander';
import { ROLES } from '@shared/auth/permissions';
import { cliCall, withCore } from '../context';

export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('People: invite, list, disable');

  users
    .command('list')
    .description('List everyone with an account')
    .option('--data-dir <dir>', 'data folder')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withCore(command, async (core) => {
        const people = await cliCall(core, 'people.list', { includeInactive: true });
        if (opts.json) return console.log(JSON.stringify(people));
        if (people.length === 0) return console.log('No accounts yet. Run the app once to create the owner, or invite someone.');
        for (const p of people) {
          const last = p.lastLoginAt ? new Date(p.lastLoginAt).toISOString().slice(0, 16).replace('T', ' ') : 'never';
          console.log(`${p.id}  ${p.role.padEnd(8)} ${p.active ? 'active  ' : 'disabled'} ${p.name} <${p.email || '-'}>  last sign-in: ${last}`);
        }
      });
    });

  users
    .command('invite')
    .description('Invite a person; prints the one-time invitation code to hand over')
    .requiredOption('--email <email>', 'their e-mail address')
    .addOption(new Option('--role <role>', 'their role').choices([...ROLES]).makeOptionMandatory())
    .option('--hours <n>', 'hours until the code expires', '72')
    .option('--data-dir <dir>', 'data folder')
    .action(async (opts: { email: string; role: (typeof ROLES)[number]; hours: string }, command: Command) => {
      await withCore(command, async (core) => {
        const { invitation, token } = await cliCall(core, 'people.invite', { email: opts.email, role: opts.role, expiresInHours: Number(opts.hours) });
        console.log(`Invitation for ${invitation.email} as ${invitation.role}, valid until ${new Date(invitation.expiresAt).toISOString()}:`);
        console.log(token);
        console.log('They redeem it in Counterbook on any paired device of this shop ("I have an invitation" on the sign-in screen).');
      });
    });

  users
    .command('disable')
    .description('Disable an account (it can no longer sign in)')
    .requiredOption('--user <id-or-email>', 'user id or e-mail')
    .option('--data-dir <dir>', 'data folder')
    .action(async (opts: { user: string }, command: Command) => {
      await withCore(command, async (core) => {
        const people = await cliCall(core, 'people.list', { includeInactive: true });
        const key = opts.user.toLowerCase();
        const person = people.find((p) => p.id === opts.user || (p.email && p.email === key));
        if (!person) throw new Error(`No account with id or e-mail "${opts.user}". Run \`users list\` to see them.`);
        const updated = await cliCall(core, 'people.setActive', { userId: person.id, active: false });
        console.log(`${updated.name} is disabled.`);
      });
    });
}
