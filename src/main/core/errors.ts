import { ZodError } from 'zod';
import { ApiError, type ApiErrorShape } from '@shared/api/errors';

/** A ZodError as one readable sentence plus per-field issues for forms. */
export function validationError(error: ZodError, what = 'input'): ApiError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || what,
    message: issue.message,
  }));
  const message = issues.map((i) => (i.path === what ? i.message : `${i.path}: ${i.message}`)).join('; ');
  return new ApiError('VALIDATION', `Invalid ${what}: ${message}`, issues);
}

/**
 * Maps anything thrown by a handler to `{ code, message }`. Unknown errors are bugs:
 * the caller gets a generic message and the details go to the log only.
 */
export function toErrorShape(error: unknown, onInternal: (error: unknown) => void): ApiErrorShape {
  if (error instanceof ApiError) return error.toJSON();
  if (error instanceof ZodError) return validationError(error).toJSON();
  onInternal(error);
  return { code: 'INTERNAL', message: 'Something went wrong inside Counterbook. The details were written to the log.' };
}
