import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelativeTime } from './time';

describe('formatRelativeTime', () => {
  const now = 1_700_000_000_000;
  it('picks the largest whole unit', () => {
    expect(formatRelativeTime(now - 2_000, now)).toBe('just now');
    expect(formatRelativeTime(now - 42_000, now)).toBe('42 seconds ago');
    expect(formatRelativeTime(now - 3 * 60_000, now)).toBe('3 minutes ago');
    expect(formatRelativeTime(now - 5 * 3_600_000, now)).toBe('5 hours ago');
    expect(formatRelativeTime(now - 86_400_000, now)).toBe('yesterday');
    expect(formatRelativeTime(now + 120_000, now)).toBe('in 2 minutes');
  });
});

describe('formatDuration', () => {
  it('scales from milliseconds to hours', () => {
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(4_200)).toBe('4.2 s');
    expect(formatDuration(180_000)).toBe('3 min');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(7_200_000)).toBe('2 h');
  });
});
