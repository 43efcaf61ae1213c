// Dates: instants are epoch milliseconds (integers); calendar days are 'YYYY-MM-DD'
// day keys in the SHOP's time zone (settings), so a sale at 23:30 local time belongs
// to that local day whatever the device clock's zone is. Pure Intl, no Date parsing of
// strings.

const DAY_KEY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const fullFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    cache.set(timeZone, f);
  }
  return f;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function parts(epochMs: number, timeZone: string, withTime: boolean): Parts {
  const out: Parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(withTime ? fullFormatters : dayFormatters, timeZone, withTime).formatToParts(epochMs)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour' || p.type === 'minute' || p.type === 'second') {
      out[p.type] = parseInt(p.value, 10);
    }
  }
  return out;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function assertInstant(epochMs: number): void {
  if (!Number.isFinite(epochMs)) throw new RangeError(`Not a timestamp: ${epochMs}`);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** 'YYYY-MM-DD' of the instant in the given IANA time zone (e.g. 'Africa/Nairobi'). */
export function dayKey(epochMs: number, timeZone: string): string {
  assertInstant(epochMs);
  const p = parts(epochMs, timeZone, false);
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

/** Hour of day 0..23 in the time zone (for heat maps and business-hour rules). */
export function hourOfDay(epochMs: number, timeZone: string): number {
  assertInstant(epochMs);
  return parts(epochMs, timeZone, true).hour;
}

export function isDayKey(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DAY_KEY_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function parseDayKey(key: string): number {
  if (!isDayKey(key)) throw new RangeError(`Not a day key (YYYY-MM-DD): ${key}`);
  const m = DAY_KEY_RE.exec(key)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function utcDayKey(utcMidnight: number): string {
  const d = new Date(utcMidnight);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Calendar arithmetic on day keys (no time zone involved). */
export function addDays(key: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`addDays needs whole days, got ${days}`);
  return utcDayKey(parseDayKey(key) + days * DAY_MS);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((parseDayKey(b) - parseDayKey(a)) / DAY_MS);
}

/** Offset of the zone from UTC at the instant, in ms (positive east of Greenwich). */
export function timeZoneOffsetMs(epochMs: number, timeZone: string): number {
  assertInstant(epochMs);
  const whole = Math.floor(epochMs / 1000) * 1000;
  const p = parts(whole, timeZone, true);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - whole;
}

/**
 * First instant (epoch ms) of the day in the zone. Usually local midnight; on days
 * where a DST jump skips midnight it is the first local time that exists.
 */
export function dayStart(key: string, timeZone: string): number {
  const guess = parseDayKey(key);
  let t = guess - timeZoneOffsetMs(guess, timeZone);
  t = guess - timeZoneOffsetMs(t, timeZone);
  if (dayKey(t, timeZone) === key && dayKey(t - 1, timeZone) < key) return t;
  // Rare: midnight falls in a DST gap or the guess crossed a transition. Binary search
  // the first millisecond whose day key is >= key within two days around the guess.
  let lo = guess - 2 * DAY_MS;
  let hi = guess + 2 * DAY_MS;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayKey(mid, timeZone) >= key) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** [start, end) of the day in the zone, in epoch ms, for range queries. */
export function dayRange(key: string, timeZone: string): { start: number; end: number } {
  return { start: dayStart(key, timeZone), end: dayStart(addDays(key, 1), timeZone) };
}
