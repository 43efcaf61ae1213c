// The areas of the app, in navigation order. The position gives the keyboard shortcut
// digit (Counter is 1) and the id is the URL hash (`#/counter`).
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
