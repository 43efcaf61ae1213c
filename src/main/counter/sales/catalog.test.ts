import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@shared/ids';
import type { ProductDoc } from '@shared/schema';
import { addProducts, startCounterKit, type CounterKit } from './test-kit';

let t: CounterKit;
beforeEach(async () => {
  t = await startCounterKit();
});
afterEach(async () => {
  await t.close();
});

const names = (r: { items: { name: string }[] } | { name: string }[]) => ('items' in r ? r.items : r).map((x) => x.name);

describe('products at the counter', () => {
  it('searches by name prefix, word, substring, SKU and barcode, best matches first', async () => {
    const p = await addProducts(t);
    await t.call('counter.createProduct', { name: 'Brown sugar 500g', sku: 'SUG-2', priceMinor: 7000 });
    await t.call('counter.createProduct', { name: 'Sugar cane juice', priceMinor: 9000 });
    const cashier = t.ctx('cashier');
    expect(names(await t.call('counter.products', { query: 'sug' }, cashier))).toEqual(['Sugar 1kg', 'Sugar cane juice', 'Brown sugar 500g']);
    expect(names(await t.call('counter.products', { query: 'MILK' }, cashier))).toEqual(['Milk 1L']);
    expect(names(await t.call('counter.products', { query: 'ice' }, cashier))).toEqual(['Rice (per kg)', 'Sugar cane juice']);
    expect(names(await t.call('counter.products', { query: 'brd-1' }, cashier))).toEqual(['Bread']);
    expect(names(await t.call('counter.products', { query: p.sugar.barcode }, cashier))).toEqual(['Sugar 1kg']);
    expect(names(await t.call('counter.products', { query: 'sugar 500g' }, cashier))).toEqual(['Brown sugar 500g']);
    // '500' is also in Sugar 1kg's barcode: every word must match somewhere.
    expect(names(await t.call('counter.products', { query: 'sugar 500' }, cashier))).toEqual(['Brown sugar 500g', 'Sugar 1kg']);
    expect(names(await t.call('counter.products', { query: '', category: 'dry goods' }, cashier))).toEqual(['Rice (per kg)', 'Sugar 1kg']);
    expect((await t.call('counter.products', { query: 'zzz' }, cashier)).items).toEqual([]);
    expect((await t.fail('counter.products', { query: 'a', limit: 51 }, cashier)).code).toBe('VALIDATION');
  });

  it('looks up a barcode, says which one is unknown, and follows edits and deactivation at once', async () => {
    const p = await addProducts(t);
    const cashier = t.ctx('cashier');
    expect((await t.call('counter.productByBarcode', { barcode: '6001234500017' }, cashier)).name).toBe('Bread');
    const unknown = await t.fail('counter.productByBarcode', { barcode: '1234567890123' }, cashier);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: 'No product with barcode 1234567890123. Check the code, or add the item as an open line.' });

    await t.call('counter.updateProduct', { productId: p.bread.id, name: 'Bread white 600g', priceMinor: 5500 });
    expect(await t.call('counter.productByBarcode', { barcode: '6001234500017' }, cashier)).toMatchObject({ name: 'Bread white 600g', priceMinor: 5500 });
    expect(names(await t.call('counter.products', { query: 'white' }, cashier))).toEqual(['Bread white 600g']);

    await t.call('counter.deactivateProduct', { productId: p.bread.id });
    expect((await t.fail('counter.productByBarcode', { barcode: '6001234500017' }, cashier)).message).toContain('is no longer sold');
    expect(names(await t.call('counter.products', { query: 'bread' }, cashier))).toEqual([]);
    expect(names(await t.call('counter.products', { query: 'bread', includeInactive: true }, cashier))).toEqual(['Bread white 600g']);
    expect((await t.fail('counter.createProduct', { name: 'X', priceMinor: 1 }, cashier)).code).toBe('FORBIDDEN');
  });

  it('refuses a duplicate barcode or quick key, and lists quick keys in key order', async () => {
    const p = await addProducts(t);
    const dup = await t.fail('counter.createProduct', { name: 'Fake bread', barcode: p.bread.barcode, priceMinor: 100 });
    expect(dup).toMatchObject({ code: 'CONFLICT', message: `Barcode ${p.bread.barcode} is already used by Bread.` });
    expect((await t.fail('counter.updateProduct', { productId: p.sugar.id, quickKey: 1 })).message).toBe('Quick key 1 is already Bread.');
    await t.call('counter.updateProduct', { productId: p.sugar.id, quickKey: 3 });
    expect(names(await t.call('counter.quickKeys', {}, t.ctx('cashier')))).toEqual(['Bread', 'Milk 1L', 'Sugar 1kg']);
    await t.call('counter.updateProduct', { productId: p.bread.id, favourite: false });
    expect((await t.call('counter.quickKeys', {})).map((q) => [q.name, q.quickKey])).toEqual([['Milk 1L', 2], ['Sugar 1kg', 3]]);
    const bad = await t.fail('counter.createProduct', { name: 'Neg', priceMinor: -5 });
    expect(bad).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'priceMinor', message: 'The price cannot be negative.' }] });
  });

  it('finds the right items among 10,000 products, including ones written by sync outside the write path', async () => {
    await addProducts(t);
    const now = Date.now();
    const docs: ProductDoc[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: newId(), createdAt: now, updatedAt: now, name: `Item ${String(i).padStart(5, '0')} ${i % 7 === 0 ? 'special' : 'plain'}`, sku: `SKU${i}`,
      barcode: String(7_000_000_000_000 + i), priceMinor: 100 + i, currency: 'KES', taxRateBp: 1600, category: i % 2 ? 'Odd' : 'Even', favourite: false, active: true,
    }));
    // Warm the index first, then add the 10k the way a sync pull would (straight into the store).
    expect(names(await t.call('counter.products', { query: 'bread' }, t.ctx('cashier')))).toEqual(['Bread']);
    await t.core.store.db.collections.products.bulkInsert(docs);
    const r = await t.call('counter.products', { query: 'special 0424', limit: 50 }, t.ctx('cashier'));
    expect(names(r)).toEqual(['Item 04242 special', 'Item 04249 special']);
    expect((await t.call('counter.products', { query: 'item', limit: 50 }, t.ctx('cashier'))).items).toHaveLength(50);
    expect((await t.call('counter.productByBarcode', { barcode: '7000000009999' }, t.ctx('cashier'))).name).toBe('Item 09999 plain');
    expect(names(await t.call('counter.products', { query: 'sku4242' }, t.ctx('cashier')))[0]).toBe('Item 04242 special');
  });
});

