import type { z } from 'zod';
import type { Permission } from '../auth/permissions';

/**
 * One API operation: its zod input and output schemas, the permission a caller needs,
 * and whether it changes data (commands go through the core's single write path).
 */
export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly permission: Permission;
  readonly kind: 'query' | 'command';
  readonly summary: string;
}

export function defineOperation<I extends z.ZodType, O extends z.ZodType>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}
