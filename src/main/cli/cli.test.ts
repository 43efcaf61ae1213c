import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'cb-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main/cli/main.ts'), ...args], { encoding: 'utf8', env: { ...process.env, COUNTERBOOK_DATA_DIR: '' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('CLI', () => {
  it('lists its commands', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const command of ['status', 'seed-demo', 'users']) expect(r.out).toContain(command);
  });

  it('seeds a demo store, then lists and invites people', () => {
    const seeded = cli('seed-demo', '--data-dir', dir, '--sales', '300');
    expect(seeded.code, seeded.err).toBe(0);
    expect(seeded.out).toMatch(/sales\s+\d{3}/);
    expect(seeded.out).toContain('with PIN 1234');

    const list = cli('users', 'list', '--data-dir', dir, '--json');
    expect(list.code, list.err).toBe(0);
    const people = JSON.parse(list.out) as { role: string; canSignIn: boolean }[];
    expect(people.some((p) => p.role === 'admin' && p.canSignIn)).toBe(true);

    const invite = cli('users', 'invite', '--email', 'new.cashier@example.com', '--role', 'cashier', '--data-dir', dir);
    expect(invite.code, invite.err).toBe(0);
    expect(invite.out).toMatch(/^cbi-[0-9a-f]{8}-[\w-]{20}$/m);

    const again = cli('seed-demo', '--data-dir', dir);
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('already has data');
  });

  it('explains bad input and exits non-zero', () => {
    const r = cli('seed-demo', '--data-dir', join(dir, 'other'), '--sales', 'lots');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('--sales must be a whole number');
    const bad = cli('users', 'invite', '--email', 'not-an-email', '--role', 'cashier', '--data-dir', dir);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('Enter a valid e-mail address');
  });
});
