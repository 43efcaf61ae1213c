import { describe, expect, it } from 'vitest';
import { fillWithDefaultSettings, type RxJsonSchema, type RxStorage, type RxStorageInstance } from 'rxdb';
import { checkSchema } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { newId } from '../ids';
import {
  SHOP_PROFILE_ID,
  allCollections,
  collections,
  localCollections,
  type CollectionDocTypes,
  type CollectionName,
} from './index';

const T = Date.UTC(2025, 0, 15, 9, 30);
const id = () => newId();
const base = () => ({ id: id(), createdAt: T, updatedAt: T });
const device = id();
const user = id();

/** One valid document per collection (typed, so the doc types are checked too). */
const samples: { [N in CollectionName]: CollectionDocTypes[N] } = {
  products: { ...base(), name: 'Sugar 1kg', sku: 'SUG-1', barcode: '6001234567890', priceMinor: 15000, currency: 'KES', taxRateBp: 1600, category: 'Groceries', favourite: true, quickKey: 3, unit: 'each', active: true },
  customers: { ...base(), name: 'Amina W.', phone: '+254700000001', reminderOptOut: false, reminderCount: 0 },
  sales: {
    ...base(), deviceId: device, registerId: device, cashierId: user, customerId: '', status: 'finalised', currency: 'KES', taxMode: 'inclusive',
    lines: [{ lineId: '1', productId: id(), name: 'Sugar 1kg', sku: 'SUG-1', quantityMilli: 2000, unitPriceMinor: 15000, discountMinor: 0, taxRateBp: 1600, taxMinor: 4138, totalMinor: 30000 }],
    payments: [{ method: 'cash', amountMinor: 30000, tenderedMinor: 50000 }],
    subtotalMinor: 30000, discountMinor: 0, taxMinor: 4138, roundingMinor: 0, totalMinor: 30000, changeDueMinor: 20000,
    invoiceNumber: 'CB-A1-1', invoiceSeq: 1, day: '2025-01-15', finalisedAt: T,
  },
  creditNotes: {
    ...base(), kind: 'refund', saleId: id(), saleInvoiceNumber: 'CB-A1-1', deviceId: device, registerId: device, cashierId: user, customerId: '', currency: 'KES', taxMode: 'inclusive',
    lines: [{ saleLineId: '1', productId: id(), name: 'Sugar 1kg', sku: 'SUG-1', quantityMilli: 1000, unitPriceMinor: 15000, discountMinor: 0, taxRateBp: 1600, taxMinor: 2069, totalMinor: 15000, restock: true }],
    refunds: [{ method: 'cash', amountMinor: 15000 }],
    subtotalMinor: 15000, discountMinor: 0, taxMinor: 2069, roundingMinor: 0, totalMinor: 15000, reason: 'Damaged', number: 'CB-CN-A1-1', seq: 1, day: '2025-01-15',
  },
  expenses: { ...base(), amountMinor: 250000, currency: 'KES', categoryId: '', description: 'Electricity token', day: '2025-01-15', deviceId: device, paidFrom: 'cash' },
  expenseCategories: { ...base(), name: 'Utilities', color: '#3366ff', keywordRules: ['kplc', 'electricity', 'water'], active: true },
  customerCreditEntries: { ...base(), customerId: id(), kind: 'sale', amountMinor: 30000, currency: 'KES', saleId: id(), day: '2025-01-15', deviceId: device, createdBy: user },
  reminderLog: { ...base(), customerId: id(), channel: 'whatsapp', status: 'sent', balanceMinor: 30000, currency: 'KES', deviceId: device },
  drawerMovements: { ...base(), deviceId: device, registerId: device, day: '2025-01-15', kind: 'opening_float', amountMinor: 500000, currency: 'KES' },
  dayCloses: {
    ...base(), deviceId: device, registerId: device, day: '2025-01-15', currency: 'KES',
    expected: { cashMinor: 30000, cardMinor: 0, mobileMoneyMinor: 0, customerCreditMinor: 0 },
    openingFloatMinor: 500000, cashInMinor: 0, cashOutMinor: 0, expectedCashMinor: 530000, countedCashMinor: 530000,
    denominations: [{ valueMinor: 100000, count: 5 }, { valueMinor: 10000, count: 3 }],
    differenceMinor: 0, salesCount: 1, salesTotalMinor: 30000, taxTotalMinor: 4138, refundsCount: 0, refundsTotalMinor: 0, closedBy: user, closedAt: T,
  },
  invoiceCounters: { id: device, createdAt: T, updatedAt: T, deviceId: device, lastInvoiceSeq: 1, lastCreditNoteSeq: 0 },
  orders: { ...base(), title: 'Q1 links', clientId: id(), managerId: '', state: 'configuring', stateChangedAt: T, currency: 'USD', subtotalMinor: 0, discountMinor: 0, totalMinor: 0, linkCount: 3, requiresClientReview: true },
  orderGroups: { ...base(), orderId: id(), clientId: id(), clientName: 'Acme', linkCount: 3, targetPages: [{ url: 'https://acme.example/shoes' }], anchors: ['running shoes'], overrides: { minDr: 30 }, status: 'pending' },
  analyzedDomains: { ...base(), orderId: id(), groupId: '', domain: 'blog.example.com', metrics: { dr: 45, traffic: 12000, priceMinor: 15000 }, status: 'qualified' },
  siteSelections: { ...base(), orderId: id(), groupId: id(), domainId: id(), domain: 'blog.example.com', status: 'suggested', priceMinor: 15000, currency: 'USD' },
  orderItems: { ...base(), orderId: id(), groupId: id(), selectionId: id(), domain: 'blog.example.com', targetPage: 'https://acme.example/shoes', anchor: 'running shoes', priceMinor: 15000, currency: 'USD', writerId: '', status: 'pending' },
  orderHistory: { ...base(), orderId: id(), action: 'state_changed', fromState: 'configuring', toState: 'analyzing', actorId: user, deviceId: device, details: { groups: 1 } },
  users: { ...base(), name: 'Grace', email: 'grace@example.com', role: 'manager', active: true },
  invitations: { ...base(), email: 'new@example.com', role: 'writer', tokenHash: 'a'.repeat(64), status: 'pending', expiresAt: T + 86_400_000, createdBy: user },
  clientManagers: { ...base(), clientId: id(), managerId: user, assignedAt: T },
  writerLedger: { ...base(), writerId: id(), kind: 'earning', pendingDeltaMinor: 2500, availableDeltaMinor: 0, currency: 'USD', orderItemId: id(), deviceId: device },
  managerEarnings: { ...base(), managerId: user, kind: 'assign', amountMinor: 1000, currency: 'USD', orderId: id(), deviceId: device },
  payouts: { ...base(), payeeId: id(), payeeRole: 'writer', amountMinor: 2500, currency: 'USD', method: 'mobile_money', status: 'pending', requestedAt: T },
  auditLog: {
    ...base(), deviceId: device, seq: 1, at: T, userId: user, appVersion: '0.1.0', action: 'sale.finalise', resourceType: 'sales', resourceId: id(),
    diff: { before: { status: 'draft' }, after: { status: 'finalised' } }, prevHash: '', hash: 'f'.repeat(64),
  },
  locks: { ...base(), kind: 'review', resource: id(), holder: user, holderDeviceId: device, since: T, expiresAt: T + 600_000 },
  shopProfile: {
    id: SHOP_PROFILE_ID, createdAt: T, updatedAt: T, shopName: 'Duka Letu', currency: 'KES', timezone: 'Africa/Nairobi', locale: 'en-KE', invoicePrefix: 'DL',
    taxMode: 'inclusive', defaultTaxRateBp: 1600, cashRoundingMinor: 0, idleLockMinutes: 5, discountLimitBp: 1000, primaryColour: '#112233',
  },
  devices: { id: device, createdAt: T, updatedAt: T, code: 'A1', name: 'Counter 1', kind: 'desktop' },
  backups: { ...base(), path: '/var/backups/cb-1.sqlite', sizeBytes: 123456, sha256: 'ab'.repeat(32), kind: 'hourly', keep: false },
  syncConflicts: { ...base(), collectionName: 'products', docId: id(), localDoc: { priceMinor: 100 }, serverDoc: { priceMinor: 120 }, fields: ['priceMinor'], detectedAt: T, resolved: false },
};

