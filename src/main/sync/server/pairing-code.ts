// One-time pairing codes: 8 characters from an alphabet without look-alikes (no 0/O,
// 1/I/L), shown as XXXX-XXXX, stored only as a SHA-256 hash.
import { createHash, randomInt } from 'node:crypto';

export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;
export const DEFAULT_PAIRING_TTL_MINUTES = 15;
export const MAX_PAIRING_TTL_MINUTES = 7 * 24 * 60;

export function generatePairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

/** ABCD-EFGH */
export function formatPairingCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Upper-cases and drops spaces and dashes; null when it cannot be a pairing code. */
export function normalizePairingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== PAIRING_CODE_LENGTH) return null;
  for (const ch of code) if (!PAIRING_ALPHABET.includes(ch)) return null;
  return code;
}

export function hashPairingCode(normalized: string): string {
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
