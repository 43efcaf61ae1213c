import { ApiError } from '@shared/api/errors';
import { isManagerRole } from '@shared/auth/permissions';
import type { Person } from '@shared/api/ops/people';
import { newId } from '@shared/ids';
import type { UserDoc } from '@shared/schema';
import { actorOf } from '../core/actor';
import type { CoreServices } from '../core/core';
import type { HandlerSlice } from '../core/router';
import type { AuthService } from './auth-service';
import { sessionInfo } from './auth-service';
import type { InvitationService } from './invitations';
import { hashSecret } from './pin-hash';

export function toPerson(user: UserDoc): Person {
  return { id: user.id, name: user.name, email: user.email, role: user.role, active: user.active, canSignIn: !!user.pinHash && user.active, lastLoginAt: user.lastLoginAt ?? null };
}

type AuthOps = 'auth.state' | 'auth.setup' | 'auth.signInChoices' | 'auth.signIn' | 'auth.signOut' | 'auth.changePin' | 'auth.checkOverride';

export function authHandlers(core: CoreServices, auth: AuthService): HandlerSlice<AuthOps> {
  const kind = core.options.host === 'browser' ? 'browser_host' : core.options.host === 'cli' ? 'cli' : 'desktop';
  return {
    'auth.state': (_input, ctx) => auth.state(ctx),
    'auth.setup': (input, ctx) => auth.setup(ctx, input, core.deviceId, core.options.appVersion, kind),
    'auth.signInChoices': () => auth.signInChoices(),
    'auth.signIn': ({ userId, pin }, ctx) => auth.signIn(ctx, userId, pin),
    'auth.signOut': (_input, ctx) => {
      auth.signOut(ctx);
      return { ok: true as const };
    },
    'auth.changePin': async ({ currentPin, newPin }, ctx) => {
      await auth.changePin(ctx, currentPin, newPin);
      return { ok: true as const };
    },
    'auth.checkOverride': (input) => auth.verifyOverride(input),
  };
}

type PeopleOps =
  | 'people.list'
  | 'people.invitations'
  | 'people.invite'
  | 'people.revokeInvitation'
  | 'people.redeemInvitation'
  | 'people.setActive'
  | 'people.setRole'
  | 'people.resetPin'
  | 'people.clientManagers'
  | 'people.assignClientManager';

export function peopleHandlers(core: CoreServices, auth: AuthService, invitations: InvitationService): HandlerSlice<PeopleOps> {
  const users = () => core.store.db.collections.users;

  async function updateUser(ctx: Parameters<typeof actorOf>[0], action: string, userId: string, patch: Partial<UserDoc>): Promise<Person> {
    const actor = actorOf(ctx);
    const updated = await core.writes.run({ action, actor }, async (tx) => {
      const user = await tx.get('users', userId);
      if (!user) throw new ApiError('NOT_FOUND', 'No such person.');
      if (userId === actor.userId && (patch.active === false || (patch.role && patch.role !== user.role))) {
        throw new ApiError('FORBIDDEN', 'You cannot disable yourself or change your own role. Ask another admin.');
      }
      if (user.role === 'admin' && (patch.active === false || (patch.role && patch.role !== 'admin'))) {
        const admins = await users().count({ selector: { role: 'admin', active: true } }).exec();
        if (admins <= 1) throw new ApiError('CONFLICT', 'This is the last active admin. Make someone else an admin first.');
      }
      return tx.update('users', userId, patch);
    });
    return toPerson(updated);
  }

  return {
    'people.list': async ({ includeInactive }) => {
      const docs = await users().find({ selector: includeInactive ? {} : { active: true }, sort: [{ name: 'asc' }] }).exec();
      return docs.map((d) => toPerson(d.toMutableJSON()));
    },
    'people.invitations': () => invitations.list(),
    'people.invite': (input, ctx) => invitations.invite(actorOf(ctx), input),
    'people.revokeInvitation': ({ invitationId }, ctx) => invitations.revoke(actorOf(ctx), invitationId),
    'people.redeemInvitation': async (input, ctx) => {
      const user = await invitations.redeem(input);
      // Signed in straight away, as the invitation's role.
      ctx.session = { userId: user.userId, name: user.name, role: user.role };
      delete ctx.signedOutReason;
      ctx.lastActivityAt = Date.now();
      return sessionInfo(ctx.session);
    },
    'people.setActive': ({ userId, active }, ctx) => updateUser(ctx, active ? 'user.enable' : 'user.disable', userId, { active }),
    'people.setRole': ({ userId, role }, ctx) => updateUser(ctx, 'user.setRole', userId, { role }),
    // A reset also ends a lockout: lockedUntil is set to now, which counts as free.
    'people.resetPin': async ({ userId, pin }, ctx) => updateUser(ctx, 'user.resetPin', userId, { pinHash: await hashSecret(pin), failedAttempts: 0, lockedUntil: Date.now() }),
    'people.clientManagers': async () => {
      const docs = await core.store.db.collections.clientManagers.find({ sort: [{ clientId: 'asc' }] }).exec();
      return docs.map((d) => ({ id: d.id, clientId: d.clientId, managerId: d.managerId, assignedAt: d.assignedAt }));
    },
    'people.assignClientManager': async ({ clientId, managerId }, ctx) => {
      const actor = actorOf(ctx);
      return core.writes.run({ action: 'client.assignManager', actor }, async (tx) => {
        const [client, manager] = await Promise.all([tx.get('users', clientId), tx.get('users', managerId)]);
        if (!client || client.role !== 'client') throw new ApiError('NOT_FOUND', 'No such client.');
        if (!manager || !isManagerRole(manager.role)) throw new ApiError('VALIDATION', `${manager?.name ?? 'That person'} is not a manager.`);
        const existing = await core.store.db.collections.clientManagers.find({ selector: { clientId } }).exec();
        for (const e of existing) await tx.remove('clientManagers', e.id);
        const doc = await tx.insert('clientManagers', { id: newId(), clientId, managerId, assignedAt: tx.now, assignedBy: actor.userId });
        return { id: doc.id, clientId, managerId, assignedAt: doc.assignedAt };
      });
    },
  };
}
