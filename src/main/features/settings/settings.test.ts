import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../core/router';
import { SETUP, startTestCore, type TestCore } from '../../people/test-core';

let t: TestCore;
let owner: CallContext;
beforeEach(async () => {
  t = await startTestCore();
  owner = t.ctx(null);
  await t.call('auth.setup', SETUP, owner);
});
afterEach(async () => {
  await t.close();
});

describe('shop settings', () => {
  it('reads and changes only the fields sent, and clears images with null', async () => {
    const before = await t.call('settings.shopProfile', {}, owner);
    expect(before).toMatchObject({ shopName: 'Corner Shop', currency: 'KES', invoicePrefix: 'CS', logoDataUrl: null });
    const logo = 'data:image/png;base64,iVBORw0KGgo=';
    const after = await t.call('settings.updateShopProfile', { invoicePrefix: 'CNR', logoDataUrl: logo, primaryColour: '#1f6f78' }, owner);
    expect(after).toMatchObject({ shopName: 'Corner Shop', invoicePrefix: 'CNR', logoDataUrl: logo, primaryColour: '#1f6f78' });
    const cleared = await t.call('settings.updateShopProfile', { logoDataUrl: null }, owner);
    expect(cleared.logoDataUrl).toBeNull();
    expect(cleared.primaryColour).toBe('#1f6f78');
  });

  it('refuses bad values with field messages, and non-admins', async () => {
    await expect(t.call('settings.updateShopProfile', { invoicePrefix: 'bad prefix' }, owner)).rejects.toMatchObject({ code: 'VALIDATION', issues: [{ path: 'invoicePrefix' }] });
    await expect(t.call('settings.updateShopProfile', { logoDataUrl: 'http://example.com/logo.png' }, owner)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('settings.updateShopProfile', { timezone: 'Nowhere/Land' }, owner)).rejects.toMatchObject({ message: expect.stringContaining('Unknown time zone') });
    await expect(t.call('settings.updateShopProfile', { shopName: 'X' }, t.ctx('manager'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("renames the device and changes its code before any invoice", async () => {
    expect(await t.call('settings.device', {}, owner)).toMatchObject({ code: 'A1', name: 'Front till' });
    expect(await t.call('settings.updateDevice', { name: 'Back till', code: 'B2' }, owner)).toMatchObject({ code: 'B2', name: 'Back till' });
  });
});
