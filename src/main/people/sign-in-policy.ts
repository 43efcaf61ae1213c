// How wrong PINs are answered: a few free attempts, then a lockout that doubles with
// each further failure up to a ceiling. Pure functions so the policy is testable and
// the same on every device.
export interface SignInPolicy {
  freeAttempts: number;
  firstLockoutMs: number;
  maxLockoutMs: number;
}

export const DEFAULT_SIGN_IN_POLICY: SignInPolicy = { freeAttempts: 5, firstLockoutMs: 30_000, maxLockoutMs: 15 * 60_000 };

export interface AttemptState {
  failedAttempts: number;
  lockedUntil: number | null;
}

export function lockoutRemainingMs(state: AttemptState, now: number): number {
  return state.lockedUntil && state.lockedUntil > now ? state.lockedUntil - now : 0;
}

export function afterFailure(state: AttemptState, now: number, policy = DEFAULT_SIGN_IN_POLICY): AttemptState {
  const failedAttempts = state.failedAttempts + 1;
  const over = failedAttempts - policy.freeAttempts;
  if (over <= 0) return { failedAttempts, lockedUntil: null };
  const lockout = Math.min(policy.firstLockoutMs * 2 ** (over - 1), policy.maxLockoutMs);
  return { failedAttempts, lockedUntil: now + lockout };
}

export function afterSuccess(): AttemptState {
  return { failedAttempts: 0, lockedUntil: null };
}

export function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
