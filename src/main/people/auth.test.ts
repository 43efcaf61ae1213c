import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETUP, startTestCore, type TestCore } from './test-core';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.close();
});

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('first-run setup and sign-in', () => {
  it('needs setup on a fresh store, creates the owner and signs them in', async () => {
    const ctx = t.ctx(null);
    expect(await t.call('auth.state', {}, ctx)).toMatchObject({ setupNeeded: true, session: null });
    const session = await t.call('auth.setup', SETUP, ctx);
    expect(session).toMatchObject({ name: 'Wanjiru', role: 'admin' });
    expect(session.permissions).toContain('people.manage');
    expect(await t.call('auth.state', {}, ctx)).toMatchObject({ setupNeeded: false, shopName: 'Corner Shop', session: { name: 'Wanjiru' } });
    await expect(t.call('auth.setup', SETUP, t.ctx(null))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a bad time zone and a weak PIN with clear messages', async () => {
    await expect(t.call('auth.setup', { ...SETUP, timezone: 'Mars/Olympus' }, t.ctx(null))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Unknown time zone') });
    await expect(t.call('auth.setup', { ...SETUP, pin: '12' }, t.ctx(null))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('at least 4 digits') });
  });

  it('signs in offline with the PIN, refuses a wrong one, and records last_login_at', async () => {
    const owner = await t.call('auth.setup', SETUP, t.ctx(null));
    const ctx = t.ctx(null);
    await expect(t.call('auth.signIn', { userId: owner.userId, pin: '000000' }, ctx)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('4 attempts left') });
    expect(ctx.session).toBeNull();
    const session = await t.call('auth.signIn', { userId: owner.userId, pin: SETUP.pin }, ctx);
    expect(session.userId).toBe(owner.userId);
    const user = await t.core.store.db.collections.users.findOne(owner.userId).exec();
    expect(user?.lastLoginAt).toBeGreaterThan(0);
    expect(user?.failedAttempts).toBe(0);
    expect((await t.call('auth.signInChoices', {}, t.ctx(null))).map((c) => c.name)).toEqual(['Wanjiru']);
  });

  it('locks an account out with back-off after repeated wrong PINs', async () => {
    const owner = await t.call('auth.setup', SETUP, t.ctx(null));
    const ctx = t.ctx(null);
    for (let i = 0; i < 5; i++) await t.call('auth.signIn', { userId: owner.userId, pin: '111111' }, ctx).catch(() => undefined);
    await expect(t.call('auth.signIn', { userId: owner.userId, pin: '111111' }, ctx)).rejects.toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('wait 30 seconds') });
    // Even the right PIN waits out the lockout.
    await expect(t.call('auth.signIn', { userId: owner.userId, pin: SETUP.pin }, ctx)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('locks an idle session in the core', async () => {
    const ctx = t.ctx(null);
    await t.call('auth.setup', SETUP, ctx);
    expect((await t.call('people.list', { includeInactive: true }, ctx)).length).toBe(1);
    ctx.lastActivityAt = Date.now() - 6 * 60_000; // the shop's default is 5 minutes
    await expect(t.call('people.list', { includeInactive: true }, ctx)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('Locked after 5 minutes') });
    expect(ctx.session).toBeNull();
  });

  it('never stores, logs or audits the PIN in plain text or a fast hash', async () => {
    // Passwords, not digits: a 6-digit PIN could turn up by chance inside an id or a timestamp.
    const secret = 'amber-lantern-7-quokka';
    const wrong = 'wrong-guess-zebra-42';
    const owner = await t.call('auth.setup', { ...SETUP, pin: secret }, t.ctx(null));
    await t.call('auth.signIn', { userId: owner.userId, pin: wrong }, t.ctx(null)).catch(() => undefined);
    await t.call('auth.signIn', { userId: owner.userId, pin: secret }, t.ctx(null));
    await t.core.close();
    const { createHash } = await import('node:crypto');
    const fast = ['sha1', 'sha256', 'md5'].map((a) => createHash(a).update(secret).digest('hex'));
    let scanned = '';
    for (const file of allFiles(t.dir)) {
      const text = readFileSync(file).toString('latin1');
      scanned += file;
      for (const s of [secret, wrong, ...fast]) expect(text.includes(s), `${s} in ${file}`).toBe(false);
    }
    expect(scanned).toContain('counterbook.sqlite');
  });

  it('checks a manager override PIN and refuses non-managers', async () => {
    const ctx = t.ctx(null);
    const owner = await t.call('auth.setup', SETUP, ctx);
    expect(await t.call('auth.checkOverride', { managerId: owner.userId, pin: SETUP.pin, reason: 'price correction' }, ctx)).toMatchObject({ managerName: 'Wanjiru' });
    await expect(t.call('auth.checkOverride', { managerId: owner.userId, pin: '000000', reason: 'price correction' }, ctx)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
