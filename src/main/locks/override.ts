// Manager overrides: the one way an operation gets a manager's approval, whether for a
// write into a locked place (a closed day, data rule 6) or for something a cashier may
// not do alone (a discount over the limit, a changed price, credit or a refund over the
// limit, cash in or out of the drawer). Operations take `override` (overrideSchema in
// src/shared/api/ops/auth.ts); the audit entry names both people: the actor (userId)
// and the manager (overrideBy), and the reason.
//
// Usage in a service (one ManagerOverrides per core, built with its AuthService):
//
//   const request = await overrides.apply({ action: 'expense.update', actor }, ctx, input.override);
//   requireManager(ctx, request, 'A discount of 30% is over the 10% a cashier may give.');  // when needed
//   await core.writes.run(request, (tx) => ...);
//
// Pass the returned request to the write path as it is (a copy made with spread keeps
// the proof; a request built by hand with `overrideBy` does not pass the lock rules).
import { ApiError } from '@shared/api/errors';
import type { OverrideInput, PinSignOff } from '@shared/api/ops/auth';
import { isManagerRole } from '@shared/auth/permissions';
import type { CallContext } from '../core/router';
import type { WriteRequest } from '../store/write-path';

/** Checks a manager's PIN (People's AuthService): who approved, or throws (wrong PIN, lockout, not a manager). */
export interface PinChecker {
  verifyOverride(signOff: PinSignOff): Promise<{ managerId: string; managerName: string }>;
}

interface OverrideProof {
  readonly overrideBy: string;
  readonly reason: string;
}

const PROOF = Symbol('counterbook.verifiedOverride');
const issued = new WeakSet<OverrideProof>();

type ProvenRequest = WriteRequest & { [PROOF]?: OverrideProof };

export class ManagerOverrides {
  constructor(private readonly pins: PinChecker) {}

  /**
   * Verifies `input` (when given) and returns the request carrying the override:
   * overrideBy = the approving manager; reason = the request's own reason followed by
   * the manager's ("Till short (approved: counted twice)"), or the manager's alone.
   * Without an input, returns the request unchanged.
   */
  async apply(request: WriteRequest, ctx: CallContext, input: OverrideInput | undefined): Promise<WriteRequest> {
    if (!input) return request;
    const why = input.reason.trim();
    if (why.length < 3) throw new ApiError('VALIDATION', 'Say why the override is needed.', [{ path: 'override.reason', message: 'Say why the override is needed.' }]);
    const by = await this.approver(ctx, input);
    const reason = request.reason ? `${request.reason} (approved: ${why})` : why;
    const proof: OverrideProof = Object.freeze({ overrideBy: by, reason });
    issued.add(proof);
    const proven: ProvenRequest = { ...request, overrideBy: by, reason, [PROOF]: proof };
    return proven;
  }

  /**
   * Who approves: with another manager's id (a cashier's screen with a manager standing
   * by) their PIN decides; otherwise the signed-in person must be a manager or an admin.
   */
  private async approver(ctx: CallContext, input: OverrideInput): Promise<string> {
    const session = ctx.session;
    if (!session) throw new ApiError('UNAUTHENTICATED', 'Please sign in first.');
    if ((input.managerId && input.managerId !== session.userId) || input.pin) {
      if (!input.managerId || !input.pin) throw new ApiError('VALIDATION', 'Choose the manager and enter their PIN.', [{ path: 'override.pin', message: 'Enter the manager’s PIN.' }]);
      return (await this.pins.verifyOverride({ managerId: input.managerId, pin: input.pin, reason: input.reason })).managerId;
    }
    if (!isManagerRole(session.role)) {
      throw new ApiError('FORBIDDEN', 'Only a manager or an admin can approve this. Ask a manager to sign in, or to approve with their PIN.', [
        { path: 'override', message: 'A manager’s approval is needed.' },
      ]);
    }
    return session.userId;
  }
}

/** The verified override a request carries, or null (none, or `overrideBy` set by hand). */
export function verifiedOverride(request: WriteRequest): OverrideProof | null {
  const proof = (request as ProvenRequest)[PROOF];
  if (!proof || !issued.has(proof)) return null;
  if (proof.overrideBy !== request.overrideBy || proof.reason !== request.reason) return null;
  return proof;
}

/**
 * Passes when the request carries a verified override or the signed-in person is a
 * manager; otherwise FORBIDDEN with an issue at `override`, which makes the screen ask
 * for a manager's PIN and send the operation again.
 */
export function requireManager(ctx: CallContext, request: WriteRequest, message: string): void {
  if (verifiedOverride(request) || (ctx.session && isManagerRole(ctx.session.role))) return;
  const full = `${message} Ask a manager to approve it with their PIN.`;
  throw new ApiError('FORBIDDEN', full, [{ path: 'override', message: full }]);
}
