import { ApiError } from '@shared/api/errors';
import type { ShopProfile } from '@shared/api/ops/settings';
import { SHOP_PROFILE_ID, type ShopProfileDoc } from '@shared/schema';
import { actorOf } from '../../core/actor';
import type { CoreServices } from '../../core/core';
import type { HandlerSlice } from '../../core/router';

function toProfile(doc: ShopProfileDoc): ShopProfile {
  return {
    shopName: doc.shopName,
    legalName: doc.legalName ?? '',
    address: doc.address ?? '',
    phone: doc.phone ?? '',
    email: doc.email ?? '',
    taxId: doc.taxId ?? '',
    currency: doc.currency,
    timezone: doc.timezone,
    locale: doc.locale,
    invoicePrefix: doc.invoicePrefix,
    taxMode: doc.taxMode,
    defaultTaxRateBp: doc.defaultTaxRateBp,
    cashRoundingMinor: doc.cashRoundingMinor,
    logoDataUrl: doc.logoDataUrl ?? null,
    signatureDataUrl: doc.signatureDataUrl ?? null,
    watermarkDataUrl: doc.watermarkDataUrl ?? null,
    primaryColour: doc.primaryColour ?? null,
    secondaryColour: doc.secondaryColour ?? null,
    receiptFooter: doc.receiptFooter ?? '',
    idleLockMinutes: doc.idleLockMinutes,
    discountLimitBp: doc.discountLimitBp,
    refundLimitMinor: doc.refundLimitMinor ?? null,
    updatedAt: doc.updatedAt,
  };
}

const NULLABLE = ['logoDataUrl', 'signatureDataUrl', 'watermarkDataUrl', 'primaryColour', 'secondaryColour', 'refundLimitMinor'] as const;

type SettingsOps = 'settings.shopProfile' | 'settings.updateShopProfile' | 'settings.device' | 'settings.updateDevice';

export function settingsHandlers(core: CoreServices): HandlerSlice<SettingsOps> {
  const deviceInfo = async () => {
    const doc = await core.store.db.collections.devices.findOne(core.deviceId).exec();
    return { deviceId: core.deviceId, code: doc?.code ?? null, name: doc?.name ?? null };
  };
  return {
    'settings.shopProfile': async () => {
      const doc = await core.store.db.collections.shopProfile.findOne(SHOP_PROFILE_ID).exec();
      return doc ? toProfile(doc.toMutableJSON()) : null;
    },
    'settings.updateShopProfile': async (input, ctx) => {
      const actor = actorOf(ctx);
      if (input.timezone) {
        try {
          new Intl.DateTimeFormat('en', { timeZone: input.timezone });
        } catch {
          throw new ApiError('VALIDATION', `Unknown time zone "${input.timezone}".`, [{ path: 'timezone', message: 'Unknown time zone.' }]);
        }
      }
      const doc = await core.writes.run({ action: 'settings.update', actor }, async (tx) => {
        if (!(await tx.get('shopProfile', SHOP_PROFILE_ID))) throw new ApiError('CONFLICT', 'Set up the shop first.');
        return tx.update('shopProfile', SHOP_PROFILE_ID, (current) => {
          const next: Record<string, unknown> = { ...current, updatedBy: actor.userId };
          for (const [key, value] of Object.entries(input)) {
            if (value === undefined) continue;
            if (value === null && (NULLABLE as readonly string[]).includes(key)) delete next[key];
            else next[key] = value;
          }
          return next as typeof current;
        });
      });
      return toProfile(doc);
    },
    'settings.device': deviceInfo,
    'settings.updateDevice': async (input, ctx) => {
      const actor = actorOf(ctx);
      await core.writes.run({ action: 'device.update', actor }, async (tx) => {
        const device = await tx.get('devices', core.deviceId);
        if (!device) throw new ApiError('CONFLICT', 'Set up the shop first.');
        if (input.code && input.code !== device.code && device.pairedAt) {
          throw new ApiError('LOCKED', 'This device is paired: its code comes from the server and cannot be changed here.');
        }
        if (input.code && input.code !== device.code && (await core.store.db.collections.sales.findOne({ selector: { deviceId: core.deviceId, status: 'finalised' } }).exec())) {
          throw new ApiError('LOCKED', 'This device has already issued invoices; its code is part of their numbers and cannot change.');
        }
        await tx.update('devices', core.deviceId, { ...(input.name ? { name: input.name } : {}), ...(input.code ? { code: input.code } : {}) });
      });
      return deviceInfo();
    },
  };
}