const names = Object.keys(allCollections) as CollectionName[];

type AnyDoc = Record<string, unknown>;

async function writer() {
  const storage: RxStorage<unknown, unknown> = wrappedValidateAjvStorage({ storage: getRxStorageMemory() });
  const instances = new Map<string, RxStorageInstance<AnyDoc, unknown, unknown>>();
  const dbName = 'schematest' + Math.random().toString(36).slice(2);
  return async (name: CollectionName, doc: AnyDoc) => {
    let inst = instances.get(name);
    if (!inst) {
      const schema = fillWithDefaultSettings(allCollections[name].schema as RxJsonSchema<AnyDoc>);
      inst = await storage.createStorageInstance<AnyDoc>({
        databaseInstanceToken: 'test',
        databaseName: dbName,
        collectionName: name,
        schema,
        options: {},
        multiInstance: false,
        devMode: true,
      });
      instances.set(name, inst);
    }
    const res = await inst.bulkWrite([{ document: { ...doc, _deleted: false, _rev: '1-a', _meta: { lwt: Date.now() }, _attachments: {} } as never }], 'schema-test');
    return res.error;
  };
}

describe('collection map', () => {
  it('declares a kind for every collection and separates local ones', () => {
    for (const n of names) expect(['append-only', 'mutable']).toContain(allCollections[n].kind);
    expect(Object.keys(localCollections).sort()).toEqual(['backups', 'syncConflicts']);
    for (const n of Object.keys(localCollections)) expect(Object.keys(collections)).not.toContain(n);
    expect(Object.keys(samples).sort()).toEqual([...names].sort());
  });
  it('ledgers and logs are append-only', () => {
    for (const n of ['creditNotes', 'customerCreditEntries', 'reminderLog', 'drawerMovements', 'dayCloses', 'orderHistory', 'writerLedger', 'managerEarnings', 'auditLog'] as const) {
      expect(collections[n].kind).toBe('append-only');
    }
  });
  it('every schema version above 0 has a migration strategy for each step', () => {
    for (const n of names) {
      const { version } = allCollections[n].schema;
      const steps = Object.keys(allCollections[n].migrationStrategies).map(Number).sort((a, b) => a - b);
      expect(steps, n).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    }
  });
});

