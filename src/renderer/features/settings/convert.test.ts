import { describe, expect, it } from 'vitest';
import { amountTextToMinor, bpToPercentText, cashRoundingChoices, dataUrlInfo, imageFileProblem, invoiceExample, minorToAmountText, percentTextToBp } from './convert';

describe('percentages and basis points', () => {
  it('converts both ways without floats', () => {
    expect(percentTextToBp('16')).toEqual({ ok: true, value: 1600 });
    expect(percentTextToBp('8.25')).toEqual({ ok: true, value: 825 });
    expect(percentTextToBp(' 8,5 % ')).toEqual({ ok: true, value: 850 });
    expect(percentTextToBp('0.07')).toEqual({ ok: true, value: 7 });
    expect(percentTextToBp('8.250')).toEqual({ ok: true, value: 825 });
    expect(percentTextToBp('14.29')).toEqual({ ok: true, value: 1429 });
    expect(bpToPercentText(1600)).toBe('16');
    expect(bpToPercentText(825)).toBe('8.25');
    expect(bpToPercentText(850)).toBe('8.5');
    expect(bpToPercentText(5)).toBe('0.05');
    expect(bpToPercentText(0)).toBe('0');
  });

  it('explains why a third decimal cannot be stored', () => {
    const r = percentTextToBp('8.255');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/whole basis points.*8\.25, not 8\.255/);
    expect(percentTextToBp('').ok).toBe(false);
    expect(percentTextToBp('abc').ok).toBe(false);
    expect(percentTextToBp('-5').ok).toBe(false);
  });
});

describe('amounts', () => {
  it('parses amounts in the currency and keeps empty as no limit', () => {
    expect(amountTextToMinor('2,000.50', 'KES')).toEqual({ ok: true, value: 200050 });
    expect(amountTextToMinor('', 'KES')).toEqual({ ok: true, value: null });
    expect(amountTextToMinor('1.5', 'JPY').ok).toBe(false);
    expect(minorToAmountText(200000, 'KES')).toBe('2000.00');
    expect(minorToAmountText(null, 'KES')).toBe('');
  });

  it('offers rounding steps for the currency and keeps an unusual current one', () => {
    expect(cashRoundingChoices('USD', 0).map((c) => c.value)).toEqual(['0', '5', '10', '25', '50', '100', '500', '1000']);
    expect(cashRoundingChoices('USD', 0)[1]!.label).toBe('To the nearest 0.05 USD');
    expect(cashRoundingChoices('JPY', 0)[1]!.label).toBe('To the nearest 5 JPY');
    expect(cashRoundingChoices('USD', 20).map((c) => c.value)).toContain('20');
  });
});

describe('images', () => {
  it('accepts small PNG, JPEG, SVG and WebP files only', () => {
    expect(imageFileProblem({ name: 'logo.png', type: 'image/png', size: 2000 })).toBeNull();
    expect(imageFileProblem({ name: 'logo.gif', type: 'image/gif', size: 2000 })).toMatch(/not a PNG/);
    expect(imageFileProblem({ name: 'big.jpg', type: 'image/jpeg', size: 2 * 1024 * 1024 })).toMatch(/2\.0 MB.*under 1 MB/);
  });

  it('reads the type and size of a data URL', () => {
    expect(dataUrlInfo('data:image/png;base64,AAAA')).toEqual({ type: 'PNG', bytes: 3 });
    expect(dataUrlInfo('data:image/svg+xml;base64,AA==')).toEqual({ type: 'SVG', bytes: 1 });
    expect(dataUrlInfo('http://x')).toBeNull();
  });

  it('shows an invoice number of the series', () => {
    expect(invoiceExample('CS', 'A1')).toBe('CS-A1-000123');
    expect(invoiceExample('', null)).toBe('…-A1-000123');
  });
});
