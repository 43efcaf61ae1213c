import { describe, expect, it } from 'vitest';
import { buildCreditReminder, normaliseWhatsAppPhone, whatsAppLink, type CreditReminderInput } from './reminders';

const base: CreditReminderInput = {
  customerName: 'Jane Wanjiru',
  phone: '+254 712 345 678',
  optOut: false,
  balanceMinor: 125000,
  currency: 'KES',
  ageDays: 12,
  shopName: 'Mama Mboga Shop',
};

describe('credit reminders', () => {
  it('prepares a polite message and a WhatsApp link', () => {
    const r = buildCreditReminder(base);
    const text =
      'Hello Jane Wanjiru, this is a friendly reminder from Mama Mboga Shop: your account has a balance of KES 1,250.00, owed for 12 days. ' +
      'Please pay when you next visit us, or reply to this message if you have any questions. Thank you!';
    expect(r).toEqual({ ok: true, text, whatsappUrl: `https://wa.me/254712345678?text=${encodeURIComponent(text)}` });
    if (r.ok) expect(decodeURIComponent(r.whatsappUrl!.split('?text=')[1]!)).toBe(text);
  });

  it('says "1 day" and "since today"', () => {
    const one = buildCreditReminder({ ...base, ageDays: 1 });
    const today = buildCreditReminder({ ...base, ageDays: 0 });
    expect(one.ok && one.text).toContain('owed for 1 day.');
    expect(today.ok && today.text).toContain('owed since today.');
  });

  it('custom templates', () => {
    const r = buildCreditReminder({ ...base, template: '{shop}: {name}, you owe {amount} ({days} days).' });
    expect(r.ok && r.text).toBe('Mama Mboga Shop: Jane Wanjiru, you owe KES 1,250.00 (12 days).');
  });

  it('respects opt-out with a reason', () => {
    expect(buildCreditReminder({ ...base, optOut: true })).toEqual({
      ok: false,
      reason: 'opted_out',
      message: 'Jane Wanjiru has asked not to receive reminders; no reminder was prepared.',
    });
  });

  it('nothing owed, nothing to remind', () => {
    expect(buildCreditReminder({ ...base, balanceMinor: 0 })).toMatchObject({ ok: false, reason: 'nothing_owed', message: 'Jane Wanjiru owes nothing, so there is nothing to remind them of.' });
  });

  it('without a usable phone the text can still be copied, and the problem is explained', () => {
    expect(buildCreditReminder({ ...base, phone: '' })).toMatchObject({
      ok: true,
      phoneProblem: { reason: 'missing_phone', message: 'This customer has no phone number; add one to send a WhatsApp reminder.' },
    });
    const r = buildCreditReminder({ ...base, phone: '0712 345 678' });
    expect(r).toMatchObject({ ok: true, phoneProblem: { reason: 'no_country_code' } });
    expect(r.ok && r.whatsappUrl).toBeUndefined();
    expect(buildCreditReminder({ ...base, phone: '0712 345 678', defaultCountryCode: '254' })).toMatchObject({ ok: true, whatsappUrl: expect.stringMatching(/^https:\/\/wa\.me\/254712345678\?text=/) });
  });

  it('refuses bad input clearly', () => {
    expect(() => buildCreditReminder({ ...base, ageDays: -1 })).toThrow('The age of the debt must be a whole number of days from 0, got -1.');
    expect(() => buildCreditReminder({ ...base, balanceMinor: 12.5 })).toThrow('The balance must be a whole number of minor units, got 12.5.');
    expect(() => buildCreditReminder({ ...base, phone: '0712345678', defaultCountryCode: '+254' })).toThrow('"+254" is not a country calling code (1 to 3 digits, e.g. 254).');
  });
});

describe('phone numbers for wa.me', () => {
  it.each([
    ['+254 712 345 678', '254712345678'],
    ['+1 (212) 555-0100', '12125550100'],
    ['0044 20 7946 0958', '442079460958'],
    ['254712345678', '254712345678'],
    ['+91.98765.43210', '919876543210'],
  ])('%s -> %s', (input, digits) => {
    expect(normaliseWhatsAppPhone(input)).toEqual({ ok: true, digits });
  });

  it('national numbers need the shop country code', () => {
    expect(normaliseWhatsAppPhone('0803 123 4567', { defaultCountryCode: '234' })).toEqual({ ok: true, digits: '2348031234567' });
    expect(normaliseWhatsAppPhone('0803 123 4567')).toEqual({
      ok: false,
      reason: 'no_country_code',
      message: 'The phone number "0803 123 4567" has no country code; save it in international form, starting with + and the country code.',
    });
  });

  it.each([
    ['call me', '"call me" is not a valid phone number: use only digits, spaces and a leading +.'],
    ['+254 712 345 67x', '"+254 712 345 67x" is not a valid phone number: use only digits, spaces and a leading +.'],
    ['12345', '"12345" is not a valid phone number: it is too short to be an international number.'],
    ['+1234567890123456', '"+1234567890123456" is not a valid phone number: it has more than 15 digits.'],
    ['+0712345678', '"+0712345678" is not a valid phone number: the country code cannot start with 0.'],
    ['254+712345678', '"254+712345678" is not a valid phone number: use only digits, spaces and a leading +.'],
  ])('refuses %s', (input, message) => {
    expect(normaliseWhatsAppPhone(input)).toEqual({ ok: false, reason: 'invalid_phone', message });
  });

  it('encodes the text', () => {
    expect(whatsAppLink('254712345678', 'Hi & thanks: 100% 👍')).toBe('https://wa.me/254712345678?text=Hi%20%26%20thanks%3A%20100%25%20%F0%9F%91%8D');
  });
});
