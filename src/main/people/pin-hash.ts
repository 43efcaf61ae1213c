import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// PINs and passwords are stored only as slow, salted scrypt hashes, replicated with the
// user so any paired device can sign them in offline. A 4-6 digit PIN is a small secret:
// the cost is set so one guess takes tens of milliseconds, and the lockout in
// sign-in-policy.ts limits guesses per account.
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
const PREFIX = 'scrypt';

function scrypt(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(secret.normalize('NFKC'), salt, keyLength, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url parts), self-describing so the cost can rise later. */
export async function hashSecret(secret: string, params = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, params.keyLength, { N: params.N, r: params.r, p: params.p });
  return [PREFIX, params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, 'base64url');
  const key = await scrypt(secret, Buffer.from(saltText, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when a stored hash was made with weaker parameters than today's (re-hash on next sign-in). */
export function needsRehash(stored: string, params = SCRYPT_PARAMS): boolean {
  const [prefix, n, r, p] = stored.split('$');
  return prefix !== PREFIX || Number(n) < params.N || Number(r) !== params.r || Number(p) !== params.p;
}
