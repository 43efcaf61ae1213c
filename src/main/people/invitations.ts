import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '@shared/api/errors';
import type { Invitation } from '@shared/api/ops/people';
import type { Role } from '@shared/auth/permissions';
import { newId } from '@shared/ids';
import { SHOP_PROFILE_ID, type InvitationDoc } from '@shared/schema';
import type { Store } from '../store/open-store';
import type { Actor, WritePath } from '../store/write-path';
import { hashSecret } from './pin-hash';

// Token: "cbi-<shop tag>-<secret>". The shop tag (from the shop id) lets a device tell
// "this is another shop's invitation" apart from "this code is wrong"; the secret is
// 120 random bits. Only the SHA-256 of the whole token is stored.
const TOKEN_RE = /^cbi-([0-9a-f]{8})-([A-Za-z0-9_-]{20})$/;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function shopTag(shopId: string): string {
  return shopId.replace(/-/g, '').slice(-8).toLowerCase();
}

export function toInvitation(doc: InvitationDoc, now: number): Invitation {
  const status = doc.status === 'pending' && doc.expiresAt <= now ? 'expired' : doc.status;
  return { id: doc.id, email: doc.email, role: doc.role, status, expiresAt: doc.expiresAt, createdAt: doc.createdAt, createdBy: doc.createdBy };
}

function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export class InvitationService {
  constructor(
    private readonly store: Store,
    private readonly writes: WritePath,
    private readonly clock: () => number = Date.now,
  ) {}

  private async shopId(): Promise<string> {
    const profile = await this.store.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
    if (!profile?.shopId) throw new ApiError('CONFLICT', 'Set up the shop before inviting people.');
    return profile.shopId;
  }

  async list(): Promise<Invitation[]> {
    const docs = await this.store.db.collections.invitations.find({ sort: [{ updatedAt: 'desc' }] }).exec();
    const now = this.clock();
    return docs.map((d) => toInvitation(d.toMutableJSON(), now)).sort((a, b) => b.createdAt - a.createdAt);
  }

  async invite(actor: Actor, input: { email: string; role: Role; expiresInHours: number }): Promise<{ invitation: Invitation; token: string }> {
    const token = `cbi-${shopTag(await this.shopId())}-${randomBytes(15).toString('base64url')}`;
    const email = input.email.toLowerCase();
    const existing = await this.store.db.collections.users.findOne({ selector: { email } }).exec();
    if (existing && email) throw new ApiError('CONFLICT', `${existing.name} already has an account with ${email}.`);
    const id = newId();
    const doc = await this.writes.run({ action: 'invitation.create', actor }, (tx) =>
      tx.insert('invitations', {
        id,
        email,
        role: input.role,
        tokenHash: tokenHash(token),
        status: 'pending',
        expiresAt: tx.now + input.expiresInHours * 3_600_000,
        createdBy: actor.userId,
      }),
    );
    return { invitation: toInvitation(doc, this.clock()), token };
  }

  async revoke(actor: Actor, invitationId: string): Promise<Invitation> {
    const doc = await this.writes.run({ action: 'invitation.revoke', actor }, async (tx) => {
      const current = await tx.get('invitations', invitationId);
      if (!current) throw new ApiError('NOT_FOUND', 'No such invitation.');
      if (current.status !== 'pending') throw new ApiError('CONFLICT', `This invitation is already ${current.status}.`);
      return tx.update('invitations', invitationId, { status: 'revoked' });
    });
    return toInvitation(doc, this.clock());
  }

  /** Checks the token and creates the person's account; returns the new user's id, name and role. */
  async redeem(input: { token: string; name: string; pin: string }): Promise<{ userId: string; name: string; role: Role }> {
    const token = input.token.trim();
    const match = TOKEN_RE.exec(token);
    if (!match) throw new ApiError('VALIDATION', 'This is not an invitation code. It starts with "cbi-"; paste the whole code.', [{ path: 'token', message: 'Not an invitation code.' }]);
    if (match[1] !== shopTag(await this.shopId())) {
      throw new ApiError('FORBIDDEN', 'This invitation is for another shop. Redeem it on a device of the shop that invited you.');
    }
    const found = await this.store.db.collections.invitations.findOne({ selector: { tokenHash: tokenHash(token) } }).exec();
    if (!found) throw new ApiError('NOT_FOUND', 'This invitation code is not valid. Check it, or ask for a new invitation.');
    const invitation = found.toMutableJSON();
    const now = this.clock();
    if (invitation.status === 'used') throw new ApiError('CONFLICT', `This invitation was already used on ${formatDate(invitation.usedAt ?? invitation.updatedAt)}.`);
    if (invitation.status === 'revoked') throw new ApiError('CONFLICT', 'This invitation was withdrawn. Ask for a new one.');
    if (invitation.status === 'expired' || invitation.expiresAt <= now) {
      throw new ApiError('CONFLICT', `This invitation expired on ${formatDate(invitation.expiresAt)}. Ask for a new one.`);
    }
    const pinHash = await hashSecret(input.pin);
    const userId = newId();
    await this.writes.run({ action: 'invitation.redeem', actor: { userId, name: input.name } }, async (tx) => {
      // Re-read inside the write: two devices' taps on the same code cannot both win.
      const fresh = await tx.get('invitations', invitation.id);
      if (!fresh || fresh.status !== 'pending') throw new ApiError('CONFLICT', 'This invitation was just used.');
      await tx.insert('users', { id: userId, name: input.name, email: invitation.email, role: invitation.role, active: true, pinHash, lastLoginAt: tx.now, createdBy: invitation.createdBy });
      await tx.update('invitations', invitation.id, { status: 'used', usedAt: tx.now, usedBy: userId });
    });
    return { userId, name: input.name, role: invitation.role };
  }
}
