import { describe, expect, it } from 'vitest';
import { hashSecret, needsRehash, verifySecret } from './pin-hash';
import { afterFailure, afterSuccess, DEFAULT_SIGN_IN_POLICY, describeWait, lockoutRemainingMs } from './sign-in-policy';

describe('PIN hashing', () => {
  it('stores only a salted scrypt hash that verifies the right PIN and refuses others', async () => {
    const stored = await hashSecret('4821');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain('4821');
    await expect(verifySecret('4821', stored)).resolves.toBe(true);
    await expect(verifySecret('4822', stored)).resolves.toBe(false);
    await expect(verifySecret('4821', 'plain-text')).resolves.toBe(false);
  });

  it('salts every hash: the same PIN twice gives different hashes', async () => {
    expect(await hashSecret('0000')).not.toBe(await hashSecret('0000'));
  });

  it('is slow on purpose (at least a few ms per guess)', async () => {
    const stored = await hashSecret('1234');
    const started = performance.now();
    await verifySecret('9999', stored);
    expect(performance.now() - started).toBeGreaterThan(5);
  });

  it('flags hashes made with weaker parameters for re-hashing', async () => {
    const weak = await hashSecret('1', { N: 1024, r: 8, p: 1, keyLength: 32 });
    expect(needsRehash(weak)).toBe(true);
    await expect(verifySecret('1', weak)).resolves.toBe(true);
    expect(needsRehash(await hashSecret('1'))).toBe(false);
  });
});

describe('sign-in lockout', () => {
  it('allows the free attempts, then locks with a doubling back-off up to the ceiling', () => {
    let state = afterSuccess();
    const now = 1_000_000;
    for (let i = 0; i < DEFAULT_SIGN_IN_POLICY.freeAttempts; i++) state = afterFailure(state, now);
    expect(lockoutRemainingMs(state, now)).toBe(0);
    state = afterFailure(state, now);
    expect(lockoutRemainingMs(state, now)).toBe(30_000);
    state = afterFailure(state, now);
    expect(lockoutRemainingMs(state, now)).toBe(60_000);
    for (let i = 0; i < 20; i++) state = afterFailure(state, now);
    expect(lockoutRemainingMs(state, now)).toBe(15 * 60_000);
    expect(lockoutRemainingMs(state, now + 15 * 60_000)).toBe(0);
    expect(afterSuccess()).toEqual({ failedAttempts: 0, lockedUntil: null });
  });

  it('describes the wait in words', () => {
    expect(describeWait(30_000)).toBe('30 seconds');
    expect(describeWait(1_000)).toBe('1 second');
    expect(describeWait(15 * 60_000)).toBe('15 minutes');
  });
});