describe('customers at the counter', () => {
  it('a cashier adds a customer (but not a credit limit) and finds them by name or phone', async () => {
    const cashier = t.ctx('cashier');
    const amina = await t.call('counter.createCustomer', { name: 'Amina Yusuf', phone: '+254 712 345 678', email: 'Amina@Example.com' }, cashier);
    expect(amina).toMatchObject({ name: 'Amina Yusuf', email: 'amina@example.com', reminderOptOut: false });
    expect(amina.creditLimitMinor).toBeUndefined();
    await t.call('counter.createCustomer', { name: 'Brian Otieno', phone: '0722000111' }, cashier);
    expect((await t.fail('counter.createCustomer', { name: 'Carol', creditLimitMinor: 5_000 }, cashier)).code).toBe('FORBIDDEN');
    expect((await t.fail('counter.updateCustomer', { customerId: amina.id, creditLimitMinor: 5_000 }, cashier)).message).toBe('Only a manager can set or change a credit limit.');

    expect(names(await t.call('counter.customers', { query: 'ami' }, cashier))).toEqual(['Amina Yusuf']);
    expect(names(await t.call('counter.customers', { query: '0712 345678' }, cashier))).toEqual(['Amina Yusuf']);
    expect(names(await t.call('counter.customers', { query: 'otieno' }, cashier))).toEqual(['Brian Otieno']);

    const updated = await t.call('counter.updateCustomer', { customerId: amina.id, creditLimitMinor: 50_000, reminderOptOut: true }, t.ctx('manager'));
    expect(updated).toMatchObject({ creditLimitMinor: 50_000, reminderOptOut: true, name: 'Amina Yusuf' });
    const cleared = await t.call('counter.updateCustomer', { customerId: amina.id, creditLimitMinor: null }, t.ctx('manager'));
    expect(cleared.creditLimitMinor).toBeUndefined();
    expect((await t.fail('counter.updateCustomer', { customerId: newId(), name: 'X' }, cashier)).code).toBe('NOT_FOUND');
  });
});
