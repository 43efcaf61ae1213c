// `counterbook server ...` end to end against a real PostgreSQL (the command module
// lives in src/main/cli/commands/server.ts).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../../test-support/postgres';
import { registerServerCommands, SERVER_URL_ENV } from '../../cli/commands/server';
import { redeemPairingCode } from './provision';

let server: TestPostgres;
let dataDir: string;
beforeAll(async () => {
  server = await startTestPostgres();
  dataDir = mkdtempSync(join(tmpdir(), 'cb-cli-'));
});
afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env[SERVER_URL_ENV];
  vi.restoreAllMocks();
});

async function cli(...args: string[]): Promise<string> {
  const program = new Command('counterbook').exitOverride().configureOutput({ writeErr: () => undefined }).option('--data-dir <dir>');
  registerServerCommands(program);
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    out.push(parts.join(' '));
  });
  try {
    await program.parseAsync(['node', 'counterbook', '--data-dir', dataDir, ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out.join('\n');
}

describe('counterbook server', () => {
  it('migrates, creates a tenant, pairs and revokes a device, and shows the status', async () => {
    const url = await server.createDatabase();
    expect(await cli('server', 'migrate', '--url', url)).toMatch(/applied \d+ migrations?/);
    expect(await cli('server', 'migrate', '--url', url)).toMatch(/up to date/);

    process.env[SERVER_URL_ENV] = url; // from here on the URL comes from the environment
    const tenant = JSON.parse(await cli('server', 'create-tenant', '--name', 'Corner shop', '--json')) as { id: string };
    const text = await cli('server', 'pair-device', '--tenant', tenant.id, '--name', 'Counter 1', '--ttl-minutes', '30');
    expect(text).toMatch(/Pairing code for "Counter 1" \(server 127\.0\.0\.1:\d+\/[\w]+\):/);
    const code = /^(cbpair1\.[A-Za-z0-9_-]+)$/m.exec(text)?.[1];
    expect(code).toBeDefined();
    expect(text).toMatch(/Valid once, until/);
    const device = await redeemPairingCode(url, code!);

    const status = JSON.parse(await cli('server', 'status', '--json'));
    expect(status).toMatchObject({ migrated: true, tenants: [{ id: tenant.id, name: 'Corner shop', activeDevices: 1 }], devices: [{ id: device.deviceId, code: 'D01', status: 'active' }] });
    const human = await cli('server', 'status');
    expect(human).toMatch(/up to date/);
    expect(human).toMatch(/D01 .*Counter 1/);
    expect(human).not.toContain(server.password);

    expect(await cli('server', 'revoke-device', '--device', device.deviceId)).toMatch(/revoked/);
    expect(await cli('server', 'status')).toMatch(/revoked/);

    // Nothing secret in the CLI log.
    const logs = readdirSync(join(dataDir, 'logs')).map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('\n');
    expect(logs).toMatch(/device revoked/);
    expect(logs).not.toContain(server.password);
    expect(logs).not.toContain(device.password);
    expect(logs).not.toContain(code!);
  });

  it('explains what is wrong', async () => {
    await expect(cli('server', 'status')).rejects.toThrow(/No server given: pass --url .* or set COUNTERBOOK_SERVER_URL/);
    const wrong = server.url.replace(/:[0-9a-f]+@/, ':not-the-password@');
    const refused = cli('server', 'status', '--url', wrong);
    await expect(refused).rejects.toThrow(/refused the user name or password/);
    await expect(refused).rejects.not.toThrow(/not-the-password/);
    await expect(cli('server', 'status', '--url', 'postgres://u:p@127.0.0.1:1/db')).rejects.toThrow(/Cannot connect to 127\.0\.0\.1:1\/db: nothing is listening/);
    const url = await server.createDatabase();
    await cli('server', 'migrate', '--url', url);
    await expect(cli('server', 'pair-device', '--url', url, '--tenant', '0190d5a8-0000-7000-8000-000000000000', '--name', 'x')).rejects.toThrow(/No tenant 0190d5a8/);
    await expect(cli('server', 'pair-device', '--url', url, '--tenant', 'abc', '--name', 'x')).rejects.toThrow(/Invalid tenant id/);
    await expect(cli('server', 'pair-device', '--url', url, '--tenant', 'abc', '--name', 'x', '--ttl-minutes', 'soon')).rejects.toThrow(/whole number of minutes/);
    await expect(cli('server', 'revoke-device', '--url', url, '--device', '0190d5a8-0000-7000-8000-000000000000')).rejects.toThrow(/No device/);
    expect(await cli('server', 'status', '--url', await server.createDatabase())).toMatch(/not migrated yet/);
  });
});
