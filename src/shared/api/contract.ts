// The API contract between the renderer (or CLI, or tests) and the core: every
// operation's name, zod input and output schemas and permission, plus push events.
// The core's router is checked against this map by the compiler.
import type { z } from 'zod';
import type { OperationDef } from './operation';
import { systemOps } from './ops/system';
import { auditOps } from './ops/audit';
import { locksOps } from './ops/locks';
import { syncOps } from './ops/sync';
import { backupOps } from './ops/backup';
import { authOps } from './ops/auth';
import { peopleOps } from './ops/people';
import { counterSalesOps } from './ops/counter-sales';
import { settingsOps } from './ops/settings';
import { counterMoneyOps } from './ops/counter-money';

export const contract = {
  ...systemOps,
  ...auditOps,
  ...locksOps,
  ...syncOps,
  ...backupOps,
  ...authOps,
  ...peopleOps,
  ...counterSalesOps,
  ...settingsOps,
  ...counterMoneyOps,
} as const satisfies Record<string, OperationDef>;

export type Contract = typeof contract;
export type OpName = keyof Contract & string;
/** What a caller passes (before zod defaults and transforms). */
export type OpInput<K extends OpName> = z.input<Contract[K]['input']>;
/** What a handler receives (after parsing). */
export type OpParsedInput<K extends OpName> = z.output<Contract[K]['input']>;
export type OpOutput<K extends OpName> = z.output<Contract[K]['output']>;

export const OP_NAMES = Object.keys(contract) as OpName[];

export function isOpName(name: string): name is OpName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
