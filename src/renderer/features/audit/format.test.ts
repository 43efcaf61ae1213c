import { describe, expect, it } from 'vitest';
import { dayEndMs, dayStartMs, formatValue, humanize } from './format';

describe('audit formatting', () => {
  it('humanizes collection and field names', () => {
    expect(humanize('creditNotes')).toBe('Credit notes');
    expect(humanize('expiresAt')).toBe('Expires at');
    expect(humanize('priceMinor')).toBe('Price minor');
  });

  it('formats values for the diff table', () => {
    expect(formatValue('note', undefined)).toBe('—');
    expect(formatValue('note', '')).toBe('(blank)');
    expect(formatValue('active', true)).toBe('yes');
    expect(formatValue('priceMinor', 450)).toBe('450');
    expect(formatValue('expiresAt', Date.UTC(2026, 10, 21, 9))).not.toBe(String(Date.UTC(2026, 10, 21, 9)));
    expect(formatValue('lines', [{ a: 1 }])).toBe('[ { "a": 1 } ]');
  });

  it('turns date inputs into a local-day range', () => {
    const start = dayStartMs('2026-11-20')!;
    expect(new Date(start).getDate()).toBe(20);
    expect(dayEndMs('2026-11-20')! - start).toBeGreaterThanOrEqual(23 * 3_600_000);
    expect(dayStartMs('')).toBeUndefined();
  });
});