describe.each(names)('%s', (name) => {
  const spec = allCollections[name];
  const schema = spec.schema as RxJsonSchema<AnyDoc> & { required: readonly string[]; indexes?: readonly (string | readonly string[])[] };

  it('passes the RxDB dev-mode schema check', () => {
    expect(() => checkSchema(schema)).not.toThrow();
  });

  it('follows the project conventions', () => {
    const props = schema.properties as Record<string, { type?: string; maxLength?: number; multipleOf?: number }>;
    expect(schema.primaryKey).toBe('id');
    expect(props.id?.maxLength).toBe(40);
    expect(schema.additionalProperties).toBe(false);
    for (const f of ['id', 'createdAt', 'updatedAt']) expect(schema.required).toContain(f);
    const indexed = new Set((schema.indexes ?? []).flatMap((i) => (typeof i === 'string' ? [i] : [...i])));
    expect(indexed.has('updatedAt')).toBe(true);
    for (const f of indexed) {
      expect(schema.required, `indexed field ${f} must be required`).toContain(f);
      if (props[f]?.type === 'string') expect(props[f]?.maxLength).toBeGreaterThan(0);
      if (props[f]?.type === 'integer') expect(props[f]?.multipleOf).toBe(1);
    }
    for (const [f, p] of Object.entries(props)) {
      if (f.endsWith('Minor')) expect(p.type, `${f} is money`).toBe('integer');
    }
  });

  it('accepts a valid document and rejects invalid ones through wrappedValidateAjvStorage', async () => {
    const write = await writer();
    const valid = samples[name] as AnyDoc;
    expect(await write(name, valid)).toEqual([]);

    // missing required field
    const firstRequired = schema.required.find((f) => f !== 'id')!;
    const missing: AnyDoc = { ...valid, id: newId() };
    delete missing[firstRequired];
    const errMissing = await write(name, missing);
    expect(errMissing).toHaveLength(1);
    expect(errMissing[0]!.status).toBe(422);

    // unknown field
    expect(await write(name, { ...valid, id: newId(), notAField: 1 })).toHaveLength(1);

    // float money / non-integer numbers
    const props = schema.properties as Record<string, { type?: string }>;
    const moneyField = Object.keys(props).find((f) => f.endsWith('Minor') && props[f]?.type === 'integer' && valid[f] !== undefined);
    const intField = moneyField ?? Object.keys(props).find((f) => props[f]?.type === 'integer' && valid[f] !== undefined)!;
    expect(await write(name, { ...valid, id: newId(), [intField]: 12.5 })).toHaveLength(1);
  });
});

describe('specific rules', () => {
  it('rejects float money inside embedded lines and payments', async () => {
    const write = await writer();
    const sale = samples.sales;
    const badLine = { ...sale, id: newId(), lines: [{ ...sale.lines[0]!, unitPriceMinor: 149.99 }] };
    expect(await write('sales', badLine)).toHaveLength(1);
    const badPay = { ...sale, id: newId(), payments: [{ method: 'cash', amountMinor: 300.5 }] };
    expect(await write('sales', badPay)).toHaveLength(1);
    const badMethod = { ...sale, id: newId(), payments: [{ method: 'cheque', amountMinor: 30000 }] };
    expect(await write('sales', badMethod)).toHaveLength(1);
  });
  it('rejects malformed day keys, currencies and enum values', async () => {
    const write = await writer();
    expect(await write('expenses', { ...samples.expenses, id: newId(), day: '15/01/2025' })).toHaveLength(1);
    expect(await write('expenses', { ...samples.expenses, id: newId(), currency: 'kes' })).toHaveLength(1);
    expect(await write('siteSelections', { ...samples.siteSelections, id: newId(), status: 'maybe' })).toHaveLength(1);
    expect(await write('orders', { ...samples.orders, id: newId(), state: 'shipped' })).toHaveLength(1);
    expect(await write('users', { ...samples.users, id: newId(), role: 'root' })).toHaveLength(1);
  });
  it('accepts signed ledger amounts but not floats', async () => {
    const write = await writer();
    expect(await write('customerCreditEntries', { ...samples.customerCreditEntries, id: newId(), kind: 'repayment', amountMinor: -10000 })).toEqual([]);
    expect(await write('drawerMovements', { ...samples.drawerMovements, id: newId(), kind: 'cash_out', amountMinor: -2500 })).toEqual([]);
    expect(await write('writerLedger', { ...samples.writerLedger, id: newId(), kind: 'release', pendingDeltaMinor: -2500, availableDeltaMinor: 2500 })).toEqual([]);
    expect(await write('writerLedger', { ...samples.writerLedger, id: newId(), availableDeltaMinor: 0.5 })).toHaveLength(1);
  });
});
