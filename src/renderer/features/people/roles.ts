// How roles are named and coloured on screen.
import { ROLES, type Role } from '@shared/auth/permissions';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Owner / admin',
  manager: 'Manager',
  cashier: 'Cashier',
  writer: 'Writer',
  client: 'Client',
};

export const ROLE_COLORS: Record<Role, string> = {
  admin: 'ledger',
  manager: 'indigo',
  cashier: 'teal',
  writer: 'grape',
  client: 'orange',
};

/** One line on what each role may do, for the role pickers. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Everything, including shop settings, people and devices',
  manager: 'Counter, refunds, orders, reviews, balances, audit and backups',
  cashier: 'Sales, expenses, the cash drawer and the day close',
  writer: 'Their orders and their balance',
  client: 'Their own orders',
};

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** "Ada Lovelace" -> "AL"; one word -> its first two letters. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return words[0]!.slice(0, 2).toUpperCase();
  return (words[0]![0]! + words[words.length - 1]![0]!).toUpperCase();
}
