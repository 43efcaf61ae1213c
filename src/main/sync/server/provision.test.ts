import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairTestDevice, startSyncTestServer, withAdmin, type SyncTestServer } from '../../../../test-support/sync-server';
import type { Logger } from '../../core/log';
import { PULL_SQL, SYNC_ERRORS } from './protocol';
import { createPairingCode, createTenant, deviceConnectionString, redeemPairingCode, revokeDevice, serverStatus } from './provision';
import { decodePairingCode, encodePairingCode } from './pairing-code';

let server: SyncTestServer;
beforeAll(async () => {
  server = await startSyncTestServer();
});
afterAll(async () => {
  await server?.stop();
});

function memoryLogger(lines: string[]): Logger {
  const make = (base: Record<string, unknown>): Logger => {
    const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push(JSON.stringify({ level, msg, ...base, ...fields }));
    return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (f) => make({ ...base, ...f }) };
  };
  return make({});
}

async function tryConnect(url: string): Promise<{ ok: true; client: pg.Client } | { ok: false; code?: string; message: string }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return { ok: true, client };
  } catch (error) {
    await client.end().catch(() => undefined);
    const e = error as { code?: string; message: string };
    return { ok: false, code: e.code, message: e.message };
  }
}

describe('pairing', () => {
  it('creates a one-line code with the server address and a one-time secret stored only as a hash', async () => {
    const { url, name } = await server.freshDatabase();
    const tenant = await createTenant(url, '  Corner shop  ');
    expect(tenant.name).toBe('Corner shop');
    const before = Date.now();
    const pairing = await createPairingCode(url, tenant.id, 'Counter 1');
    expect(pairing.code).toMatch(/^cbpair1\.[A-Za-z0-9_-]+$/);
    expect(pairing.code.length).toBeLessThan(300);
    const content = decodePairingCode(pairing.code);
    expect(content.server).toEqual({ host: '127.0.0.1', port: server.pg.port, database: name, sslmode: 'disable' });
    expect(pairing.server).toBe(`127.0.0.1:${server.pg.port}/${name}`);
    const ttl = Date.parse(pairing.expiresAt) - before;
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThan(16 * 60_000);
    const stored = await withAdmin(url, async (c) => JSON.stringify((await c.query('SELECT * FROM counterbook.pairing_codes')).rows));
    expect(stored).not.toContain(content.secret);
    expect(pairing.code).not.toContain(server.pg.password);

    // The pairing login may redeem its code and nothing else.
    const probe = await tryConnect(`postgres://${content.roleName}:${content.secret}@127.0.0.1:${server.pg.port}/${name}`);
    expect(probe.ok).toBe(true);
    if (probe.ok) {
      await expect(probe.client.query(PULL_SQL, [null, null, null, 10])).rejects.toMatchObject({ code: '42501' });
      await expect(probe.client.query('SELECT * FROM counterbook.pairing_codes')).rejects.toMatchObject({ code: '42501' });
      await probe.client.end();
    }

    const lines: string[] = [];
    // Pasted with a line break in the middle, as mail clients do.
    const pasted = ` ${pairing.code.slice(0, 40)}\n${pairing.code.slice(40)} `;
    const device = await redeemPairingCode(null, pasted, { log: memoryLogger(lines), localDeviceId: 'local-1' });
    expect(device).toMatchObject({ tenantId: tenant.id, tenantName: 'Corner shop', deviceName: 'Counter 1', deviceCode: 'D01' });
    expect(device.roleName).toBe(`cb_device_${device.deviceId.replace(/-/g, '')}`);
    expect(device.password.length).toBeGreaterThanOrEqual(40);
    expect(lines.join('\n')).not.toContain(device.password);
    const row = await withAdmin(url, async (c) => (await c.query('SELECT local_id, used_at IS NOT NULL AS used FROM counterbook.devices d JOIN counterbook.pairing_codes p ON p.device_id = d.id')).rows[0]);
    expect(row).toEqual({ local_id: 'local-1', used: true });

    await expect(redeemPairingCode(null, pairing.code)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already used/) });
    const forged = encodePairingCode({ ...content, secret: 'x'.repeat(32) });
    await expect(redeemPairingCode(null, forged)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/not valid/) });
    await expect(redeemPairingCode(null, 'ABCD-EFGH')).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/old short pairing code/) });
    await expect(redeemPairingCode(null, 'cbpair1.garbage')).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/damaged or incomplete/) });
    await expect(redeemPairingCode(null, 'hello')).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/not a Counterbook pairing code/) });

    // The role: LOGIN, in the device group, a SCRAM verifier and never the password itself.
    await withAdmin(url, async (c) => {
      const role = await c.query(
        `SELECT r.rolcanlogin, r.rolsuper, r.rolcreaterole, r.rolbypassrls, a.rolpassword, pg_has_role(r.rolname, 'counterbook_device', 'MEMBER') AS member
         FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid WHERE r.rolname = $1`,
        [device.roleName],
      );
      expect(role.rows[0]).toMatchObject({ rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolbypassrls: false, member: true });
      expect(role.rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
      expect(role.rows[0].rolpassword).not.toContain(device.password);
      // The spent pairing login can no longer log in.
      const pairingRole = await c.query('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [content.roleName]);
      expect(pairingRole.rows[0]).toEqual({ rolcanlogin: false });
    });
    const login = await tryConnect(deviceConnectionString(url, device));
    expect(login.ok).toBe(true);
    if (login.ok) await login.client.end();
  });

  it("keeps the device's own invoice code when it is free in the tenant", async () => {
    const { url } = await server.freshDatabase();
    const tenant = await createTenant(url, 'Shop');
    const first = await redeemPairingCode(null, (await createPairingCode(url, tenant.id, 'One')).code, { proposedCode: 'A1' });
    const second = await redeemPairingCode(null, (await createPairingCode(url, tenant.id, 'Two')).code, { proposedCode: 'A1' });
    const third = await redeemPairingCode(null, (await createPairingCode(url, tenant.id, 'Three')).code, { proposedCode: 'not valid!' });
    expect([first.deviceCode, second.deviceCode, third.deviceCode]).toEqual(['A1', 'D01', 'D02']);
  });

  it('refuses an expired code and creates nothing', async () => {
    const { url } = await server.freshDatabase();
    const tenant = await createTenant(url, 'Shop');
    const pairing = await createPairingCode(url, tenant.id, 'Late device', 1);
    await withAdmin(url, (c) => c.query(`UPDATE counterbook.pairing_codes SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 second'`));
    const roles = () => withAdmin(url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 'cb_device_%'`)).rows[0].n as number);
    const rolesBefore = await roles();
    await expect(redeemPairingCode(url, pairing.code)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/expired at/) });
    expect(await roles()).toBe(rolesBefore);
    expect((await serverStatus(url)).devices).toEqual([]);
  });

  it('lets only one of two simultaneous redemptions of a code win', async () => {
    const { url } = await server.freshDatabase();
    const tenant = await createTenant(url, 'Shop');
    const { code } = await createPairingCode(url, tenant.id, 'Twin');
    const results = await Promise.allSettled([redeemPairingCode(url, code), redeemPairingCode(url, code)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await serverStatus(url)).devices).toHaveLength(1);
  });

  it('numbers devices per tenant and never reuses a number', async () => {
    const { url } = await server.freshDatabase();
    const a = await createTenant(url, 'A');
    const b = await createTenant(url, 'B');
    const a1 = await pairTestDevice(url, a.id);
    const a2 = await pairTestDevice(url, a.id);
    const b1 = await pairTestDevice(url, b.id);
    await revokeDevice(url, a2.deviceId);
    const a3 = await pairTestDevice(url, a.id);
    expect([a1.deviceCode, a2.deviceCode, b1.deviceCode, a3.deviceCode]).toEqual(['D01', 'D02', 'D01', 'D03']);
  });

  it('validates its input with clear messages', async () => {
    const { url } = await server.freshDatabase();
    await expect(createTenant(url, '   ')).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/tenant name/) });
    await expect(createPairingCode(url, 'not-a-uuid', 'x')).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/tenant id/) });
    await expect(createPairingCode(url, '0190d5a8-0000-7000-8000-000000000000', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/No tenant/) });
    const t = await createTenant(url, 'Shop');
    await expect(createPairingCode(url, t.id, 'x', 0)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(createPairingCode(url, t.id, 'x', 1.5)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(revokeDevice(url, '0190d5a8-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says to migrate first on a server without the schema', async () => {
    const url = await server.pg.createDatabase();
    await expect(createTenant(url, 'Shop')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/server migrate/) });
    const status = await serverStatus(url);
    expect(status).toMatchObject({ migrated: false, tenants: [], devices: [] });
    expect(status.migrations.pending!.length).toBeGreaterThan(0);
  });
});

describe('revoking a device', () => {
  it('refuses its logins, ends its sessions, and leaves other devices alone', async () => {
    const { url } = await server.freshDatabase();
    const tenant = await createTenant(url, 'Shop');
    const victim = await pairTestDevice(url, tenant.id, 'Stolen laptop');
    const other = await pairTestDevice(url, tenant.id, 'Counter');
    const open = await victim.connect();
    const closed = new Promise<void>((resolve) => open.on('end', () => resolve()));
    await open.query(PULL_SQL, [null, null, null, 10]);

    const result = await revokeDevice(url, victim.deviceId);
    expect(result).toMatchObject({ deviceId: victim.deviceId, tenantId: tenant.id, changed: true, sessionsEnded: 1 });
    await closed;
    const login = await tryConnect(victim.url);
    expect(login).toMatchObject({ ok: false, code: '28000', message: expect.stringMatching(/not permitted to log in/) });

    expect((await revokeDevice(url, victim.deviceId)).changed).toBe(false);
    const status = await serverStatus(url);
    expect(status.devices.find((d) => d.id === victim.deviceId)).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    expect(status.tenants[0]).toMatchObject({ id: tenant.id, activeDevices: 1 });

    const ok = await other.connect();
    expect((await ok.query(PULL_SQL, [null, null, null, 10])).rows).toEqual([]);
    await ok.end();
  });
});

describe('serverStatus', () => {
  it('lists migrations, tenants and devices with when each was last seen', async () => {
    const { url } = await server.freshDatabase();
    const tenant = await createTenant(url, 'Shop');
    const device = await pairTestDevice(url, tenant.id, 'Counter 1');
    expect((await serverStatus(url)).devices[0]!.lastSeenAt).toBeNull();
    const c = await device.connect();
    await c.query(PULL_SQL, [null, null, null, 10]);
    await c.end();
    const status = await serverStatus(url);
    expect(status).toMatchObject({ migrated: true, migrations: { pending: [] }, tenants: [{ id: tenant.id, name: 'Shop', activeDevices: 1, documents: 0 }] });
    expect(status.migrations.applied.length).toBeGreaterThan(0);
    expect(status.devices).toEqual([
      { tenantId: tenant.id, id: device.deviceId, name: 'Counter 1', code: 'D01', status: 'active', pairedAt: expect.any(String), revokedAt: null, lastSeenAt: expect.any(String) },
    ]);
  });
});

describe('roles are cluster-wide', () => {
  it("a device of one database is nobody in another database's schema", async () => {
    const first = await server.freshDatabase();
    const second = await server.freshDatabase();
    const tenant = await createTenant(first.url, 'Shop');
    const device = await pairTestDevice(first.url, tenant.id);
    const elsewhere = new pg.Client({ connectionString: deviceConnectionString(second.url, device) });
    await elsewhere.connect();
    try {
      await expect(elsewhere.query(PULL_SQL, [null, null, null, 10])).rejects.toMatchObject({ code: SYNC_ERRORS.notADevice });
    } finally {
      await elsewhere.end();
    }
  });
});
