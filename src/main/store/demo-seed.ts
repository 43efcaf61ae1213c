// Demo data: fills a store with realistic, deterministic data (same options -> same
// documents, ids included) for development, screenshots and benchmarks.
//
// - shop profile (KES, Africa/Nairobi, tax-inclusive 16%, whole-shilling rounding),
//   this device and its invoice counter, users of every role (no PIN hashes: set one
//   through the auth module to sign in), invitations;
// - ~50 products, ~200 customers, expense categories with keyword rules;
// - N finalised sales over the ~6 months before `now` (weekday and trend weighting,
//   business-hour peaks), 1-5 lines, cash/card/mobile money/split/credit payments, a
//   gap-free invoice series, refunds as credit notes, credit sales with ledger entries,
//   repayments and reminders, drawer movements, expenses, a Z report (dayCloses) for
//   every day, plus two parked sales today;
// - orders in every state with groups, analysed domains, site selections (suggested,
//   approved, rejected, alternate), order items, writers' ledger, manager earnings and
//   payouts, order history.
// No audit entries (the audit module writes those). Documents are inserted with
// bulkInsert in batches of BATCH so a million sales is feasible.
import type { RxCollection } from 'rxdb';
import { addDays, dayKey, dayStart } from '@shared/dates';
import { newIdAt } from '@shared/ids';
import { allocateMinor, basisPointsOf, formatMoney, lineAmountMinor, money, roundToIncrement, taxInclusive } from '@shared/money';
import {
  ORDER_STATES,
  SHOP_PROFILE_ID,
  type AnalyzedDomainDoc,
  type ClientManagerDoc,
  type CollectionDocTypes,
  type CollectionName,
  type CreditNoteDoc,
  type CustomerCreditEntryDoc,
  type CustomerDoc,
  type DayCloseDoc,
  type DrawerMovementDoc,
  type ExpenseCategoryDoc,
  type ExpenseDoc,
  type InvitationDoc,
  type ManagerEarningDoc,
  type OrderDoc,
  type OrderGroupDoc,
  type OrderHistoryDoc,
  type OrderItemDoc,
  type OrderState,
  type PayoutDoc,
  type ProductDoc,
  type ReminderLogDoc,
  type SaleDoc,
  type SaleLine,
  type SalePayment,
  type ShopProfileDoc,
  type SiteSelectionDoc,
  type UserDoc,
  type WriterLedgerDoc,
} from '@shared/schema';
import type { CounterbookDatabase } from './database';

export interface SeedDemoOptions {
  /** Number of finalised sales. */
  sales: number;
  /** PRNG seed (default 42). */
  seed?: number;
  /** "Now" in epoch ms (default Date.now()): data lies in the ~6 months before it. */
  now?: number;
  /** This device: writes the sales, drawer, expenses and day closes. */
  deviceId: string;
  /** Days of history (default 183). */
  days?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedDemoResult {
  counts: Partial<Record<CollectionName, number>>;
  ms: number;
}

export const BATCH = 5_000;

const CURRENCY = 'KES';
const ORDER_CURRENCY = 'USD';
const TZ = 'Africa/Nairobi';
const PREFIX = 'DL';
const DEVICE_CODE = 'A1';
const STANDARD_VAT = 1600;
const ROUND_TO = 100; // whole shillings
const OPENING_FLOAT = 500_000;
const DENOMINATIONS = [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 100];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------
// Deterministic randomness

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32: uniform 32-bit unsigned integer. */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  float(): number {
    return this.u32() / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }
  /** Index drawn with the given cumulative weights. */
  weighted(cumulative: readonly number[]): number {
    const x = this.float() * cumulative[cumulative.length - 1]!;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  private readonly bytes = new Uint8Array(16);
  /** Deterministic UUIDv7 at the given time. */
  id(at: number): string {
    const b = this.bytes;
    for (let i = 0; i < 16; i += 4) {
      const v = this.u32();
      b[i] = v & 0xff;
      b[i + 1] = (v >>> 8) & 0xff;
      b[i + 2] = (v >>> 16) & 0xff;
      b[i + 3] = (v >>> 24) & 0xff;
    }
    return newIdAt(Math.floor(at), b);
  }
}

function cumulative(weights: readonly number[]): number[] {
  let s = 0;
  return weights.map((w) => (s += w));
}

// ---------------------------------------------------------------------------
// Batched writer

type Docs = { [N in CollectionName]?: CollectionDocTypes[N][] };

class Writer {
  private readonly buffers: Docs = {};
  readonly counts: Partial<Record<CollectionName, number>> = {};
  constructor(private readonly db: CounterbookDatabase) {}

  async add<N extends CollectionName>(name: N, doc: CollectionDocTypes[N]): Promise<void> {
    const buf = (this.buffers[name] ??= []) as CollectionDocTypes[N][];
    buf.push(doc);
    if (buf.length >= BATCH) await this.flush(name);
  }

  async flush(name: CollectionName): Promise<void> {
    const buf = this.buffers[name];
    if (!buf || buf.length === 0) return;
    this.buffers[name] = [];
    const collection = this.db.collections[name] as unknown as RxCollection<CollectionDocTypes[typeof name]>;
    const res = await collection.bulkInsert(buf as CollectionDocTypes[typeof name][]);
    if (res.error.length > 0) {
      const e = res.error[0]!;
      const details = 'validationErrors' in e ? JSON.stringify((e as { validationErrors?: unknown }).validationErrors) : '';
      throw new Error(`seedDemo: ${res.error.length} ${name} documents rejected (status ${e.status}) ${details}`);
    }
    this.counts[name] = (this.counts[name] ?? 0) + buf.length;
    // Let the event loop turn: RxDB's document cache releases inserted documents in
    // FinalizationRegistry callbacks, which never run while we only await microtasks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async flushAll(): Promise<void> {
    for (const name of Object.keys(this.buffers) as CollectionName[]) await this.flush(name);
  }

