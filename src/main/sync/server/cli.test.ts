// `counterbook server ...` end to end against a real PostgreSQL (the command module
// lives in src/main/cli/commands/server.ts).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../../test-support/postgres';
import pg from 'pg';
import { withAdmin } from '../../../../test-support/sync-server';
import { hashAuditEntry } from '../../audit/hash-chain';
import { registerServerCommands, SERVER_AUDIT_BROKEN_EXIT_CODE, SERVER_URL_ENV } from '../../cli/commands/server';
import { PUSH_SQL } from './protocol';
import { createPairingCode, deviceConnectionString, redeemPairingCode } from './provision';

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

  it('audit-verify: exits 0 on whole chains, non-zero naming the device and first broken entry after tampering', async () => {
    const url = await server.createDatabase();
    await cli('server', 'migrate', '--url', url);
    const tenant = JSON.parse(await cli('server', 'create-tenant', '--url', url, '--name', 'Audit shop', '--json')) as { id: string };
    expect(await cli('server', 'audit-verify', '--url', url, '--tenant', tenant.id)).toMatch(/the audit log is empty/);

    const { code } = await createPairingCode(url, tenant.id, 'Counter 1');
    const device = await redeemPairingCode(url, code, { localDeviceId: 'dev-cli' });
    const client = new pg.Client({ connectionString: deviceConnectionString(url, device) });
    await client.connect();
    try {
      let prevHash = '';
      const rows = [1, 2, 3].map((seq) => {
        const entry = {
          id: `entry-${seq}`, createdAt: 1_763_800_000_000 + seq, updatedAt: 1_763_800_000_000 + seq, deviceId: 'dev-cli', seq, at: 1_763_800_000_000 + seq,
          userId: 'u1', appVersion: '1.0.0', action: 'sale.edit', resourceType: 'sales', resourceId: `s${seq}`,
          diff: { before: {}, after: { note: `n${seq}` } }, reason: '', overrideBy: '', prevHash,
        };
        prevHash = hashAuditEntry(entry);
        return { collection: 'auditLog', id: entry.id, revision: '1-a', baseRevision: null, doc: { ...entry, hash: prevHash } };
      });
      await client.query(PUSH_SQL, [JSON.stringify({ batchId: 'cli-1', rows })]);
    } finally {
      await client.end();
    }
    process.exitCode = undefined;
    expect(await cli('server', 'audit-verify', '--url', url, '--tenant', tenant.id)).toMatch(/ok\s+device dev-cli \[Counter 1 \(D01\)\]: 3 entries verified[\s\S]*intact: 3 entries on 1 device/);
    expect(process.exitCode).toBeUndefined();

    await withAdmin(url, async (admin) => {
      await admin.query('ALTER TABLE counterbook_data.audit_log DISABLE TRIGGER audit_log_append_only');
      await admin.query(`UPDATE counterbook_data.audit_log SET diff = '{"before": {}, "after": {"note": "rewritten"}}' WHERE id = 'entry-2'`);
      await admin.query('ALTER TABLE counterbook_data.audit_log ENABLE TRIGGER audit_log_append_only');
    });
    const text = await cli('server', 'audit-verify', '--url', url, '--tenant', tenant.id);
    expect(text).toMatch(/BROKEN\s+device dev-cli \[Counter 1 \(D01\)\]: entry seq 2 \(id entry-2\) its content was changed after it was written \(hash mismatch\); 1 entry before it is intact/);
    expect(process.exitCode).toBe(SERVER_AUDIT_BROKEN_EXIT_CODE);
    expect(JSON.parse(await cli('server', 'audit-verify', '--url', url, '--tenant', tenant.id, '--json'))).toMatchObject({
      ok: false,
      devices: [{ deviceId: 'dev-cli', ok: false, firstBreak: { seq: 2, id: 'entry-2', reason: 'hash' } }],
    });
    process.exitCode = undefined;
    await expect(cli('server', 'audit-verify', '--url', url, '--tenant', 'nope')).rejects.toThrow(/Invalid tenant id/);
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
