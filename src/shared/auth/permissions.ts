// Roles and permissions. Every API operation declares the permission it needs and the
// core's router refuses a call whose session lacks it; the UI only hides what a role
// cannot do, it never decides.
export const ROLES = ['admin', 'manager', 'cashier', 'writer', 'client'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'public', // callable before sign-in (status, setup, sign-in itself)
  'session', // any signed-in person
  'counter.sell',
  'counter.refund',
  'counter.expenses',
  'counter.drawer',
  'counter.close_day',
  'counter.insights',
  'catalog.manage',
  'orders.read',
  'orders.review',
  'orders.manage',
  'people.read',
  'people.manage',
  'balances.read',
  'balances.manage',
  'audit.read',
  'backup.manage',
  'sync.read',
  'sync.manage',
  'settings.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const CASHIER: Permission[] = ['session', 'counter.sell', 'counter.expenses', 'counter.drawer', 'counter.close_day', 'sync.read'];
const MANAGER: Permission[] = [
  ...CASHIER,
  'counter.refund',
  'counter.insights',
  'catalog.manage',
  'orders.read',
  'orders.review',
  'orders.manage',
  'people.read',
  'balances.read',
  'balances.manage',
  'audit.read',
  'backup.manage',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS.filter((p) => p !== 'public'),
  manager: MANAGER,
  cashier: CASHIER,
  writer: ['session', 'orders.read', 'balances.read'],
  client: ['session', 'orders.read'],
};

/** Roles that may approve on the spot (overrides of limits and locks) and look after clients. */
export const MANAGER_ROLES: readonly Role[] = ['manager', 'admin'];

export function isManagerRole(role: Role): boolean {
  return MANAGER_ROLES.includes(role);
}

export function roleHas(role: Role, permission: Permission): boolean {
  return permission === 'public' || ROLE_PERMISSIONS[role].includes(permission);
}
