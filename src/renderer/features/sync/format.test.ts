import { describe, expect, it } from 'vitest';
import { humanize, progressText, sameValue, showValue } from './format';

describe('sync wording', () => {
  it('names collections and fields for people', () => {
    expect(humanize('creditNotes')).toBe('Credit notes');
    expect(humanize('order_items')).toBe('Order items');
    expect(humanize('unitPriceMinor')).toBe('Unit price minor');
  });

  it('shows values and compares them by content', () => {
    expect(showValue(null)).toMatchObject({ text: 'empty', empty: true });
    expect(showValue(undefined)).toMatchObject({ text: 'not set', empty: true });
    expect(showValue(1250)).toMatchObject({ text: '1250', block: false });
    expect(showValue({ a: 1 })).toMatchObject({ block: true });
    expect(sameValue({ a: [1] }, { a: [1] })).toBe(true);
    expect(sameValue('a', 'b')).toBe(false);
  });

  it('describes progress with the rate and the time left', () => {
    expect(progressText({ phase: 'pull', done: 1234, total: 5000, perSecond: 320 })).toBe('1,234 of 5,000 records · 320 per second · about 12 s left');
    expect(progressText({ phase: 'push', done: 10, total: 0, perSecond: 0 })).toBe('10 records');
    expect(progressText({ phase: 'pull', done: 0, total: 100000, perSecond: 50 })).toBe('0 of 100,000 records · 50 per second · about 33 min left');
  });
});
