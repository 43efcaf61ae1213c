// Test documents for the lock and audit tests (valid against the schemas).
import { newId } from '@shared/ids';

export function sale(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    deviceId: 'device-1',
    registerId: 'till-1',
    cashierId: 'cashier-1',
    customerId: '',
    status: 'draft',
    currency: 'KES',
    taxMode: 'inclusive',
    lines: [
      { lineId: 'l1', productId: '', name: 'Tea 500g', sku: '', quantityMilli: 1000, unitPriceMinor: 450, discountMinor: 0, taxRateBp: 0, taxMinor: 0, totalMinor: 450 },
    ],
    payments: [],
    subtotalMinor: 450,
    discountMinor: 0,
    taxMinor: 0,
    roundingMinor: 0,
    totalMinor: 450,
    changeDueMinor: 0,
    invoiceNumber: '',
    invoiceSeq: 0,
    day: '2026-11-20',
    ...overrides,
  };
}

export function expense(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    amountMinor: 1200,
    currency: 'KES',
    categoryId: '',
    description: 'Milk for the tea',
    day: '2026-11-20',
    deviceId: 'device-1',
    paidFrom: 'other',
    ...overrides,
  };
}

export function drawerMovement(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    deviceId: 'device-1',
    registerId: 'till-1',
    day: '2026-11-20',
    kind: 'cash_in',
    amountMinor: 1000,
    currency: 'KES',
    reason: 'float top-up',
    ...overrides,
  };
}

export function dayClose(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    deviceId: 'device-1',
    registerId: 'till-1',
    day: '2026-11-20',
    currency: 'KES',
    expected: { cashMinor: 0, cardMinor: 0, mobileMoneyMinor: 0, customerCreditMinor: 0 },
    openingFloatMinor: 0,
    cashInMinor: 0,
    cashOutMinor: 0,
    expectedCashMinor: 0,
    countedCashMinor: 0,
    denominations: [],
    differenceMinor: 0,
    salesCount: 0,
    salesTotalMinor: 0,
    taxTotalMinor: 0,
    refundsCount: 0,
    refundsTotalMinor: 0,
    closedBy: 'manager-1',
    closedAt: Date.UTC(2026, 10, 20, 18),
    ...overrides,
  };
}

export function order(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    title: 'Spring links for Acme',
    clientId: 'client-1',
    managerId: 'manager-1',
    state: 'in_progress',
    stateChangedAt: Date.UTC(2026, 10, 1),
    currency: 'USD',
    subtotalMinor: 10000,
    discountMinor: 0,
    totalMinor: 10000,
    linkCount: 5,
    requiresClientReview: false,
    ...overrides,
  };
}

export function orderGroup(overrides: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orderId: 'order-1',
    clientId: 'client-1',
    clientName: 'Acme',
    linkCount: 5,
    targetPages: [],
    anchors: [],
    overrides: {},
    status: 'reviewing',
    ...overrides,
  };
}

export function user(overrides: Record<string, unknown> = {}) {
  return { id: newId(), name: 'Amina Otieno', email: '', role: 'manager', active: true, ...overrides };
}
