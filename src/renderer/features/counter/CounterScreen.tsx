// The Counter area: one tab per job at the counter. The tabs are the `counterTabs`
// array below, so another feature adds its tab with one entry.
//
// A tab is one entry: { id, label, permissions, component }, e.g.
//     { id: 'expenses', label: 'Expenses', permissions: ['counter.expenses'], component: lazy(() => import('./money/ExpensesTab')) },
// (a default export, loaded when the tab first opens). Tabs show only to roles with one
// of their `permissions`; screens get the shop profile from useShop() (./shop.tsx).
import { lazy, Suspense, useMemo, type ComponentType } from 'react';
import { Alert, Group, Loader, Skeleton, Stack, Tabs, Title } from '@mantine/core';
import { create } from 'zustand';
import type { Permission } from '@shared/auth/permissions';
import { useApiQuery } from '../../api/hooks';
import { useSessionStore } from '../../api/session-store';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { AREA_LABELS } from '../../app/areas';
import { ShopProvider, type CounterShop } from './shop';
import { SellTab } from './sell/SellTab';
import './counter.css';

export interface CounterTab {
  /** Stable id (kept across visits). */
  id: string;
  label: string;
  /** The tab shows when the signed-in role has any of these. */
  permissions: readonly Permission[];
  component: ComponentType;
}

export const counterTabs: CounterTab[] = [
  { id: 'sell', label: 'Sell', permissions: ['counter.sell'], component: SellTab },
  { id: 'sales', label: 'Sales', permissions: ['counter.sell'], component: lazy(() => import('./sales/SalesTab')) },
  { id: 'products', label: 'Products', permissions: ['catalog.manage'], component: lazy(() => import('../catalog/ProductsTab')) },
  // ---- Money around the counter (./money/).
  { id: 'expenses', label: 'Expenses', permissions: ['counter.expenses'], component: lazy(() => import('./money/ExpensesTab')) },
  { id: 'credit', label: 'Credit', permissions: ['counter.sell'], component: lazy(() => import('./money/CreditTab')) },
  { id: 'drawer', label: 'Drawer & close', permissions: ['counter.drawer', 'counter.close_day'], component: lazy(() => import('./money/DrawerTab')) },
  { id: 'insights', label: 'Insights', permissions: ['counter.insights'], component: lazy(() => import('./money/InsightsTab')) },
];


/** The open tab, kept while the person visits other areas. */
export const useCounterTab = create<{ tab: string; setTab: (tab: string) => void }>((set) => ({
  tab: 'sell',
  setTab: (tab) => set({ tab }),
}));

export function CounterScreen() {
  const permissions = useSessionStore((s) => s.session?.permissions);
  const tabs = useMemo(() => counterTabs.filter((t) => t.permissions.some((p) => permissions?.includes(p))), [permissions]);
  const requested = useCounterTab((s) => s.tab);
  const setTab = useCounterTab((s) => s.setTab);
  const tab = tabs.some((t) => t.id === requested) ? requested : (tabs[0]?.id ?? 'sell');
  // Only a change of the profile itself: a sale must not refetch it (and re-render every tab).
  const profile = useApiQuery('settings.shopProfile', {}, { refetchOnData: ['shopProfile'] });
  const shop: CounterShop | null = profile.data ?? null;

  return (
    <Tabs value={tab} onChange={(v) => v && setTab(v)} keepMounted={false} variant="pills" radius="md" className="cb-counter" activateTabWithKeyboard>
      <Group justify="space-between" align="center" gap="md" wrap="wrap" className="cb-counter-head">
        <Title order={1} size="h3" tabIndex={-1} data-page-title style={{ outline: 'none' }}>
          {AREA_LABELS.counter}
        </Title>
        <Tabs.List aria-label="Counter" className="cb-tabs">
          {tabs.map((t) => (
            <Tabs.Tab key={t.id} value={t.id}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Group>
      {profile.error && !shop && <ApiErrorAlert error={profile.error} title="Could not load the shop profile" onRetry={profile.refetch} />}
      {!shop && profile.loading && <Skeleton height={420} radius="md" mt="md" />}
      {!shop && !profile.loading && !profile.error && (
        <Alert color="yellow" mt="md" title="The shop is not set up">
          An admin must run the first-run setup (currency, tax, invoice prefix) before anything can be sold.
        </Alert>
      )}
      {shop && (
        <ShopProvider shop={shop}>
          {tabs.map((t) => (
            <Tabs.Panel key={t.id} value={t.id} pt="md">
              <Suspense
                fallback={
                  <Stack align="center" py="xl">
                    <Loader />
                  </Stack>
                }
              >
                <t.component />
              </Suspense>
            </Tabs.Panel>
          ))}
        </ShopProvider>
      )}
    </Tabs>
  );
}