  pending(name: CollectionName): number {
    return this.buffers[name]?.length ?? 0;
  }
}

// ---------------------------------------------------------------------------
// Catalogue data

interface ProductSeed {
  name: string;
  category: string;
  price: number; // whole shillings
  unit?: 'kg';
  zeroRated?: boolean;
}

const PRODUCTS: ProductSeed[] = [
  { name: 'Sugar 1kg', category: 'Groceries', price: 180 },
  { name: 'Maize flour 2kg', category: 'Groceries', price: 210, zeroRated: true },
  { name: 'Wheat flour 2kg', category: 'Groceries', price: 230, zeroRated: true },
  { name: 'Rice (loose)', category: 'Groceries', price: 160, unit: 'kg' },
  { name: 'Beans (loose)', category: 'Groceries', price: 190, unit: 'kg' },
  { name: 'Cooking oil 1L', category: 'Groceries', price: 340 },
  { name: 'Salt 500g', category: 'Groceries', price: 40 },
  { name: 'Tea leaves 250g', category: 'Groceries', price: 150 },
  { name: 'Spaghetti 400g', category: 'Groceries', price: 120 },
  { name: 'Tomato paste 70g', category: 'Groceries', price: 50 },
  { name: 'Milk 500ml', category: 'Dairy & Bakery', price: 65, zeroRated: true },
  { name: 'Yoghurt 250ml', category: 'Dairy & Bakery', price: 90 },
  { name: 'Bread 400g', category: 'Dairy & Bakery', price: 65, zeroRated: true },
  { name: 'Eggs (tray of 30)', category: 'Dairy & Bakery', price: 450, zeroRated: true },
  { name: 'Margarine 250g', category: 'Dairy & Bakery', price: 170 },
  { name: 'Mandazi', category: 'Dairy & Bakery', price: 10 },
  { name: 'Soda 500ml', category: 'Beverages', price: 70 },
  { name: 'Water 1L', category: 'Beverages', price: 60 },
  { name: 'Juice 1L', category: 'Beverages', price: 180 },
  { name: 'Energy drink 250ml', category: 'Beverages', price: 120 },
  { name: 'Instant coffee 50g', category: 'Beverages', price: 260 },
  { name: 'Drinking chocolate 200g', category: 'Beverages', price: 320 },
  { name: 'Crisps 50g', category: 'Snacks', price: 50 },
  { name: 'Biscuits 200g', category: 'Snacks', price: 80 },
  { name: 'Peanuts 100g', category: 'Snacks', price: 40 },
  { name: 'Chocolate bar', category: 'Snacks', price: 100 },
  { name: 'Chewing gum', category: 'Snacks', price: 10 },
  { name: 'Sweets (pack)', category: 'Snacks', price: 30 },
  { name: 'Bar soap 800g', category: 'Household', price: 230 },
  { name: 'Washing powder 1kg', category: 'Household', price: 280 },
  { name: 'Dish liquid 500ml', category: 'Household', price: 150 },
  { name: 'Toilet paper (4 rolls)', category: 'Household', price: 160 },
  { name: 'Matches (10 boxes)', category: 'Household', price: 40 },
  { name: 'Candles (pack of 6)', category: 'Household', price: 90 },
  { name: 'Bleach 750ml', category: 'Household', price: 130 },
  { name: 'Charcoal (loose)', category: 'Household', price: 60, unit: 'kg' },
  { name: 'Toothpaste 100ml', category: 'Personal care', price: 140 },
  { name: 'Toothbrush', category: 'Personal care', price: 60 },
  { name: 'Body lotion 400ml', category: 'Personal care', price: 380 },
  { name: 'Petroleum jelly 250g', category: 'Personal care', price: 150 },
  { name: 'Sanitary pads', category: 'Personal care', price: 110 },
  { name: 'Razor blades (5)', category: 'Personal care', price: 50 },
  { name: 'Exercise book 96pg', category: 'Stationery', price: 45 },
  { name: 'Ballpoint pen', category: 'Stationery', price: 20 },
  { name: 'Pencil', category: 'Stationery', price: 10 },
  { name: 'Airtime 100', category: 'Phone & electronics', price: 100, zeroRated: true },
  { name: 'Phone charger', category: 'Phone & electronics', price: 450 },
  { name: 'Earphones', category: 'Phone & electronics', price: 350 },
  { name: 'AA batteries (2)', category: 'Phone & electronics', price: 90 },
  { name: 'Torch', category: 'Phone & electronics', price: 300 },
  { name: 'Paraffin (loose)', category: 'Household', price: 140, unit: 'kg' },
];

const FIRST = ['Amina', 'Brian', 'Cynthia', 'David', 'Esther', 'Felix', 'Grace', 'Hassan', 'Irene', 'James', 'Joy', 'Kevin', 'Lucy', 'Mercy', 'Njeri', 'Otieno', 'Peter', 'Faith', 'Rose', 'Samuel', 'Tabitha', 'Victor', 'Wanjiru', 'Yusuf', 'Zawadi', 'Achieng', 'Baraka', 'Chebet', 'Daniel', 'Fatuma'];
const LAST = ['Wanjiku', 'Otieno', 'Mwangi', 'Kamau', 'Odhiambo', 'Njoroge', 'Kiptoo', 'Mutua', 'Ochieng', 'Wambui', 'Chege', 'Kariuki', 'Omondi', 'Muthoni', 'Abdi', 'Cheruiyot', 'Akinyi', 'Were', 'Nyambura', 'Juma'];

interface CategorySeed {
  name: string;
  color: string;
  keywords: string[];
  descriptions: string[];
  min: number;
  max: number;
  perDay: number;
}

const EXPENSE_CATEGORIES: CategorySeed[] = [
  { name: 'Utilities', color: '#1e88e5', keywords: ['kplc', 'electricity', 'token', 'water'], descriptions: ['KPLC electricity token', 'Water bill', 'Electricity token top-up'], min: 200, max: 2500, perDay: 0.15 },
  { name: 'Transport', color: '#fb8c00', keywords: ['boda', 'fuel', 'matatu', 'delivery'], descriptions: ['Boda boda to wholesaler', 'Fuel for delivery', 'Matatu fare to town'], min: 50, max: 800, perDay: 0.5 },
  { name: 'Supplies', color: '#43a047', keywords: ['bags', 'packaging', 'receipt roll', 'cleaning'], descriptions: ['Carrier bags', 'Receipt paper rolls', 'Cleaning supplies', 'Packaging paper'], min: 100, max: 1500, perDay: 0.25 },
  { name: 'Wages', color: '#8e24aa', keywords: ['casual', 'wages', 'labour', 'helper'], descriptions: ['Casual labour offloading stock', 'Helper wages', 'Weekend helper'], min: 300, max: 1500, perDay: 0.2 },
  { name: 'Repairs', color: '#6d4c41', keywords: ['repair', 'fundi', 'fix'], descriptions: ['Fundi fixed the shelf', 'Fridge repair', 'Door lock repair'], min: 300, max: 5000, perDay: 0.03 },
  { name: 'Bank & mobile fees', color: '#546e7a', keywords: ['charges', 'fees', 'paybill'], descriptions: ['Paybill charges', 'Bank charges', 'Mobile money withdrawal fees'], min: 30, max: 400, perDay: 0.1 },
  { name: 'Rent', color: '#e53935', keywords: ['rent', 'landlord'], descriptions: ['Shop rent'], min: 25000, max: 25000, perDay: 0 },
];

const WORDS_A = ['green', 'smart', 'daily', 'urban', 'bright', 'happy', 'tech', 'home', 'travel', 'money', 'health', 'pet', 'garden', 'food', 'style', 'auto', 'digital', 'local', 'family', 'fit'];
const WORDS_B = ['hub', 'blog', 'guide', 'insider', 'journal', 'corner', 'lab', 'world', 'times', 'review', 'digest', 'notes', 'zone', 'path', 'daily'];
const TLDS = ['com', 'net', 'org', 'co', 'io', 'co.uk', 'com.au', 'de'];
const CLIENT_NAMES = ['Acme Shoes', 'Safari Tours', 'Nairobi Dental', 'GreenLeaf Tea', 'Kilimo Tools', 'Pwani Resorts', 'BlueWave Swim', 'Mara Lodges', 'UrbanFit Gym', 'Tech4Farm', 'Jenga Builders', 'Lulu Cosmetics'];
const ANCHORS = ['best deals', 'read more', 'official site', 'learn how', 'top rated', 'buy online', 'see the guide', 'compare prices', 'book now', 'expert tips'];

// ---------------------------------------------------------------------------

function ean13(rng: Rng): string {
  const digits = [6, 1, 6, ...Array.from({ length: 9 }, () => rng.int(0, 9))];
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
  return digits.join('') + String((10 - (sum % 10)) % 10);
}

function denominationsFor(amount: number): { valueMinor: number; count: number }[] {
  const out: { valueMinor: number; count: number }[] = [];
  let rest = Math.max(0, amount);
  for (const d of DENOMINATIONS) {
    const count = Math.floor(rest / d);
    if (count > 0) out.push({ valueMinor: d, count });
    rest -= count * d;
  }
  return out;
}

const HOUR_WEIGHTS = cumulative([3, 5, 6, 8, 11, 10, 7, 6, 7, 10, 11, 6]); // 08:00..19:59
const LINE_COUNT_WEIGHTS = cumulative([35, 25, 20, 12, 8]);
const WEEKDAY_FACTOR = [0.6, 0.9, 0.9, 1.0, 1.0, 1.2, 1.4]; // Sun..Sat

/** Fill a store with demo data. Deterministic for equal options. */
export async function seedDemo(db: CounterbookDatabase, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const started = performance.now();
  const totalSales = Math.max(0, Math.floor(options.sales));
  const rng = new Rng(options.seed ?? 42);
  const now = Math.floor(options.now ?? Date.now());
  const deviceId = options.deviceId;
  const days = options.days ?? 183;
  const w = new Writer(db);
  const today = dayKey(now, TZ);
  const firstDay = addDays(today, -days);
  const historyStart = dayStart(firstDay, TZ);
  const progress = options.onProgress;

  // ------------------------------------------------------------------ setup
  const setupAt = historyStart - 30 * DAY;
  const shop: ShopProfileDoc = {
    id: SHOP_PROFILE_ID, createdAt: setupAt, updatedAt: setupAt, shopName: 'Duka Letu Mini-Mart', legalName: 'Duka Letu Enterprises Ltd',
    address: 'Moi Avenue 12, Nairobi', phone: '+254700123456', email: 'hello@dukaletu.example', taxId: 'P051234567X', currency: CURRENCY,
    timezone: TZ, locale: 'en-KE', invoicePrefix: PREFIX, taxMode: 'inclusive', defaultTaxRateBp: STANDARD_VAT, cashRoundingMinor: ROUND_TO,
    primaryColour: '#0b6e4f', secondaryColour: '#f2c14e', receiptFooter: 'Asante! Goods once sold are exchangeable within 7 days with a receipt.',
    idleLockMinutes: 5, discountLimitBp: 1000, refundLimitMinor: 200_000,
  };
  await w.add('shopProfile', shop);
  await w.add('devices', {
    id: deviceId, createdAt: setupAt, updatedAt: setupAt, code: DEVICE_CODE, name: 'Counter 1', kind: 'desktop', platform: 'demo',
    registerId: deviceId, pairedAt: setupAt,
  });

  // users
  const mkUser = (name: string, role: UserDoc['role'], email: string): UserDoc => {
    const at = setupAt + rng.int(0, 20) * DAY;
    return { id: rng.id(at), createdAt: at, updatedAt: at, name, email, role, active: true };
  };
  const admin = mkUser('Wanjiru Kamau', 'admin', 'owner@dukaletu.example');
  const managers = [mkUser('Brian Otieno', 'manager', 'brian@dukaletu.example'), mkUser('Grace Mwangi', 'manager', 'grace@dukaletu.example'), mkUser('Hassan Abdi', 'manager', 'hassan@dukaletu.example')];
  const cashiers = [mkUser('Joy Njeri', 'cashier', ''), mkUser('Peter Kariuki', 'cashier', ''), mkUser('Mercy Akinyi', 'cashier', 'mercy@dukaletu.example')];
  const writers = Array.from({ length: 8 }, (_, i) => mkUser(`${FIRST[(i * 7) % FIRST.length]} ${LAST[(i * 3) % LAST.length]}`, 'writer', `writer${i + 1}@writers.example`));
  const clients = CLIENT_NAMES.map((n, i) => mkUser(n, 'client', `contact${i + 1}@${n.toLowerCase().replace(/[^a-z]/g, '')}.example`));
  const inactive = { ...mkUser('Felix Were', 'cashier', ''), active: false };
  for (const u of [admin, ...managers, ...cashiers, ...writers, ...clients, inactive]) await w.add('users', u);

  const invitation = (email: string, role: InvitationDoc['role'], status: InvitationDoc['status'], at: number): InvitationDoc => ({
    id: rng.id(at), createdAt: at, updatedAt: at, email, role, tokenHash: rng.id(at).replace(/-/g, '') + rng.id(at).replace(/-/g, ''), status,
    expiresAt: at + 7 * DAY, createdBy: admin.id, ...(status === 'used' ? { usedAt: at + DAY } : {}),
  });
  await w.add('invitations', invitation('newwriter@writers.example', 'writer', 'pending', now - DAY));
  await w.add('invitations', invitation('manager4@dukaletu.example', 'manager', 'expired', now - 30 * DAY));
  await w.add('invitations', invitation(managers[2]!.email, 'manager', 'used', setupAt));
  await w.add('invitations', invitation('client13@example.com', 'client', 'revoked', now - 10 * DAY));

  for (const [i, c] of clients.entries()) {
    const cm: ClientManagerDoc = { id: rng.id(c.createdAt), createdAt: c.createdAt, updatedAt: c.createdAt, clientId: c.id, managerId: managers[i % managers.length]!.id, assignedAt: c.createdAt, assignedBy: admin.id };
    await w.add('clientManagers', cm);
  }

  // products
  const products: ProductDoc[] = PRODUCTS.map((p, i) => {
    const at = setupAt + i * 60_000;
    const doc: ProductDoc = {
      id: rng.id(at), createdAt: at, updatedAt: at, name: p.name, sku: `${p.category.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(3, '0')}`,
      barcode: p.unit ? '' : ean13(rng), priceMinor: p.price * 100, costMinor: Math.round(p.price * 0.78) * 100, currency: CURRENCY,
      taxRateBp: p.zeroRated ? 0 : STANDARD_VAT, category: p.category, favourite: i % 4 === 0, active: true,
      unit: p.unit ?? 'each', createdBy: admin.id,
    };
    if (doc.favourite) doc.quickKey = i / 4 + 1;
    return doc;
  });
  const { quickKey: _noKey, ...sugar } = products[0]!;
  products.push({ ...sugar, id: rng.id(setupAt), name: 'Sugar 2kg (discontinued)', sku: 'GRO-900', barcode: ean13(rng), priceMinor: 35_000, active: false, favourite: false });
  for (const p of products) await w.add('products', p);
  const sellable = products.filter((p) => p.active);
  // Popularity: a few products sell a lot (Zipf-like).
  const productWeights = cumulative(sellable.map((_, i) => 1000 / (1 + ((i * 17) % sellable.length))));

  // customers (written at the end, with their reminder statistics)
  const customers: CustomerDoc[] = Array.from({ length: 200 }, (_, i) => {
    const at = setupAt + rng.int(0, 29) * DAY + rng.int(8, 19) * HOUR;
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const c: CustomerDoc = {
      id: rng.id(at), createdAt: at, updatedAt: at, name, phone: `+2547${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      reminderOptOut: rng.chance(0.05), reminderCount: 0, createdBy: cashiers[i % cashiers.length]!.id,
    };
    if (rng.chance(0.3)) c.email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}${i}@mail.example`;
    if (rng.chance(0.4)) c.creditLimitMinor = rng.pick([200_000, 500_000, 1_000_000, 2_000_000]);
    if (rng.chance(0.1)) c.notes = rng.pick(['Prefers M-Pesa', 'Buys for the school canteen', 'Neighbour, pays on Fridays', 'Wholesale buyer']);
    return c;
  });
  const owed = new Map<string, number>();
  const creditCustomers = customers.filter((c) => c.creditLimitMinor !== undefined);

  // expense categories
  const categories: ExpenseCategoryDoc[] = EXPENSE_CATEGORIES.map((c, i) => ({
    id: rng.id(setupAt + i), createdAt: setupAt + i, updatedAt: setupAt + i, name: c.name, color: c.color, keywordRules: c.keywords, active: true, sortOrder: i,
  }));
  for (const c of categories) await w.add('expenseCategories', c);

  // ------------------------------------------------------------------ sales by day
  const dayKeys = Array.from({ length: days }, (_, i) => addDays(firstDay, i));
  const dayWeights = dayKeys.map((k, i) => {
    const dow = new Date(k + 'T12:00:00Z').getUTCDay();
    const trend = 0.8 + (0.4 * i) / Math.max(1, days - 1);
    return Math.max(1, Math.round(1000 * WEEKDAY_FACTOR[dow]! * trend * (0.85 + 0.3 * rng.float())));
  });
  const perDay = totalSales > 0 ? allocateMinor(totalSales, dayWeights) : dayKeys.map(() => 0);

  let invoiceSeq = 0;
  let creditNoteSeq = 0;
  let salesDone = 0;
  const reminderStats = new Map<string, { count: number; last: number }>();

  /** Everything written for one business day of this device; the Z report sums it. */
  interface Day {
    key: string;
    cashierId: string;
    cash: number;
    card: number;
    mobile: number;
    credit: number;
    cashIn: number;
    cashOut: number;
    sales: number;
    salesTotal: number;
    tax: number;
    refunds: number;
    refundsTotal: number;
    /** Sum of the day's drawer movements. */
    drawer: number;
    firstSeq: number;
    lastSeq: number;
  }

  const move = async (day: Day, at: number, kind: DrawerMovementDoc['kind'], amountMinor: number, extra: Partial<DrawerMovementDoc> = {}): Promise<string> => {
    day.drawer += amountMinor;
    if (kind === 'cash_in') day.cashIn += amountMinor;
    if (kind === 'cash_out') day.cashOut -= amountMinor;
    const id = rng.id(at);
    await w.add('drawerMovements', { id, createdAt: at, updatedAt: at, deviceId, registerId: deviceId, day: day.key, kind, amountMinor, currency: CURRENCY, createdBy: day.cashierId, ...extra });
    return id;
  };

  const tenderFor = (total: number): number => {
    if (rng.chance(0.35)) return total;
    const note = [5_000, 10_000, 20_000, 50_000, 100_000].find((d) => d >= total && rng.chance(0.7));
    return note ?? Math.ceil(total / 100_000) * 100_000;
  };

  const mpesaRef = (): string => {
    const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
    let s = 'S';
    for (let i = 0; i < 9; i++) s += chars[rng.int(0, chars.length - 1)];
    return s;
  };

  const cardRef = (): string => String(rng.int(100000, 999999));

  const sell = async (day: Day, t: number): Promise<SaleDoc> => {
    const lineCount = 1 + rng.weighted(LINE_COUNT_WEIGHTS);
    const lines: SaleLine[] = [];
    let subtotal = 0;
    let discount = 0;
    let tax = 0;
    let linesTotal = 0;
    for (let l = 0; l < lineCount; l++) {
      const p = sellable[rng.weighted(productWeights)]!;
      const quantityMilli = p.unit === 'kg' ? rng.int(1, 12) * 250 : (rng.chance(0.75) ? 1 : rng.int(2, 4)) * 1000;
      const gross = lineAmountMinor(p.priceMinor, quantityMilli);
      const disc = rng.chance(0.05) ? roundToIncrement(basisPointsOf(gross, rng.pick([500, 1000])), ROUND_TO) : 0;
      const total = gross - disc;
      const lineTax = taxInclusive(total, p.taxRateBp);
      lines.push({ lineId: String(l + 1), productId: p.id, name: p.name, sku: p.sku, quantityMilli, unitPriceMinor: p.priceMinor, discountMinor: disc, taxRateBp: p.taxRateBp, taxMinor: lineTax, totalMinor: total });
      subtotal += gross;
      discount += disc;
      tax += lineTax;
      linesTotal += total;
    }
    const totalMinor = roundToIncrement(linesTotal, ROUND_TO);
    const id = rng.id(t);
    const payments: SalePayment[] = [];
    let changeDue = 0;
    let customerId = '';
    const roll = rng.float();
    const creditCustomer = roll >= 0.95 && creditCustomers.length > 0 ? rng.pick(creditCustomers) : undefined;
    if (creditCustomer && totalMinor > 0 && (owed.get(creditCustomer.id) ?? 0) + totalMinor <= (creditCustomer.creditLimitMinor ?? 0)) {
      // on credit, sometimes with a cash deposit
      customerId = creditCustomer.id;
      const cashPart = rng.chance(0.3) ? roundToIncrement(Math.floor(totalMinor * 0.4), ROUND_TO) : 0;
      const creditPart = totalMinor - cashPart;
      if (cashPart > 0) payments.push({ method: 'cash', amountMinor: cashPart, tenderedMinor: cashPart });
      if (creditPart > 0) {
        const entryId = rng.id(t);
        const balance = (owed.get(customerId) ?? 0) + creditPart;
        owed.set(customerId, balance);
        payments.push({ method: 'customer_credit', amountMinor: creditPart, creditEntryId: entryId });
        await w.add('customerCreditEntries', {
          id: entryId, createdAt: t, updatedAt: t, customerId, kind: 'sale', amountMinor: creditPart, currency: CURRENCY, saleId: id, balanceAfterMinor: balance,
          day: day.key, deviceId, createdBy: day.cashierId,
        });
      }
    } else if (totalMinor > 0) {
      if (rng.chance(0.3)) customerId = rng.pick(customers).id;
      if (roll < 0.55) {
        const tendered = tenderFor(totalMinor);
        payments.push({ method: 'cash', amountMinor: totalMinor, tenderedMinor: tendered });
        changeDue = tendered - totalMinor;
      } else if (roll < 0.77) {
        payments.push({ method: 'mobile_money', amountMinor: totalMinor, reference: mpesaRef() });
      } else if (roll < 0.89 || totalMinor < 2 * ROUND_TO) {
        payments.push({ method: 'card', amountMinor: totalMinor, reference: cardRef() });
      } else {
        // split: part cash, rest mobile money or card
        const cashPart = Math.max(ROUND_TO, roundToIncrement(Math.floor((totalMinor * rng.int(20, 80)) / 100), ROUND_TO));
        const other = totalMinor - cashPart;
        payments.push({ method: 'cash', amountMinor: cashPart, tenderedMinor: cashPart });
        if (other > 0) payments.push(rng.chance(0.6) ? { method: 'mobile_money', amountMinor: other, reference: mpesaRef() } : { method: 'card', amountMinor: other, reference: cardRef() });
      }
    }
    invoiceSeq++;
    if (day.firstSeq === 0) day.firstSeq = invoiceSeq;
    day.lastSeq = invoiceSeq;
    day.sales++;
    day.salesTotal += totalMinor;
    day.tax += tax;
    let cashPaid = 0;
    for (const pay of payments) {
      if (pay.method === 'cash') {
        day.cash += pay.amountMinor;
        cashPaid += pay.amountMinor;
      } else if (pay.method === 'card') day.card += pay.amountMinor;
      else if (pay.method === 'mobile_money') day.mobile += pay.amountMinor;
      else day.credit += pay.amountMinor;
    }
    if (cashPaid > 0) await move(day, t, 'sale_cash', cashPaid, { saleId: id });
    const sale: SaleDoc = {
      id, createdAt: t - rng.int(20, 240) * 1000, updatedAt: t, deviceId, registerId: deviceId, cashierId: day.cashierId, customerId, status: 'finalised',
      currency: CURRENCY, taxMode: 'inclusive', lines, payments, subtotalMinor: subtotal, discountMinor: discount, taxMinor: tax, roundingMinor: totalMinor - linesTotal,
      totalMinor, changeDueMinor: changeDue, invoiceNumber: `${PREFIX}-${DEVICE_CODE}-${invoiceSeq}`, invoiceSeq, day: day.key, finalisedAt: t,
    };
    await w.add('sales', sale);
    return sale;
  };

  /** Refund one line (or void a one-line sale) later the same day. */
  const refund = async (day: Day, sale: SaleDoc, at: number): Promise<void> => {
    const isVoid = sale.lines.length === 1 && rng.chance(0.3);
    const lines = isVoid ? sale.lines : [sale.lines[rng.int(0, sale.lines.length - 1)]!];
    const creditLines: CreditNoteDoc['lines'] = lines.map((l) => ({
      saleLineId: l.lineId, productId: l.productId, name: l.name, sku: l.sku, quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor,
      discountMinor: l.discountMinor, taxRateBp: l.taxRateBp, taxMinor: l.taxMinor, totalMinor: l.totalMinor, restock: true,
    }));
    const linesTotal = creditLines.reduce((s, l) => s + l.totalMinor, 0);
    const total = isVoid ? sale.totalMinor : roundToIncrement(linesTotal, ROUND_TO);
    if (total <= 0) return;
    creditNoteSeq++;
    const id = rng.id(at);
    const number = `${PREFIX}-CN-${DEVICE_CODE}-${creditNoteSeq}`;
    const refunds: SalePayment[] = [];
    const onCredit = sale.payments.find((p) => p.method === 'customer_credit');
    let cashBack = total;
    if (onCredit && sale.customerId) {
      // reduce what the customer owes first, pay the rest back in cash
      const amount = Math.min(total, onCredit.amountMinor);
      const balance = (owed.get(sale.customerId) ?? 0) - amount;
      owed.set(sale.customerId, balance);
      const entryId = rng.id(at);
      refunds.push({ method: 'customer_credit', amountMinor: amount, creditEntryId: entryId });
      await w.add('customerCreditEntries', {
        id: entryId, createdAt: at, updatedAt: at, customerId: sale.customerId, kind: 'adjustment', amountMinor: -amount, currency: CURRENCY, saleId: sale.id,
        note: `Credit note ${number}`, balanceAfterMinor: balance, day: day.key, deviceId, createdBy: day.cashierId,
      });
      day.credit -= amount;
      cashBack = total - amount;
    }
    if (cashBack > 0) {
      refunds.push({ method: 'cash', amountMinor: cashBack });
      day.cash -= cashBack;
      await move(day, at + 1, 'refund_cash', -cashBack, { creditNoteId: id, saleId: sale.id, reason: `Refund ${number}` });
    }
    day.refunds++;
    day.refundsTotal += total;
    await w.add('creditNotes', {
      id, createdAt: at, updatedAt: at, kind: isVoid ? 'void' : 'refund', saleId: sale.id, saleInvoiceNumber: sale.invoiceNumber, deviceId, registerId: deviceId,
      cashierId: day.cashierId, customerId: sale.customerId, currency: CURRENCY, taxMode: 'inclusive', lines: creditLines, refunds,
      subtotalMinor: creditLines.reduce((s, l) => s + lineAmountMinor(l.unitPriceMinor, l.quantityMilli), 0),
      discountMinor: creditLines.reduce((s, l) => s + l.discountMinor, 0), taxMinor: creditLines.reduce((s, l) => s + l.taxMinor, 0),
      roundingMinor: total - linesTotal, totalMinor: total,
      reason: rng.pick(['Damaged packaging', 'Wrong item', 'Customer changed mind', 'Expired product', 'Rung up twice']), approvedBy: managers[0]!.id,
      number, seq: creditNoteSeq, day: day.key,
    });
  };

  for (const [di, key] of dayKeys.entries()) {
    const start = dayStart(key, TZ);
    const end = dayStart(addDays(key, 1), TZ);
    const day: Day = {
      key, cashierId: cashiers[di % cashiers.length]!.id, cash: 0, card: 0, mobile: 0, credit: 0, cashIn: 0, cashOut: 0, sales: 0, salesTotal: 0, tax: 0,
      refunds: 0, refundsTotal: 0, drawer: 0, firstSeq: 0, lastSeq: 0,
    };
    const closeAt = Math.min(end - 1, start + 20 * HOUR + rng.int(5, 40) * 60_000);
    await move(day, start + 7 * HOUR + 45 * 60_000, 'opening_float', OPENING_FLOAT, { reason: 'Opening float' });

    // the day's sales, in time order (business hours with lunch and evening peaks)
    const n = perDay[di]!;
    const times = new Array<number>(n);
    for (let i = 0; i < n; i++) times[i] = Math.min(end - 1, start + (8 + rng.weighted(HOUR_WEIGHTS)) * HOUR + Math.floor(rng.float() * HOUR));
    times.sort((a, b) => a - b);
    for (const t of times) {
      const sale = await sell(day, t);
      salesDone++;
      if (progress && salesDone % BATCH === 0) progress(salesDone, totalSales);
      if (rng.chance(1 / 120)) await refund(day, sale, Math.min(closeAt - 60_000, t + rng.int(5, 120) * 60_000));
    }

    // credit repayments and reminders
    for (const c of creditCustomers) {
      const balance = owed.get(c.id) ?? 0;
      if (balance <= 0) continue;
      if (rng.chance(0.06)) {
        const at = start + rng.int(9, 18) * HOUR + rng.int(0, 59) * 60_000;
        const amount = Math.min(balance, Math.max(ROUND_TO, roundToIncrement(Math.floor((balance * rng.int(30, 100)) / 100), ROUND_TO)));
        const method = rng.pick(['cash', 'cash', 'mobile_money'] as const);
        const entry: CustomerCreditEntryDoc = {
          id: rng.id(at), createdAt: at, updatedAt: at, customerId: c.id, kind: 'repayment', amountMinor: -amount, currency: CURRENCY, saleId: '',
          paymentMethod: method, balanceAfterMinor: balance - amount, day: key, deviceId, createdBy: day.cashierId,
          ...(method === 'mobile_money' ? { reference: mpesaRef() } : {}),
        };
        owed.set(c.id, balance - amount);
        await w.add('customerCreditEntries', entry);
        if (method === 'cash') await move(day, at + 1, 'cash_in', amount, { creditEntryId: entry.id, reason: `Credit repayment ${c.name}` });
      } else if (!c.reminderOptOut && rng.chance(0.02)) {
        const at = start + 10 * HOUR;
        const stat = reminderStats.get(c.id) ?? { count: 0, last: 0 };
        const failed = rng.chance(0.1);
        await w.add('reminderLog', {
          id: rng.id(at), createdAt: at, updatedAt: at, customerId: c.id, channel: 'whatsapp', status: failed ? 'failed' : 'sent', balanceMinor: balance, currency: CURRENCY,
          message: `Hello ${c.name.split(' ')[0]}, a friendly reminder: your balance at Duka Letu is ${formatMoney(money(balance, CURRENCY), 'en-KE')}.`, deviceId, createdBy: day.cashierId,
          ...(failed ? { error: 'Recipient not on WhatsApp' } : {}),
        } satisfies ReminderLogDoc);
        reminderStats.set(c.id, { count: stat.count + 1, last: at });
      }
    }

    // expenses (rent on the 1st, the rest at random)
    for (const [ci, cat] of EXPENSE_CATEGORIES.entries()) {
      const due = cat.name === 'Rent' ? key.endsWith('-01') : rng.chance(cat.perDay);
      if (!due) continue;
      const at = start + rng.int(8, 19) * HOUR + rng.int(0, 59) * 60_000;
      const amount = rng.int(cat.min, cat.max) * 100;
      const cash = cat.name !== 'Rent' && rng.chance(0.65);
      const exp: ExpenseDoc = {
        id: rng.id(at), createdAt: at, updatedAt: at, amountMinor: amount, currency: CURRENCY, categoryId: rng.chance(0.92) ? categories[ci]!.id : '',
        description: rng.pick(cat.descriptions), day: key, deviceId, paidFrom: cash ? 'cash' : 'other', createdBy: day.cashierId,
        ...(cat.name === 'Rent' ? { vendor: 'Moi Avenue Properties', reference: `RENT-${key.slice(0, 7)}` } : {}),
      };
      if (cash) exp.drawerMovementId = await move(day, at, 'cash_out', -amount, { expenseId: exp.id, reason: exp.description });
      await w.add('expenses', exp);
    }

    // cash drop to the bank on busy days
    if (day.drawer > 3 * OPENING_FLOAT) {
      const drop = Math.floor((day.drawer - 2 * OPENING_FLOAT) / 100_000) * 100_000;
      if (drop > 0) await move(day, closeAt - 10 * 60_000, 'cash_out', -drop, { reason: 'Cash drop to bank' });
    }

    // Z report: counted cash mostly matches
    const difference = rng.chance(0.85) ? 0 : rng.pick([-10_000, -5_000, -1_000, 1_000, 2_000]);
    const counted = Math.max(0, day.drawer + difference);
    await w.add('dayCloses', {
      id: rng.id(closeAt), createdAt: closeAt, updatedAt: closeAt, deviceId, registerId: deviceId, day: key, currency: CURRENCY,
      expected: { cashMinor: day.cash, cardMinor: day.card, mobileMoneyMinor: day.mobile, customerCreditMinor: day.credit },
      openingFloatMinor: OPENING_FLOAT, cashInMinor: day.cashIn, cashOutMinor: day.cashOut, expectedCashMinor: day.drawer, countedCashMinor: counted,
      denominations: denominationsFor(counted), differenceMinor: counted - day.drawer, salesCount: day.sales, salesTotalMinor: day.salesTotal, taxTotalMinor: day.tax,
      refundsCount: day.refunds, refundsTotalMinor: day.refundsTotal, closedBy: day.cashierId, closedAt: closeAt,
      ...(day.firstSeq > 0 ? { firstInvoiceSeq: day.firstSeq, lastInvoiceSeq: day.lastSeq } : {}),
      ...(counted !== day.drawer ? { note: counted < day.drawer ? 'Short, counted twice' : 'Over, customer left change' } : {}),
    } satisfies DayCloseDoc);
  }

  // two parked sales today for the parked list
  for (let i = 0; i < 2; i++) {
    const at = now - (i + 1) * 7 * 60_000;
    const p = sellable[i * 3]!;
    await w.add('sales', {
      id: rng.id(at), createdAt: at, updatedAt: at, deviceId, registerId: deviceId, cashierId: cashiers[0]!.id, customerId: '', status: 'parked', currency: CURRENCY,
      taxMode: 'inclusive', lines: [{ lineId: '1', productId: p.id, name: p.name, sku: p.sku, quantityMilli: 1000, unitPriceMinor: p.priceMinor, discountMinor: 0, taxRateBp: p.taxRateBp, taxMinor: taxInclusive(p.priceMinor, p.taxRateBp), totalMinor: p.priceMinor }],
      payments: [], subtotalMinor: p.priceMinor, discountMinor: 0, taxMinor: taxInclusive(p.priceMinor, p.taxRateBp), roundingMinor: 0, totalMinor: p.priceMinor, changeDueMinor: 0,
      invoiceNumber: '', invoiceSeq: 0, day: today, parkedLabel: i === 0 ? 'Lady in red, back in 5 min' : 'Fundi order',
    });
  }

  await w.add('invoiceCounters', { id: deviceId, createdAt: setupAt, updatedAt: now, deviceId, lastInvoiceSeq: invoiceSeq, lastCreditNoteSeq: creditNoteSeq });

  for (const c of customers) {
    const stat = reminderStats.get(c.id);
    await w.add('customers', stat ? { ...c, reminderCount: stat.count, lastReminderAt: stat.last, updatedAt: Math.max(c.updatedAt, stat.last) } : c);
  }

  // ------------------------------------------------------------------ orders
  await seedOrders(w, rng, { now, admin, managers, writers, clients, deviceId });

  await w.flushAll();
  progress?.(totalSales, totalSales);
  return { counts: w.counts, ms: Math.round(performance.now() - started) };
}

// ---------------------------------------------------------------------------

interface OrderContext {
  now: number;
  admin: UserDoc;
  managers: UserDoc[];
  writers: UserDoc[];
  clients: UserDoc[];
  deviceId: string;
}

async function seedOrders(w: Writer, rng: Rng, ctx: OrderContext): Promise<void> {
  const { now, managers, writers, clients, deviceId } = ctx;
  const writerBalance = new Map<string, { pending: number; available: number }>();
  const usedDomains = new Set<string>();
  const domainName = (): string => {
    for (;;) {
      const d = `${rng.pick(WORDS_A)}${rng.pick(WORDS_B)}${rng.chance(0.3) ? rng.int(1, 99) : ''}.${rng.pick(TLDS)}`;
      if (!usedDomains.has(d)) {
        usedDomains.add(d);
        return d;
      }
    }
  };
  const ledger = async (writerId: string, at: number, kind: WriterLedgerDoc['kind'], pendingDelta: number, availableDelta: number, extra: Partial<WriterLedgerDoc>) => {
    const b = writerBalance.get(writerId) ?? { pending: 0, available: 0 };
    b.pending += pendingDelta;
    b.available += availableDelta;
    writerBalance.set(writerId, b);
    await w.add('writerLedger', {
      id: rng.id(at), createdAt: at, updatedAt: at, writerId, kind, pendingDeltaMinor: pendingDelta, availableDeltaMinor: availableDelta, currency: ORDER_CURRENCY,
      orderItemId: '', pendingAfterMinor: b.pending, availableAfterMinor: b.available, deviceId, createdBy: ctx.admin.id, ...extra,
    });
  };
  const managerEarning = async (managerId: string, at: number, kind: ManagerEarningDoc['kind'], amountMinor: number, orderId: string, orderItemId?: string) => {
    await w.add('managerEarnings', {
      id: rng.id(at), createdAt: at, updatedAt: at, managerId, kind, amountMinor, currency: ORDER_CURRENCY, orderId, ...(orderItemId ? { orderItemId } : {}), deviceId, createdBy: managerId,
    });
  };

  let orderNo = 0;
  for (const [stateIndex, state] of ORDER_STATES.entries()) {
    for (let k = 0; k < 6; k++) {
      orderNo++;
      const createdAt = now - rng.int(5 + (ORDER_STATES.length - stateIndex) * 8, 40 + (ORDER_STATES.length - stateIndex) * 12) * 86_400_000;
      const step = Math.floor((now - createdAt) / (ORDER_STATES.length + 1));
      const stateAt = (i: number) => createdAt + i * step + rng.int(0, 3_600_000);
      const orderId = rng.id(createdAt);
      const managerId = stateIndex === 0 && k % 2 === 0 ? '' : managers[orderNo % managers.length]!.id;
      const reached = (s: OrderState) => ORDER_STATES.indexOf(s) <= stateIndex;
      const groupCount = rng.int(1, 3);
      const groupClients = Array.from({ length: groupCount }, (_, g) => clients[(orderNo * 3 + g) % clients.length]!);
      let subtotal = 0;
      let links = 0;

      // history
      await w.add('orderHistory', { id: rng.id(createdAt), createdAt, updatedAt: createdAt, orderId, action: 'created', toState: 'configuring', actorId: managerId || ctx.admin.id, deviceId } satisfies OrderHistoryDoc);
      for (let s = 1; s <= stateIndex; s++) {
        const at = stateAt(s);
        await w.add('orderHistory', { id: rng.id(at), createdAt: at, updatedAt: at, orderId, action: 'state_changed', fromState: ORDER_STATES[s - 1]!, toState: ORDER_STATES[s]!, actorId: managerId || ctx.admin.id, deviceId });
      }

      for (const [g, client] of groupClients.entries()) {
        const groupAt = createdAt + g * 60_000;
        const groupId = rng.id(groupAt);
        const linkCount = rng.int(1, 4);
        links += linkCount;
        const site = client.name.toLowerCase().replace(/[^a-z]/g, '');
        const group: OrderGroupDoc = {
          id: groupId, createdAt: groupAt, updatedAt: stateAt(stateIndex), orderId, clientId: client.id, clientName: client.name, linkCount,
          targetPages: Array.from({ length: rng.int(1, 3) }, (_, i) => ({ url: `https://${site}.example/${['services', 'blog/guide', 'shop', 'about', 'offers'][i]}` })),
          anchors: Array.from({ length: rng.int(2, 4) }, () => rng.pick(ANCHORS)),
          overrides: rng.chance(0.5) ? { minDr: rng.pick([20, 30, 40]), minTraffic: rng.pick([1000, 5000]) } : {},
          status: !reached('analyzing') ? 'pending' : !reached('reviewing') ? 'analyzing' : !reached('payment_pending') ? 'reviewing' : !reached('in_progress') ? 'approved' : state === 'completed' ? 'completed' : 'in_progress',
          ...(reached('analyzing') ? { analysisStartedAt: stateAt(1) } : {}),
          ...(reached('reviewing') ? { analysisCompletedAt: stateAt(2) } : {}),
        };
        await w.add('orderGroups', group);
        if (!reached('analyzing')) continue;

        // analysed domains
        const domains: AnalyzedDomainDoc[] = [];
        const domainCount = linkCount * 2 + rng.int(2, 5);
        for (let d = 0; d < domainCount; d++) {
          const at = stateAt(1) + d * 1000;
          const done = reached('reviewing') || rng.chance(0.5);
          const dr = rng.int(5, 85);
          const doc: AnalyzedDomainDoc = {
            id: rng.id(at), createdAt: at, updatedAt: done ? stateAt(2) : at, orderId, groupId, domain: domainName(),
            metrics: done ? { dr, traffic: rng.int(100, 400_000), referringDomains: rng.int(10, 5000), spamScore: rng.int(0, 30), priceMinor: (50 + dr * 4 + rng.int(0, 100)) * 100, niche: rng.pick(WORDS_A), language: 'en' } : {},
            status: !done ? 'pending' : reached('reviewing') ? (d <= linkCount + 1 || (dr >= 40 && d <= linkCount * 2) ? 'qualified' : 'disqualified') : 'analyzed',
            ...(done ? { analyzedAt: stateAt(2) } : {}),
          };
          domains.push(doc);
          await w.add('analyzedDomains', doc);
        }
        if (!reached('reviewing')) continue;

        // site selections: suggest the qualified ones
        const qualified = domains.filter((d) => d.status === 'qualified');
        const reviewer = managerId || managers[0]!.id;
        const reviewedAt = stateAt(3);
        const selections: SiteSelectionDoc[] = [];
        for (const [i, d] of qualified.entries()) {
          const at = stateAt(2) + i * 1000;
          const reviewDone = reached('payment_pending') || (state === 'reviewing' && i < qualified.length / 2);
          let status: SiteSelectionDoc['status'] = 'suggested';
          if (reviewDone) status = i < linkCount ? 'approved' : i === linkCount ? 'alternate' : 'rejected';
          const sel: SiteSelectionDoc = {
            id: rng.id(at), createdAt: at, updatedAt: reviewDone ? reviewedAt : at, orderId, groupId, domainId: d.id, domain: d.domain, status,
            priceMinor: d.metrics.priceMinor ?? 10_000, currency: ORDER_CURRENCY, createdBy: reviewer,
            ...(reviewDone ? { reviewerId: reviewer, reviewedAt } : {}),
            ...(status === 'approved' ? { targetPageUrl: group.targetPages[i % group.targetPages.length]!.url, anchorText: group.anchors[i % group.anchors.length]! } : {}),
            ...(status === 'rejected' ? { clientNotes: rng.pick(['Not relevant to our niche', 'Too expensive', 'Competitor links there']) } : {}),
            ...(status === 'approved' && rng.chance(0.3) ? { internalNotes: 'Publisher replies within 48h' } : {}),
          };
          selections.push(sel);
        }
        // an alternate points at the first approved selection
        const firstApproved = selections.find((s) => s.status === 'approved');
        for (const s of selections) if (s.status === 'alternate' && firstApproved) s.alternateOf = firstApproved.id;

        const approved = selections.filter((s) => s.status === 'approved');
        if (!reached('payment_pending')) {
          subtotal += approved.reduce((s, x) => s + x.priceMinor, 0);
        }
        for (const [i, sel] of approved.entries()) {
          if (!reached('payment_pending')) break;
          const at = stateAt(3) + i * 1000;
          const itemId = rng.id(at);
          sel.orderItemId = itemId;
          subtotal += sel.priceMinor;
          let itemStatus: OrderItemDoc['status'] = 'pending';
          if (state === 'completed') itemStatus = 'published';
          else if (state === 'in_progress') itemStatus = rng.pick(['assigned', 'writing', 'submitted', 'published'] as const);
          const writer = itemStatus === 'pending' ? undefined : writers[(orderNo + i) % writers.length]!;
          const fee = Math.round((sel.priceMinor * 0.4) / 100) * 100;
          const item: OrderItemDoc = {
            id: itemId, createdAt: at, updatedAt: stateAt(stateIndex), orderId, groupId, selectionId: sel.id, domain: sel.domain, targetPage: sel.targetPageUrl ?? group.targetPages[0]!.url,
            anchor: sel.anchorText ?? group.anchors[0]!, priceMinor: sel.priceMinor, writerFeeMinor: fee, currency: ORDER_CURRENCY, writerId: writer?.id ?? '', status: itemStatus,
            ...(writer ? { assignedAt: stateAt(4) } : {}),
            ...(itemStatus === 'submitted' || itemStatus === 'published' ? { submittedAt: stateAt(5) - 3_600_000 } : {}),
            ...(itemStatus === 'published' ? { publishedAt: stateAt(5), publishedUrl: `https://${sel.domain}/${['guide', 'tips', 'review'][i % 3]}-${orderNo}-${i}` } : {}),
          };
          await w.add('orderItems', item);
          if (writer && managerId) await managerEarning(managerId, stateAt(4), 'assign', 1000, orderId, itemId);
          if (writer && (itemStatus === 'submitted' || itemStatus === 'published')) {
            await ledger(writer.id, stateAt(5) - 3_600_000, 'earning', fee, 0, { orderItemId: itemId });
            if (managerId) await managerEarning(managerId, stateAt(5) - 3_600_000, 'submit', 1500, orderId, itemId);
          }
          if (writer && state === 'completed') await ledger(writer.id, stateAt(6), 'release', -fee, fee, { orderItemId: itemId, note: 'Order completed' });
        }
        for (const s of selections) await w.add('siteSelections', s);
      }

      const discount = subtotal > 100_000 && rng.chance(0.3) ? Math.round(subtotal * 0.05 / 100) * 100 : 0;
      const order: OrderDoc = {
        id: orderId, createdAt, updatedAt: stateAt(stateIndex), title: `${groupClients[0]!.name} ${['spring', 'summer', 'Q3', 'launch', 'evergreen', 'local SEO'][orderNo % 6]} links`,
        clientId: groupClients[0]!.id, managerId, state, stateChangedAt: stateAt(stateIndex), currency: ORDER_CURRENCY, subtotalMinor: subtotal, discountMinor: discount,
        totalMinor: subtotal - discount, linkCount: links, requiresClientReview: k % 3 !== 0, createdBy: managerId || ctx.admin.id,
        ...(reached('payment_pending') ? { reviewCompletedAt: stateAt(3) } : {}),
      };
      await w.add('orders', order);
    }
  }

  // payouts: writers with an available balance get paid (one stays pending)
  let p = 0;
  for (const [writerId, b] of writerBalance) {
    if (b.available <= 0) continue;
    const at = now - rng.int(1, 5) * 86_400_000;
    const paid = p++ % 3 !== 2;
    const amount = paid ? b.available : Math.max(100, Math.floor(b.available / 2 / 100) * 100);
    const payout: PayoutDoc = {
      id: rng.id(at), createdAt: at, updatedAt: at, payeeId: writerId, payeeRole: 'writer', amountMinor: amount, currency: ORDER_CURRENCY,
      method: rng.pick(['bank', 'mobile_money', 'paypal'] as const), status: paid ? 'paid' : 'pending', requestedAt: at, createdBy: ctx.admin.id,
      ...(paid ? { paidAt: at + 3_600_000, reference: `PAY-${rng.int(100000, 999999)}` } : {}),
    };
    await w.add('payouts', payout);
    if (paid) await ledger(writerId, at + 3_600_000, 'payout', 0, -amount, { payoutId: payout.id });
  }
}
