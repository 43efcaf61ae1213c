// Manager overrides (data rule 6): a write into a locked place (a closed day) is let
// through only when the request carries an override the core verified. The audit
// entry then names both people: the actor (userId) and the manager (overrideBy), and
// the reason.
//
// Usage in an operation handler:
//
//   const request = await withOverride({ action: 'expense.correct', actor: actorOf(ctx) }, ctx, input.override);
//   await core.writes.run(request, (tx) => ...);
//
// Pass the returned request to the write path as it is (a copy made with spread keeps
// the proof; a request built by hand with `overrideBy` does not pass the lock rules).
import { MANAGER_ROLES } from '@shared/auth/permissions';
import { ApiError } from '@shared/api/errors';
import type { OverrideInput } from '@shared/api/ops/locks';
import type { Role } from '@shared/auth/permissions';
import type { CallContext } from '../core/router';
import type { Actor, WriteRequest } from '../store/write-path';

/** Roles that may authorise an override. */
export const OVERRIDE_ROLES: readonly Role[] = MANAGER_ROLES;

/** Checks a manager's PIN sign-off and returns that manager, or throws. */
export type PinVerifier = (input: { managerId: string; pin: string; reason: string }) => Promise<Actor> | Actor;

let pinVerifier: PinVerifier | null = null;

/**
 * Plugs in PIN sign-off (People: wrap AuthService.verifyOverride, which checks the PIN,
 * the lockout and the manager role). Returns a function that removes it again.
 */
export function setPinVerifier(next: PinVerifier | null): () => void {
  const previous = pinVerifier;
  pinVerifier = next;
  return () => {
    pinVerifier = previous;
  };
}

/**
 * THE SEAM: who authorises an override. With a manager id and PIN (a cashier's screen
 * with a manager standing by), the PIN verifier decides; without a PIN verifier, or
 * without a PIN, the signed-in session must itself be a manager or an admin.
 */
export async function verifyOverride(ctx: CallContext, input: OverrideInput): Promise<Actor> {
  const session = ctx.session;
  if (!session) throw new ApiError('UNAUTHENTICATED', 'Please sign in first.');
  const signOffByAnother = !!input.managerId && input.managerId !== session.userId;
  if (signOffByAnother || input.pin) {
    if (!input.managerId || !input.pin) throw new ApiError('VALIDATION', 'Choose the manager and enter their PIN.', [{ path: 'override.pin', message: 'Enter the manager’s PIN.' }]);
    if (!pinVerifier) throw new ApiError('FORBIDDEN', 'Sign-off with a manager’s PIN is not available yet. Ask a manager to sign in and make the change.');
    return pinVerifier({ managerId: input.managerId, pin: input.pin, reason: input.reason });
  }
  if (!OVERRIDE_ROLES.includes(session.role)) {
    throw new ApiError('FORBIDDEN', 'Only a manager or an admin can override a lock. Ask a manager to sign in, or to approve with their PIN.');
  }
  return { userId: session.userId, name: session.name };
}

interface OverrideProof {
  readonly overrideBy: string;
  readonly reason: string;
}

const PROOF = Symbol('counterbook.verifiedOverride');
const issued = new WeakSet<OverrideProof>();

type ProvenRequest = WriteRequest & { [PROOF]?: OverrideProof };

/**
 * Verifies `input` (when given) and returns the request carrying the override:
 * overrideBy = the authorising manager, reason = the override's reason.
 * Without an input, returns the request unchanged.
 */
export async function withOverride(request: WriteRequest, ctx: CallContext, input: OverrideInput | undefined): Promise<WriteRequest> {
  if (!input) return request;
  const reason = input.reason.trim();
  if (reason.length < 3) throw new ApiError('VALIDATION', 'Say why the override is needed.', [{ path: 'override.reason', message: 'Say why the override is needed.' }]);
  const by = await verifyOverride(ctx, input);
  const proof: OverrideProof = Object.freeze({ overrideBy: by.userId, reason });
  issued.add(proof);
  const proven: ProvenRequest = { ...request, overrideBy: by.userId, reason, [PROOF]: proof };
  return proven;
}

/** The verified override a request carries, or null (none, or `overrideBy` set by hand). */
export function verifiedOverride(request: WriteRequest): OverrideProof | null {
  const proof = (request as ProvenRequest)[PROOF];
  if (!proof || !issued.has(proof)) return null;
  if (proof.overrideBy !== request.overrideBy || proof.reason !== request.reason) return null;
  return proof;
}
