// Products and customers at the counter: search as you type (in-memory indexes kept
// current from the change streams), barcode lookup, quick keys, and their edits
// through the write path.
import { ApiError } from '@shared/api/errors';
import type { Customer, Product } from '@shared/api/ops/counter-sales';
import { newId } from '@shared/ids';
import { SHOP_PROFILE_ID, type CustomerDoc, type ProductDoc } from '@shared/schema';
import type { CoreServices } from '../../core/core';
import type { Actor } from '../../store/write-path';
import { SearchIndex, fold } from './search-index';

export function toProduct(p: ProductDoc): Product {
  const out: Product = {
    id: p.id,
    name: p.name,
    sku: p.sku,
    barcode: p.barcode,
    priceMinor: p.priceMinor,
    currency: p.currency,
    taxRateBp: p.taxRateBp,
    category: p.category,
    favourite: p.favourite,
    unit: p.unit ?? 'each',
    active: p.active,
    updatedAt: p.updatedAt,
  };
  if (p.costMinor !== undefined) out.costMinor = p.costMinor;
  if (p.quickKey !== undefined) out.quickKey = p.quickKey;
  return out;
}

export function toCustomer(c: CustomerDoc): Customer {
  const out: Customer = {
    id: c.id,
    name: c.name,
    phone: c.phone,
    email: c.email ?? '',
    notes: c.notes ?? '',
    reminderOptOut: c.reminderOptOut,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
  if (c.creditLimitMinor !== undefined) out.creditLimitMinor = c.creditLimitMinor;
  return out;
}

const digits = (s: string) => s.replace(/[^0-9]/g, '');

export type ProductPatch = Partial<Pick<ProductDoc, 'name' | 'sku' | 'barcode' | 'priceMinor' | 'costMinor' | 'taxRateBp' | 'category' | 'favourite' | 'unit' | 'active'>> & {
  quickKey?: number | null;
};

export type CustomerPatch = Partial<Pick<CustomerDoc, 'name' | 'phone' | 'email' | 'notes' | 'reminderOptOut'>> & { creditLimitMinor?: number | null };

export class Catalog {
  readonly products: SearchIndex<ProductDoc>;
  readonly customers: SearchIndex<CustomerDoc>;

  constructor(private readonly core: CoreServices) {
    const db = core.store.db;
    this.products = new SearchIndex<ProductDoc>(db.collections.products as never, (doc) => {
      const keys = [doc.barcode, doc.sku].filter(Boolean).map(fold);
      return { doc, name: fold(doc.name), keys, haystack: fold([doc.name, doc.sku, doc.barcode, doc.category].join(' ')) };
    });
    this.customers = new SearchIndex<CustomerDoc>(db.collections.customers as never, (doc) => {
      const phone = digits(doc.phone);
      const keys = [phone, phone.length > 9 ? phone.slice(-9) : '', fold(doc.email ?? '')].filter(Boolean);
      return { doc, name: fold(doc.name), keys, haystack: fold([doc.name, doc.phone, phone, doc.email ?? ''].join(' ')) };
    });
  }

  stop(): void {
    this.products.stop();
    this.customers.stop();
  }

  // ---------------------------------------------------------------- products

  async searchProducts(input: { query: string; category?: string | undefined; includeInactive: boolean; limit: number }): Promise<Product[]> {
    const category = input.category !== undefined ? fold(input.category) : undefined;
    const found = await this.products.search(input.query, input.limit, (p) => (input.includeInactive || p.active) && (category === undefined || fold(p.category) === category));
    return found.map(toProduct);
  }

  /** The active product whose barcode (or, failing that, SKU) is exactly this. */
  async byBarcode(barcode: string): Promise<Product> {
    const code = barcode.trim();
    const all = await this.products.all();
    const match = all.find((e) => e.doc.active && e.doc.barcode === code) ?? all.find((e) => e.doc.active && e.doc.sku !== '' && fold(e.doc.sku) === fold(code));
    if (!match) {
      const inactive = all.find((e) => e.doc.barcode === code);
      if (inactive) throw new ApiError('NOT_FOUND', `${inactive.doc.name} (barcode ${code}) is no longer sold. A manager can re-activate it in the catalogue.`);
      throw new ApiError('NOT_FOUND', `No product with barcode ${code}. Check the code, or add the item as an open line.`);
    }
    return toProduct(match.doc);
  }

  async quickKeys(): Promise<Product[]> {
    const all = await this.products.all();
    return all
      .filter((e) => e.doc.active && e.doc.favourite)
      .sort((a, b) => (a.doc.quickKey ?? 100) - (b.doc.quickKey ?? 100) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((e) => toProduct(e.doc));
  }

  private async assertUnique(productId: string, p: { barcode: string; sku: string; quickKey?: number | undefined; active: boolean }): Promise<void> {
    if (!p.active) return;
    for (const e of await this.products.all()) {
      const o = e.doc;
      if (o.id === productId || !o.active) continue;
      if (p.barcode && o.barcode === p.barcode) throw new ApiError('CONFLICT', `Barcode ${p.barcode} is already used by ${o.name}.`, [{ path: 'barcode', message: `Already used by ${o.name}.` }]);
      if (p.sku && fold(o.sku) === fold(p.sku)) throw new ApiError('CONFLICT', `SKU ${p.sku} is already used by ${o.name}.`, [{ path: 'sku', message: `Already used by ${o.name}.` }]);
      if (p.quickKey !== undefined && o.favourite && o.quickKey === p.quickKey) {
        throw new ApiError('CONFLICT', `Quick key ${p.quickKey} is already ${o.name}.`, [{ path: 'quickKey', message: `Already ${o.name}.` }]);
      }
    }
  }

  async createProduct(
    actor: Actor,
    input: { id?: string | undefined; name: string; sku: string; barcode: string; priceMinor: number; costMinor?: number | undefined; taxRateBp?: number | undefined; category: string; favourite: boolean; quickKey?: number | null | undefined; unit: ProductDoc['unit'] & string },
  ): Promise<Product> {
    const id = input.id ?? newId();
    await this.assertUnique(id, { barcode: input.barcode, sku: input.sku, quickKey: input.quickKey ?? undefined, active: true });
    const doc = await this.core.writes.run({ action: 'product.create', actor }, async (tx) => {
      const shop = await tx.get('shopProfile', SHOP_PROFILE_ID);
      if (!shop) throw new ApiError('CONFLICT', 'Set up the shop first (currency and tax).');
      const product: Omit<ProductDoc, 'createdAt' | 'updatedAt'> = {
        id,
        name: input.name,
        sku: input.sku,
        barcode: input.barcode,
        priceMinor: input.priceMinor,
        currency: shop.currency,
        taxRateBp: input.taxRateBp ?? shop.defaultTaxRateBp,
        category: input.category,
        favourite: input.favourite || (input.quickKey !== undefined && input.quickKey !== null),
        unit: input.unit,
        active: true,
        createdBy: actor.userId,
      };
      if (input.costMinor !== undefined) product.costMinor = input.costMinor;
      if (input.quickKey !== undefined && input.quickKey !== null) product.quickKey = input.quickKey;
      return tx.insert('products', product);
    });
    return toProduct(doc);
  }

  async updateProduct(actor: Actor, productId: string, patch: ProductPatch, action = 'product.update'): Promise<Product> {
    const current = await this.products.get(productId);
    if (!current) throw new ApiError('NOT_FOUND', 'No such product.');
    const { quickKey, ...rest } = patch;
    const next: ProductDoc = { ...current };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    if (quickKey === null) delete next.quickKey;
    else if (quickKey !== undefined) {
      next.quickKey = quickKey;
      if (patch.favourite === undefined) next.favourite = true;
    }
    if (!next.favourite) delete next.quickKey;
    await this.assertUnique(productId, { barcode: next.barcode, sku: next.sku, quickKey: quickKey !== undefined ? (next.quickKey ?? undefined) : undefined, active: next.active });
    const doc = await this.core.writes.run({ action, actor }, async (tx) =>
      tx.update('products', productId, (p) => {
        const merged: ProductDoc = { ...p };
        for (const [k, v] of Object.entries(rest)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
        merged.favourite = next.favourite;
        if (next.quickKey === undefined) delete merged.quickKey;
        else merged.quickKey = next.quickKey;
        return merged;
      }),
    );
    return toProduct(doc);
  }

  // ---------------------------------------------------------------- customers

  async searchCustomers(query: string, limit: number): Promise<Customer[]> {
    let q = query;
    // "0712 345 678", "+254712345678": match on the digits too.
    const d = digits(query);
    if (d.length >= 6 && d.length >= query.replace(/\s/g, '').length - 1) q = d.length > 9 ? d.slice(-9) : d;
    const found = await this.customers.search(q, limit);
    return found.map(toCustomer);
  }

  async createCustomer(actor: Actor, input: { id?: string | undefined; name: string; phone: string; email: string; notes: string; creditLimitMinor?: number | null | undefined; reminderOptOut: boolean }): Promise<Customer> {
    const doc = await this.core.writes.run({ action: 'customer.create', actor }, async (tx) => {
      const customer: Omit<CustomerDoc, 'createdAt' | 'updatedAt'> = {
        id: input.id ?? newId(),
        name: input.name,
        phone: input.phone,
        email: input.email.toLowerCase(),
        notes: input.notes,
        reminderOptOut: input.reminderOptOut,
        reminderCount: 0,
        createdBy: actor.userId,
      };
      if (input.creditLimitMinor !== undefined && input.creditLimitMinor !== null) customer.creditLimitMinor = input.creditLimitMinor;
      return tx.insert('customers', customer);
    });
    return toCustomer(doc);
  }

  async updateCustomer(actor: Actor, customerId: string, patch: CustomerPatch): Promise<Customer> {
    const doc = await this.core.writes.run({ action: 'customer.update', actor }, async (tx) =>
      tx.update('customers', customerId, (c) => {
        const { creditLimitMinor, ...rest } = patch;
        const next: CustomerDoc = { ...c };
        for (const [k, v] of Object.entries(rest)) if (v !== undefined) (next as Record<string, unknown>)[k] = k === 'email' ? String(v).toLowerCase() : v;
        if (creditLimitMinor === null) delete next.creditLimitMinor;
        else if (creditLimitMinor !== undefined) next.creditLimitMinor = creditLimitMinor;
        return next;
      }),
    ).catch((e: unknown) => {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') throw new ApiError('NOT_FOUND', 'No such customer.');
      throw e;
    });
    return toCustomer(doc);
  }
}
