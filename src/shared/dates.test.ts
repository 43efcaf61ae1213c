import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, dayKey, dayRange, dayStart, daysBetween, hourOfDay, isDayKey, isValidTimeZone, timeZoneOffsetMs } from './dates';

describe('dayKey', () => {
  // 2024-03-09T22:30:00Z
  const t = Date.UTC(2024, 2, 9, 22, 30);
  it('uses the shop time zone, not UTC', () => {
    expect(dayKey(t, 'UTC')).toBe('2024-03-09');
    expect(dayKey(t, 'Africa/Nairobi')).toBe('2024-03-10'); // UTC+3
    expect(dayKey(t, 'America/Los_Angeles')).toBe('2024-03-09');
    expect(dayKey(t, 'Asia/Tokyo')).toBe('2024-03-10');
    expect(dayKey(Date.UTC(2024, 0, 1, 10, 0), 'Pacific/Kiritimati')).toBe('2024-01-02'); // UTC+14
  });
  it('handles day boundaries exactly', () => {
    const midnightNairobi = Date.UTC(2024, 5, 14, 21, 0); // 2024-06-15 00:00 +03:00
    expect(dayKey(midnightNairobi, 'Africa/Nairobi')).toBe('2024-06-15');
    expect(dayKey(midnightNairobi - 1, 'Africa/Nairobi')).toBe('2024-06-14');
  });
  it('hourOfDay', () => {
    expect(hourOfDay(t, 'Africa/Nairobi')).toBe(1);
    expect(hourOfDay(Date.UTC(2024, 2, 9, 0, 0), 'UTC')).toBe(0);
  });
  it('rejects bad input', () => {
    expect(() => dayKey(NaN, 'UTC')).toThrow(RangeError);
    expect(() => dayKey(0, 'Not/AZone')).toThrow(RangeError);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('day keys', () => {
  it('validates', () => {
    expect(isDayKey('2024-02-29')).toBe(true);
    expect(isDayKey('2023-02-29')).toBe(false);
    expect(isDayKey('2024-2-1')).toBe(false);
    expect(isDayKey(20240201)).toBe(false);
  });
  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(() => addDays('nope', 1)).toThrow(RangeError);
  });
});

describe('dayStart / dayRange', () => {
  it('finds local midnight', () => {
    expect(dayStart('2024-06-15', 'Africa/Nairobi')).toBe(Date.UTC(2024, 5, 14, 21, 0));
    expect(dayStart('2024-06-15', 'UTC')).toBe(Date.UTC(2024, 5, 15));
  });
  it('DST days are 23 and 25 hours long', () => {
    const spring = dayRange('2024-03-31', 'Europe/Berlin');
    expect(spring.end - spring.start).toBe(23 * 3600_000);
    const autumn = dayRange('2024-10-27', 'Europe/Berlin');
    expect(autumn.end - autumn.start).toBe(25 * 3600_000);
  });
  it('midnight skipped by DST (America/Santiago 2024-09-08 starts at 01:00)', () => {
    const start = dayStart('2024-09-08', 'America/Santiago');
    expect(dayKey(start, 'America/Santiago')).toBe('2024-09-08');
    expect(dayKey(start - 1, 'America/Santiago')).toBe('2024-09-07');
    expect(hourOfDay(start, 'America/Santiago')).toBe(1);
  });
  it('every instant lies inside the range of its own day key', () => {
    const zones = ['UTC', 'Africa/Nairobi', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (t, tz) => {
        const key = dayKey(t, tz);
        const { start, end } = dayRange(key, tz);
        expect(start <= t && t < end).toBe(true);
        expect(Math.abs(timeZoneOffsetMs(t, tz)) % 60_000).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
