import { ApiError } from '@shared/api/errors';
import { isManagerRole } from '@shared/auth/permissions';
import type { AuthState, PinSignOff, SessionInfo } from '@shared/api/ops/auth';
import { ROLE_PERMISSIONS, roleHas, type Role } from '@shared/auth/permissions';
import { newId } from '@shared/ids';
import { SHOP_PROFILE_ID, type UserDoc } from '@shared/schema';
import type { CallContext, Session } from '../core/router';
import type { Logger } from '../core/log';
import type { Store } from '../store/open-store';
import type { WritePath } from '../store/write-path';
import { hashSecret, needsRehash, verifySecret } from './pin-hash';
import { afterFailure, afterSuccess, DEFAULT_SIGN_IN_POLICY, describeWait, lockoutRemainingMs, type SignInPolicy } from './sign-in-policy';

export interface AuthServiceDeps {
  store: Store;
  writes: WritePath;
  logger: Logger;
  clock?: () => number;
  policy?: SignInPolicy;
}

export function sessionInfo(session: Session): SessionInfo {
  return { ...session, permissions: [...ROLE_PERMISSIONS[session.role]] };
}

/**
 * Sign-in on a shared device, offline: PINs are checked against the scrypt hashes that
 * replicate with each user; wrong PINs count towards a lockout with back-off; an idle
 * window is locked by the core itself, whatever the UI does.
 */
export class AuthService {
  private readonly now: () => number;
  private readonly policy: SignInPolicy;

  constructor(private readonly deps: AuthServiceDeps) {
    this.now = deps.clock ?? Date.now;
    this.policy = deps.policy ?? DEFAULT_SIGN_IN_POLICY;
  }

  private get db() {
    return this.deps.store.db;
  }

  async setupNeeded(): Promise<boolean> {
    return (await this.db.collections.users.count({ selector: { role: 'admin' } }).exec()) === 0;
  }

  async idleLockMinutes(): Promise<number> {
    const profile = await this.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
    return profile?.idleLockMinutes ?? 0;
  }

  async state(ctx: CallContext): Promise<AuthState> {
    const profile = await this.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
    return {
      setupNeeded: await this.setupNeeded(),
      shopName: profile?.shopName ?? null,
      session: ctx.session ? sessionInfo(ctx.session) : null,
      idleLockMinutes: profile?.idleLockMinutes ?? 0,
    };
  }

  /** Ends a session that has been idle longer than the shop allows. Called before every call. */
  async enforceIdleLock(ctx: CallContext): Promise<void> {
    const now = this.now();
    const last = ctx.lastActivityAt ?? now;
    ctx.lastActivityAt = now;
    if (!ctx.session) return;
    const minutes = await this.idleLockMinutes();
    if (minutes > 0 && now - last > minutes * 60_000) {
      this.deps.logger.info('session locked after idle time', { userId: ctx.session.userId, minutes });
      ctx.session = null;
      ctx.signedOutReason = `Locked after ${minutes} minute${minutes === 1 ? '' : 's'} without activity. Sign in again.`;
    }
  }

  async signInChoices(): Promise<{ userId: string; name: string; role: Role }[]> {
    const users = await this.db.collections.users.find({ selector: { active: true }, sort: [{ name: 'asc' }] }).exec();
    return users.filter((u) => !!u.pinHash).map((u) => ({ userId: u.id, name: u.name, role: u.role }));
  }

