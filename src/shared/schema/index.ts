// All RxDB collections of the local store.
//
// `collections`      replicated with the server (every tenant row set on PostgreSQL).
// `localCollections` this device only (backups, sync conflicts): never replicated.
//
// Each entry: { schema, migrationStrategies, kind }. kind 'append-only' collections are
// ledgers and logs: the core only inserts into them, sync never has to merge them.
// Conventions for every schema are in ./fields.ts.
import type { CollectionKind, CollectionSpec } from './fields';
import { counterCollections } from './counter';
import { orderCollections } from './orders';
import { peopleCollections } from './people';
import { trustCollections, trustLocalCollections } from './trust';

import type {
  CreditNoteDoc,
  CustomerCreditEntryDoc,
  CustomerDoc,
  DayCloseDoc,
  DrawerMovementDoc,
  ExpenseCategoryDoc,
  ExpenseDoc,
  InvoiceCounterDoc,
  ProductDoc,
  ReminderLogDoc,
  SaleDoc,
} from './counter';
import type { AnalyzedDomainDoc, OrderDoc, OrderGroupDoc, OrderHistoryDoc, OrderItemDoc, SiteSelectionDoc } from './orders';
import type { ClientManagerDoc, InvitationDoc, ManagerEarningDoc, PayoutDoc, UserDoc, WriterLedgerDoc } from './people';
import type { AuditLogDoc, BackupDoc, DeviceDoc, LockDoc, ShopProfileDoc, SyncConflictDoc } from './trust';

export * from './fields';
export * from './counter';
export * from './orders';
export * from './people';
export * from './trust';

/** Document type of every replicated collection, by collection name. */
export interface ReplicatedDocTypes {
  products: ProductDoc;
  customers: CustomerDoc;
  sales: SaleDoc;
  creditNotes: CreditNoteDoc;
  expenses: ExpenseDoc;
  expenseCategories: ExpenseCategoryDoc;
  customerCreditEntries: CustomerCreditEntryDoc;
  reminderLog: ReminderLogDoc;
  drawerMovements: DrawerMovementDoc;
  dayCloses: DayCloseDoc;
  invoiceCounters: InvoiceCounterDoc;
  orders: OrderDoc;
  orderGroups: OrderGroupDoc;
  analyzedDomains: AnalyzedDomainDoc;
  siteSelections: SiteSelectionDoc;
  orderItems: OrderItemDoc;
  orderHistory: OrderHistoryDoc;
  users: UserDoc;
  invitations: InvitationDoc;
  clientManagers: ClientManagerDoc;
  writerLedger: WriterLedgerDoc;
  managerEarnings: ManagerEarningDoc;
  payouts: PayoutDoc;
  auditLog: AuditLogDoc;
  locks: LockDoc;
  shopProfile: ShopProfileDoc;
  devices: DeviceDoc;
}

/** Document type of every local-only collection. */
export interface LocalDocTypes {
  backups: BackupDoc;
  syncConflicts: SyncConflictDoc;
}

export type CollectionDocTypes = ReplicatedDocTypes & LocalDocTypes;
export type ReplicatedCollectionName = keyof ReplicatedDocTypes;
export type LocalCollectionName = keyof LocalDocTypes;
export type CollectionName = keyof CollectionDocTypes;
export type DocOfCollection<N extends CollectionName> = CollectionDocTypes[N];

export const collections: { readonly [N in ReplicatedCollectionName]: CollectionSpec<ReplicatedDocTypes[N]> } = {
  ...counterCollections,
  ...orderCollections,
  ...peopleCollections,
  ...trustCollections,
};

export const localCollections: { readonly [N in LocalCollectionName]: CollectionSpec<LocalDocTypes[N]> } = {
  ...trustLocalCollections,
};

/** Every collection of the local store, replicated and local. */
export const allCollections: { readonly [N in CollectionName]: CollectionSpec<CollectionDocTypes[N]> } = {
  ...collections,
  ...localCollections,
};

export const replicatedCollectionNames = Object.keys(collections) as ReplicatedCollectionName[];
export const localCollectionNames = Object.keys(localCollections) as LocalCollectionName[];

export function collectionKind(name: CollectionName): CollectionKind {
  return allCollections[name].kind;
}

export function isReplicated(name: string): name is ReplicatedCollectionName {
  return Object.prototype.hasOwnProperty.call(collections, name);
}

export function isAppendOnly(name: CollectionName): boolean {
  return allCollections[name].kind === 'append-only';
}
