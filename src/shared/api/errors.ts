// Error codes that cross the API. The core maps every failure to `{ code, message }`;
// the UI shows `message` as it is, so messages are written for the person at the screen.
export const ERROR_CODES = [
  'VALIDATION', // input failed its zod schema
  'UNKNOWN_OPERATION', // no such operation in the contract
  'UNAUTHENTICATED', // nobody is signed in (or the session is locked)
  'FORBIDDEN', // signed in, but the role lacks the operation's permission
  'NOT_FOUND',
  'CONFLICT', // the record changed under you
  'LOCKED', // a closed day, a finalised document or someone else's review lease
  'RATE_LIMITED', // e.g. too many wrong PINs
  'UNAVAILABLE', // the core or the server is not reachable right now
  'INTERNAL', // a bug: details are in the log, not in the message
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  /** Field-level problems for forms: path -> message. */
  issues?: { path: string; message: string }[];
}

/** Thrown by handlers and services; the router turns it into `{ code, message }`. */
export class ApiError extends Error implements ApiErrorShape {
  readonly code: ErrorCode;
  readonly issues?: { path: string; message: string }[];

  constructor(code: ErrorCode, message: string, issues?: { path: string; message: string }[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (issues) this.issues = issues;
  }

  toJSON(): ApiErrorShape {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

export function isApiErrorShape(value: unknown): value is ApiErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && (ERROR_CODES as readonly string[]).includes(v.code) && typeof v.message === 'string';
}
