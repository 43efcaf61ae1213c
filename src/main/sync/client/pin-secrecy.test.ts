// People issue: PINs reach PostgreSQL only as slow salted hashes. A device sets up the
// shop, signs in (one wrong PIN, one right), pairs and syncs; then no table the server
// holds for the tenant contains the PIN, or a fast hash of it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestTenant, startSyncTestServer, withAdmin, type SyncTestServer } from '../../../../test-support/sync-server';
import { SETUP } from '../../people/test-core';
import { call, pair, settle, startDevice, type Device } from './test-support';

const SECRET = 'amber-lantern-7-quokka';
const WRONG = 'wrong-guess-zebra-42';

let server: SyncTestServer;
let device: Device | undefined;
beforeAll(async () => {
  server = await startSyncTestServer();
});
afterAll(async () => {
  await device?.remove();
  await server?.stop();
});

describe('PIN secrecy on the server', () => {
  it('stores only scrypt hashes of PINs in PostgreSQL', async () => {
    device = await startDevice();
    // A password, not digits: a 6-digit PIN could turn up by chance inside an id or a timestamp.
    const owner = await call(device.core, 'auth.setup', { ...SETUP, pin: SECRET });
    const anonymous = { connectionId: 'pin-test', host: 'test' as const, session: null };
    await device.core.router.call('auth.signIn', { userId: owner.userId, pin: WRONG }, anonymous);
    expect(await device.core.router.call('auth.signIn', { userId: owner.userId, pin: SECRET }, anonymous)).toMatchObject({ ok: true });

    const { url } = await server.freshDatabase();
    const tenant = await newTestTenant(url, 'Corner shop');
    await pair(device, url, tenant, 'Front till');
    await settle([device]);

    const dump = await withAdmin(url, async (c) => {
      const tables = await c.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'counterbook_data'");
      let text = '';
      for (const { table_name } of tables.rows) {
        const rows = await c.query(`SELECT t::text AS row FROM counterbook_data.${table_name} t`);
        text += rows.rows.map((r: { row: string }) => r.row).join('\n');
      }
      return text;
    });
    const users = await withAdmin(url, async (c) => (await c.query('SELECT pin_hash FROM counterbook_data.users')).rows as { pin_hash: string | null }[]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u) => u.pin_hash === null || u.pin_hash.startsWith('scrypt$'))).toBe(true);
    expect(dump).toContain('auth.signIn'); // the audit trail did sync: the check below means something
    const fast = ['sha1', 'sha256', 'md5'].map((a) => createHash(a).update(SECRET).digest('hex'));
    for (const secret of [SECRET, WRONG, ...fast]) expect(dump.includes(secret), secret).toBe(false);
  });
});
