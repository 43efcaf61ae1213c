import { describe, expect, it } from 'vitest';
import { automaticBackupDue, automaticKind, expiredBackups, planRetention, weekKey, type RetainedBackup } from './retention';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const policy = { hourly: 24, daily: 14, weekly: 8 };
// Monday 2025-06-02 00:30 UTC.
const MONDAY = Date.UTC(2025, 5, 2, 0, 30);

/** Automatic backups every hour from `start` for `hours`, each classified as the service would. */
function simulate(start: number, hours: number, timeZone = 'UTC'): RetainedBackup[] {
  const made: RetainedBackup[] = [];
  for (let h = 0; h < hours; h++) {
    const at = start + h * HOUR;
    made.push({ id: `b${String(h).padStart(5, '0')}`, createdAt: at, kind: automaticKind(at, made, policy, timeZone), keep: false });
  }
  return made;
}

describe('weekKey', () => {
  it('starts weeks on Monday', () => {
    expect(weekKey('2025-06-01')).toBe(weekKey('2025-05-26')); // Sunday belongs to the week before
    expect(weekKey('2025-06-02')).toBe(weekKey('2025-05-26') + 1);
    expect(weekKey('2025-06-08')).toBe(weekKey('2025-06-02'));
  });
});

describe('automaticKind', () => {
  it('makes the first backup of a week weekly, the first of a day daily, the rest hourly', () => {
    const made = simulate(MONDAY, 24 * 8);
    expect(made.slice(0, 3).map((b) => b.kind)).toEqual(['weekly', 'hourly', 'hourly']);
    // Tuesday 00:30 is the first of Tuesday.
    expect(made[24]!.kind).toBe('daily');
    // Next Monday 00:30.
    expect(made[24 * 7]!.kind).toBe('weekly');
    expect(made.filter((b) => b.kind === 'weekly')).toHaveLength(2);
    expect(made.filter((b) => b.kind === 'daily')).toHaveLength(6);
  });

  it("uses the shop's time zone for days", () => {
    // 21:30 UTC on Monday is 00:30 on Tuesday in Nairobi (UTC+3).
    const monday2130 = Date.UTC(2025, 5, 2, 21, 30);
    const earlier: RetainedBackup[] = [{ id: 'a', createdAt: Date.UTC(2025, 5, 2, 8, 0), kind: 'weekly', keep: false }];
    expect(automaticKind(monday2130, earlier, policy, 'UTC')).toBe('hourly');
    expect(automaticKind(monday2130, earlier, policy, 'Africa/Nairobi')).toBe('daily');
  });

  it('skips a kind the policy keeps none of', () => {
    expect(automaticKind(MONDAY, [], { hourly: 24, daily: 14, weekly: 0 }, 'UTC')).toBe('daily');
    expect(automaticKind(MONDAY, [], { hourly: 24, daily: 0, weekly: 0 }, 'UTC')).toBe('hourly');
  });
});

describe('planRetention', () => {
  it('keeps exactly the newest 24 hourly, 14 daily and 8 weekly of 70 days of hourly backups', () => {
    const made = simulate(MONDAY, 70 * 24);
    const states = planRetention(made, policy);
    const kept = made.filter((b) => states.get(b.id) !== 'expired');

    const newest = (kind: RetainedBackup['kind'], n: number) =>
      made
        .filter((b) => b.kind === kind)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, n)
        .map((b) => b.id);
    const expected = new Set([...newest('hourly', 24), ...newest('daily', 14), ...newest('weekly', 8)]);
    expect(new Set(kept.map((b) => b.id))).toEqual(expected);
    expect(kept).toHaveLength(24 + 14 + 8);

    // Hand-checked ends: the newest backup (day 70, 23:30) is hourly; of the 10 Mondays, the newest 8 weeklies are kept.
    expect(states.get(made.at(-1)!.id)).toBe('hourly');
    const weeklies = made.filter((b) => states.get(b.id) === 'weekly').map((b) => new Date(b.createdAt).toISOString());
    expect(weeklies).toHaveLength(8);
    expect(weeklies[0]).toBe('2025-06-16T00:30:00.000Z');
    expect(weeklies.at(-1)).toBe('2025-08-04T00:30:00.000Z');
    const dailies = made.filter((b) => states.get(b.id) === 'daily').map((b) => new Date(b.createdAt).toISOString().slice(0, 10));
    // 14 dailies: the last 16 days minus the two Mondays (their first backup is the weekly one).
    expect(dailies).toHaveLength(14);
    expect(dailies[0]).toBe('2025-07-26');
    expect(dailies.at(-1)).toBe('2025-08-10');
  });

  it('never expires manual, pre-restore or pinned backups', () => {
    const backups: RetainedBackup[] = [
      { id: 'm1', kind: 'manual', createdAt: 1, keep: true },
      { id: 'm2', kind: 'manual', createdAt: 2, keep: false },
      { id: 'p1', kind: 'pre-restore', createdAt: 3, keep: true },
      { id: 'h1', kind: 'hourly', createdAt: 4, keep: true }, // pinned by a person
      { id: 'h2', kind: 'hourly', createdAt: 5, keep: false },
      { id: 'h3', kind: 'hourly', createdAt: 6, keep: false },
      { id: 'd1', kind: 'daily', createdAt: 7, keep: false },
    ];
    const states = planRetention(backups, { hourly: 1, daily: 0, weekly: 0 });
    expect(Object.fromEntries(states)).toEqual({ m1: 'pinned', m2: 'pinned', p1: 'pinned', h1: 'pinned', h2: 'expired', h3: 'hourly', d1: 'expired' });
    expect(expiredBackups(backups, { hourly: 1, daily: 0, weekly: 0 }).sort()).toEqual(['d1', 'h2']);
  });

  it('breaks ties of equal times by id, newest id first', () => {
    const backups: RetainedBackup[] = [
      { id: 'a', kind: 'hourly', createdAt: 10, keep: false },
      { id: 'b', kind: 'hourly', createdAt: 10, keep: false },
    ];
    expect(Object.fromEntries(planRetention(backups, { hourly: 1, daily: 0, weekly: 0 }))).toEqual({ a: 'expired', b: 'hourly' });
  });
});

describe('automaticBackupDue', () => {
  it('is due only after a change and a whole interval since the last backup', () => {
    const intervalMs = HOUR;
    expect(automaticBackupDue({ now: 10 * HOUR, changed: false, lastBackupAt: null, intervalMs })).toBe(false);
    expect(automaticBackupDue({ now: 10 * HOUR, changed: true, lastBackupAt: null, intervalMs })).toBe(true);
    expect(automaticBackupDue({ now: 10 * HOUR, changed: true, lastBackupAt: 9.5 * HOUR, intervalMs })).toBe(false);
    expect(automaticBackupDue({ now: 10 * HOUR, changed: true, lastBackupAt: 9 * HOUR, intervalMs })).toBe(true);
    expect(automaticBackupDue({ now: 10 * HOUR + DAY, changed: false, lastBackupAt: 9 * HOUR, intervalMs })).toBe(false);
  });
});
