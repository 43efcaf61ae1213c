// What the core accepts as a PIN (src/shared/api/ops/auth.ts: 4 to 12 digits, or a
// password of at least 8 characters), said once for every PIN field.
export const PIN_HINT = '4 to 12 digits, or a password of at least 8 characters.';

export const PIN_MISMATCH = 'The two PINs are not the same.';
