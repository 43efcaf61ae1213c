// The screen and the navigation icon of each area.
import type { ComponentType } from 'react';
import { AuditScreen } from '../features/audit/AuditScreen';
import { BackupsScreen } from '../features/backups/BackupsScreen';
import { CounterScreen } from '../features/counter/CounterScreen';
import { OrdersScreen } from '../features/orders/OrdersScreen';
import { PeopleScreen } from '../features/people/PeopleScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { SyncScreen } from '../features/sync/SyncScreen';
import { AuditIcon, BackupsIcon, CounterIcon, OrdersIcon, PeopleIcon, SettingsIcon, SyncIcon } from '../components/icons';
import type { AreaId } from './areas';

export const AREA_SCREENS: Record<AreaId, ComponentType> = {
  counter: CounterScreen,
  orders: OrdersScreen,
  people: PeopleScreen,
  audit: AuditScreen,
  backups: BackupsScreen,
  sync: SyncScreen,
  settings: SettingsScreen,
};

export const AREA_ICONS: Record<AreaId, ComponentType<{ size?: number }>> = {
  counter: CounterIcon,
  orders: OrdersIcon,
  people: PeopleIcon,
  audit: AuditIcon,
  backups: BackupsIcon,
  sync: SyncIcon,
  settings: SettingsIcon,
};