  /** Checks a person's PIN, counting failures towards the lockout. Returns the user on success. */
  async checkPin(userId: string, pin: string, action: string): Promise<UserDoc> {
    const doc = await this.db.collections.users.findOne(userId).exec();
    const user = doc?.toMutableJSON();
    if (!user || !user.active || !user.pinHash) {
      // Same answer as a wrong PIN would give, after the same work: no probing for accounts.
      await verifySecret(pin, 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      throw new ApiError('UNAUTHENTICATED', user && !user.active ? 'This account is disabled. Ask an admin.' : 'That PIN is not right.');
    }
    const now = this.now();
    const wait = lockoutRemainingMs({ failedAttempts: user.failedAttempts ?? 0, lockedUntil: user.lockedUntil ?? null }, now);
    if (wait > 0) throw new ApiError('RATE_LIMITED', `Too many wrong PINs for ${user.name}. Try again in ${describeWait(wait)}.`);

    if (!(await verifySecret(pin, user.pinHash))) {
      const next = afterFailure({ failedAttempts: user.failedAttempts ?? 0, lockedUntil: user.lockedUntil ?? null }, now, this.policy);
      await this.deps.writes.run({ action: `${action}.failed`, actor: { userId, name: user.name } }, (tx) =>
        tx.update('users', userId, (u) => {
          const out = { ...u, failedAttempts: next.failedAttempts };
          if (next.lockedUntil) out.lockedUntil = next.lockedUntil;
          return out;
        }),
      );
      const left = this.policy.freeAttempts - next.failedAttempts;
      if (next.lockedUntil) throw new ApiError('RATE_LIMITED', `That PIN is not right. Too many attempts: wait ${describeWait(next.lockedUntil - now)}.`);
      throw new ApiError('UNAUTHENTICATED', `That PIN is not right. ${left} attempt${left === 1 ? '' : 's'} left before a pause.`);
    }
    return user;
  }

  async signIn(ctx: CallContext, userId: string, pin: string): Promise<SessionInfo> {
    const user = await this.checkPin(userId, pin, 'auth.signIn');
    const rehash = needsRehash(user.pinHash!) ? await hashSecret(pin) : null;
    await this.deps.writes.run({ action: 'auth.signIn', actor: { userId, name: user.name } }, (tx) =>
      tx.update('users', userId, (u) => {
        const { lockedUntil: _dropped, ...rest } = u;
        return { ...rest, ...afterSuccessFields(), lastLoginAt: this.now(), ...(rehash ? { pinHash: rehash } : {}) };
      }),
    );
    ctx.session = { userId, name: user.name, role: user.role };
    delete ctx.signedOutReason;
    ctx.lastActivityAt = this.now();
    return sessionInfo(ctx.session);
  }

  signOut(ctx: CallContext): void {
    ctx.session = null;
    delete ctx.signedOutReason;
  }

  async changePin(ctx: CallContext, currentPin: string, newPin: string): Promise<void> {
    const session = ctx.session!;
    await this.checkPin(session.userId, currentPin, 'auth.changePin');
    const pinHash = await hashSecret(newPin);
    await this.deps.writes.run({ action: 'auth.changePin', actor: { userId: session.userId, name: session.name } }, (tx) =>
      tx.update('users', session.userId, { pinHash, ...afterSuccessFields() }),
    );
  }

  /**
   * A manager's on-the-spot approval: their PIN and a reason. Returns who approved; the
   * caller passes `overrideBy` and `reason` to the write path so the audit entry names both.
   */
  async verifyOverride(override: PinSignOff): Promise<{ managerId: string; managerName: string }> {
    const manager = await this.checkPin(override.managerId, override.pin, 'auth.override');
    if (!isManagerRole(manager.role)) throw new ApiError('FORBIDDEN', `${manager.name} is not a manager and cannot approve this.`);
    return { managerId: manager.id, managerName: manager.name };
  }

  /** Creates the owner's account and the shop profile on a fresh store, and signs the owner in. */
  async setup(
    ctx: CallContext,
    input: {
      shopName: string;
      currency: string;
      timezone: string;
      locale: string;
      invoicePrefix: string;
      deviceCode: string;
      deviceName: string;
      ownerName: string;
      ownerEmail: string;
      pin: string;
    },
    deviceId: string,
    appVersion: string,
    deviceKind: 'desktop' | 'browser_host' | 'cli',
  ): Promise<SessionInfo> {
    if (!(await this.setupNeeded())) throw new ApiError('CONFLICT', 'This shop is already set up. Sign in instead.');
    try {
      new Intl.DateTimeFormat('en', { timeZone: input.timezone });
    } catch {
      throw new ApiError('VALIDATION', `Unknown time zone "${input.timezone}". Use a name such as Africa/Nairobi or Europe/London.`, [
        { path: 'timezone', message: 'Unknown time zone.' },
      ]);
    }
    const pinHash = await hashSecret(input.pin);
    const ownerId = newId();
    const actor = { userId: ownerId, name: input.ownerName };
    await this.deps.writes.run({ action: 'shop.setup', actor }, async (tx) => {
      await tx.insert('shopProfile', {
        id: SHOP_PROFILE_ID,
        shopId: newId(),
        shopName: input.shopName,
        currency: input.currency,
        timezone: input.timezone,
        locale: input.locale,
        invoicePrefix: input.invoicePrefix,
        taxMode: 'inclusive',
        defaultTaxRateBp: 0,
        cashRoundingMinor: 0,
        idleLockMinutes: 5,
        discountLimitBp: 1000,
        updatedBy: ownerId,
      });
      await tx.insert('users', { id: ownerId, name: input.ownerName, email: input.ownerEmail.toLowerCase(), role: 'admin', active: true, pinHash, createdBy: ownerId });
      if (!(await tx.get('devices', deviceId))) {
        await tx.insert('devices', { id: deviceId, code: input.deviceCode, name: input.deviceName, kind: deviceKind, appVersion, createdBy: ownerId });
      }
    });
    ctx.session = { userId: ownerId, name: input.ownerName, role: 'admin' };
    ctx.lastActivityAt = this.now();
    return sessionInfo(ctx.session);
  }

  /** True when the role of the signed-in person allows the permission. */
  static can(ctx: CallContext, permission: Parameters<typeof roleHas>[1]): boolean {
    return !!ctx.session && roleHas(ctx.session.role, permission);
  }
}

function afterSuccessFields(): { failedAttempts: number } {
  return { failedAttempts: afterSuccess().failedAttempts };
}
