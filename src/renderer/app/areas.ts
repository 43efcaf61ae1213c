// The areas of the app, in navigation order. The position gives the keyboard shortcut
// digit (Counter is 1) and the id is the URL hash (`#/counter`).
import type { Permission } from '@shared/auth/permissions';

export const AREA_IDS = ['counter', 'orders', 'people', 'audit', 'backups', 'sync', 'settings'] as const;
export type AreaId = (typeof AREA_IDS)[number];

export const AREA_LABELS: Record<AreaId, string> = {
  counter: 'Counter',
  orders: 'Orders',
  people: 'People & balances',
  audit: 'Audit',
  backups: 'Backups',
  sync: 'Sync',
  settings: 'Settings',
};

export const DEFAULT_AREA: AreaId = 'counter';

/**
 * What opens an area: any one of these permissions. The navigation hides the areas a
 * role cannot use; the core refuses their operations anyway.
 */
export const AREA_PERMISSIONS: Record<AreaId, readonly Permission[]> = {
  counter: ['counter.sell'],
  orders: ['orders.read'],
  people: ['people.read', 'balances.read'],
  audit: ['audit.read'],
  backups: ['backup.manage'],
  sync: ['sync.read'],
  settings: ['settings.manage'],
};

/** The areas someone with these permissions can use, in navigation order. */
export function areasFor(permissions: readonly Permission[]): AreaId[] {
  return AREA_IDS.filter((id) => AREA_PERMISSIONS[id].some((p) => permissions.includes(p)));
}

function isAreaId(value: string): value is AreaId {
  return (AREA_IDS as readonly string[]).includes(value);
}

/** `#/orders` -> 'orders'; anything else -> null. */
export function areaFromHash(hash: string): AreaId | null {
  const id = hash.replace(/^#\/?/, '');
  return isAreaId(id) ? id : null;
}

export function hashForArea(area: AreaId): string {
  return `#/${area}`;
}

/** The shortcut digit of an area (1-based), and the area for a digit. */
export function areaDigit(area: AreaId): number {
  return AREA_IDS.indexOf(area) + 1;
}

export function areaForDigit(digit: number): AreaId | null {
  return AREA_IDS[digit - 1] ?? null;
}
