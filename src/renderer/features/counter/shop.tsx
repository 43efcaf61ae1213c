// The shop profile the counter needs everywhere (currency, tax mode, cash rounding,
// locale, time zone), fetched once by the Counter screen and handed down by context.
import { createContext, useContext, type ReactNode } from 'react';
import type { ShopProfile } from '@shared/api/ops/settings';

export type CounterShop = Pick<ShopProfile, 'shopName' | 'currency' | 'taxMode' | 'cashRoundingMinor' | 'locale' | 'timezone' | 'discountLimitBp' | 'defaultTaxRateBp' | 'refundLimitMinor'>;

const ShopContext = createContext<CounterShop | null>(null);

export function ShopProvider({ shop, children }: { shop: CounterShop; children: ReactNode }) {
  return <ShopContext.Provider value={shop}>{children}</ShopContext.Provider>;
}

/** The shop profile (only inside the Counter screen, which waits for it). */
export function useShop(): CounterShop {
  const shop = useContext(ShopContext);
  if (!shop) throw new Error('useShop() outside the Counter screen');
  return shop;
}
