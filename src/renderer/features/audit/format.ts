// How the audit screen shows names, times and field values.

/** 'creditNotes' -> 'Credit notes', 'expiresAt' -> 'Expires at'. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatAt(ms: number): string {
  return dateTime.format(new Date(ms));
}

const TIME_FIELD = /(At|^since)$/;
/** 2000-01-01 .. 2200-01-01 in epoch ms: numbers in that range on time fields are shown as dates. */
const PLAUSIBLE_TIME = [946_684_800_000, 7_258_118_400_000] as const;

/** One field value for the diff table; `undefined` means the field was not there. */
export function formatValue(field: string, value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'empty';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (TIME_FIELD.test(field) && value >= PLAUSIBLE_TIME[0] && value <= PLAUSIBLE_TIME[1]) return formatAt(value);
    return String(value);
  }
  if (typeof value === 'string') return value === '' ? '(blank)' : value;
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');
}

/** Local midnight of a 'YYYY-MM-DD' date input, or undefined. */
export function dayStartMs(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** Local midnight after a 'YYYY-MM-DD' date input (the exclusive end of that day), or undefined. */
export function dayEndMs(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime();
}
