// How the UI classifies API failures. Every screen shows them the same way:
// - "form" errors (the person can act on them) go inline in an ApiErrorAlert, with
//   field errors from `issues` on the matching inputs;
// - anything else is unexpected and becomes a notification (see components/notify.ts).
import type { ErrorCode } from '@shared/api/errors';
import { ApiCallError } from './client';

const FORM_ERROR_CODES: ReadonlySet<ErrorCode> = new Set(['VALIDATION', 'CONFLICT', 'LOCKED', 'NOT_FOUND', 'FORBIDDEN', 'RATE_LIMITED', 'UNAUTHENTICATED']);

/** Anything thrown or rejected, as an ApiCallError (a non-API failure is INTERNAL). */
export function toApiCallError(error: unknown): ApiCallError {
  if (error instanceof ApiCallError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiCallError('INTERNAL', message);
}

/** True when the error belongs next to the form that caused it. */
export function isFormError(error: ApiCallError): boolean {
  return FORM_ERROR_CODES.has(error.code);
}

/** The core's message for one input field (`path` as in the zod schema, e.g. "lines.0.qty"). */
export function fieldError(error: ApiCallError | null, path: string): string | undefined {
  return error?.issues?.find((issue) => issue.path === path)?.message;
}
