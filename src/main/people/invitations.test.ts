import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../core/router';
import { SETUP, startTestCore, type TestCore } from './test-core';

let t: TestCore;
let admin: CallContext;
beforeEach(async () => {
  t = await startTestCore();
  admin = t.ctx(null);
  await t.call('auth.setup', SETUP, admin);
});
afterEach(async () => {
  await t.close();
});

describe('invitations', () => {
  it('a valid token creates the account with the invited role and signs the person in', async () => {
    const { token, invitation } = await t.call('people.invite', { email: 'Cash@Example.com', role: 'cashier', expiresInHours: 24 }, admin);
    expect(token).toMatch(/^cbi-[0-9a-f]{8}-[\w-]{20}$/);
    expect(invitation).toMatchObject({ email: 'cash@example.com', role: 'cashier', status: 'pending' });
    const stored = await t.core.store.db.collections.invitations.findOne(invitation.id).exec();
    expect(JSON.stringify(stored?.toJSON())).not.toContain(token);

    const device = t.ctx(null);
    const session = await t.call('people.redeemInvitation', { token, name: 'Baraka', pin: '246810' }, device);
    expect(session).toMatchObject({ name: 'Baraka', role: 'cashier' });
    expect(device.session?.role).toBe('cashier');
    const people = await t.call('people.list', { includeInactive: true }, admin);
    expect(people.find((p) => p.name === 'Baraka')).toMatchObject({ email: 'cash@example.com', role: 'cashier', canSignIn: true });
    expect((await t.call('people.invitations', {}, admin))[0]).toMatchObject({ status: 'used' });
  });

  it('a used token is refused', async () => {
    const { token } = await t.call('people.invite', { email: 'a@example.com', role: 'cashier', expiresInHours: 24 }, admin);
    await t.call('people.redeemInvitation', { token, name: 'A', pin: '135790' }, t.ctx(null));
    await expect(t.call('people.redeemInvitation', { token, name: 'B', pin: '135790' }, t.ctx(null))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already used'),
    });
  });

  it('an expired token is refused', async () => {
    const { token, invitation } = await t.call('people.invite', { email: 'b@example.com', role: 'manager', expiresInHours: 1 }, admin);
    await t.core.writes.run({ action: 'test.expire', actor: { userId: '', name: 'test' } }, (tx) => tx.update('invitations', invitation.id, { expiresAt: Date.now() - 1000 }));
    await expect(t.call('people.redeemInvitation', { token, name: 'B', pin: '135790' }, t.ctx(null))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('expired'),
    });
    expect((await t.call('people.invitations', {}, admin))[0]?.status).toBe('expired');
  });

  it('a wrong token and a malformed one are refused clearly', async () => {
    const { token } = await t.call('people.invite', { email: 'c@example.com', role: 'writer', expiresInHours: 24 }, admin);
    const wrong = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expect(t.call('people.redeemInvitation', { token: wrong, name: 'C', pin: '135790' }, t.ctx(null))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('not valid') });
    await expect(t.call('people.redeemInvitation', { token: 'hello-there-friend', name: 'C', pin: '135790' }, t.ctx(null))).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it("a token for another shop is refused as such", async () => {
    const other = await startTestCore();
    try {
      const otherAdmin = other.ctx(null);
      await other.call('auth.setup', { ...SETUP, shopName: 'Other Shop' }, otherAdmin);
      const { token } = await other.call('people.invite', { email: 'd@example.com', role: 'cashier', expiresInHours: 24 }, otherAdmin);
      await expect(t.call('people.redeemInvitation', { token, name: 'D', pin: '135790' }, t.ctx(null))).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining('another shop'),
      });
    } finally {
      await other.close();
    }
  });

  it('a revoked invitation cannot be redeemed, and admins cannot disable the last admin', async () => {
    const { token, invitation } = await t.call('people.invite', { email: 'e@example.com', role: 'cashier', expiresInHours: 24 }, admin);
    await t.call('people.revokeInvitation', { invitationId: invitation.id }, admin);
    await expect(t.call('people.redeemInvitation', { token, name: 'E', pin: '135790' }, t.ctx(null))).rejects.toMatchObject({ message: expect.stringContaining('withdrawn') });
    await expect(t.call('people.setActive', { userId: admin.session!.userId, active: false }, admin)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a disabled person cannot sign in', async () => {
    const { token } = await t.call('people.invite', { email: 'f@example.com', role: 'cashier', expiresInHours: 24 }, admin);
    const s = await t.call('people.redeemInvitation', { token, name: 'F', pin: '135790' }, t.ctx(null));
    await t.call('people.setActive', { userId: s.userId, active: false }, admin);
    await expect(t.call('auth.signIn', { userId: s.userId, pin: '135790' }, t.ctx(null))).rejects.toMatchObject({ message: expect.stringContaining('disabled') });
  });
});
