// The cart of the Sell tab. It lives in localStorage (zustand persist), so a reload or
// a crash of the window never loses what was rung up, and neither does a finalise that
// was in flight: `pending` keeps the exact request (same saleId) until the core answers,
// and while it is set every change to the cart is refused (the cart is locked).
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Cart, DiscountInput, Product, Sale } from '@shared/api/ops/counter-sales';
import { MAX_LINES } from '@shared/counter';
import { newId } from '@shared/ids';
import type { PaymentMethod } from '@shared/schema/fields';

export interface CartItem {
  /** Local key of the line (React key, selection). */
  key: string;
  productId?: string;
  name: string;
  sku?: string;
  unit: Product['unit'];
  quantityMilli: number;
  unitPriceMinor: number;
  /** The catalogue price when the line was added (a different price needs a manager). */
  catalogPriceMinor?: number;
  taxRateBp: number;
  discount?: DiscountInput;
  note?: string;
}

export interface PaymentRow {
  key: string;
  method: PaymentMethod;
  /** What the cashier typed ("500", "1,250.50"). */
  amountText: string;
  reference: string;
}

export interface CartCustomer {
  id: string;
  name: string;
  phone?: string;
  creditLimitMinor?: number;
}

/** The exact finalise request sent to the core (no manager PIN is ever stored). */
export interface PendingFinalise {
  saleId: string;
  lines: Cart['lines'];
  saleDiscount?: DiscountInput;
  payments: { method: PaymentMethod; amountMinor: number; reference?: string }[];
  customerId?: string;
  note?: string;
  /** When the first attempt was sent. */
  sentAt: number;
  /** Set when the connection dropped before the core answered. */
  interrupted: boolean;
}

export interface CartData {
  saleId: string;
  items: CartItem[];
  /** Selected line (keyboard): -1 for none. */
  selected: number;
  customer: CartCustomer | null;
  saleDiscount: DiscountInput | null;
  payments: PaymentRow[];
  note: string;
  /** Resumed from a parked sale that stays parked until this sale is finalised. */
  resumedLabel: string | null;
  pending: PendingFinalise | null;
  /** The sale just finalised (the receipt view), until "New sale". */
  done: Sale | null;
}

interface CartActions {
  addProduct: (product: Product, quantityMilli?: number) => void;
  /** A line typed in (not in the catalogue): a name and a price. */
  addOpenItem: (line: { name: string; sku?: string; quantityMilli: number; unitPriceMinor: number; taxRateBp: number }) => void;
  setQuantity: (index: number, quantityMilli: number) => void;
  /** +1 / -1 unit (never below one unit; use remove for that). */
  bump: (index: number, units: 1 | -1) => void;
  updateItem: (index: number, patch: Partial<Omit<CartItem, 'key'>>) => void;
  remove: (index: number) => void;
  select: (index: number) => void;
  moveSelection: (delta: number) => void;
  setCustomer: (customer: CartCustomer | null) => void;
  setSaleDiscount: (discount: DiscountInput | null) => void;
  setNote: (note: string) => void;
  addPayment: (method: PaymentMethod, amountText: string) => string;
  updatePayment: (key: string, patch: Partial<Omit<PaymentRow, 'key'>>) => void;
  removePayment: (key: string) => void;
  /** Empties the cart and starts a new sale id. */
  clear: () => void;
  /** Loads a cart returned by counter.resume (the sale keeps its id). */
  load: (cart: Cart) => void;
  setPending: (pending: PendingFinalise | null) => void;
  markInterrupted: () => void;
  /** The core finalised the sale: show its receipt, start a fresh cart behind it. */
  finished: (sale: Sale) => void;
  /** Leaves the receipt view. */
  newSale: () => void;
}

export type CartState = CartData & CartActions;

export function emptyCart(): CartData {
  return { saleId: newId(), items: [], selected: -1, customer: null, saleDiscount: null, payments: [], note: '', resumedLabel: null, pending: null, done: null };
}

export const CART_STORAGE_KEY = 'counterbook.counter.cart.v1';

const clampSel = (selected: number, length: number): number => (length === 0 ? -1 : Math.min(Math.max(selected, 0), length - 1));

export const useCart = create<CartState>()(
  persist(
    (set, get) => {
      /** Every change of the cart goes through here: refused while a finalise is pending. */
      const edit = (fn: (s: CartData) => Partial<CartData>): void => {
        if (get().pending) return;
        set((s) => fn(s));
      };
      return {
        ...emptyCart(),
        addProduct: (product, quantityMilli = 1000) =>
          edit((s) => {
            const same = s.items.findIndex((i) => i.productId === product.id && i.unitPriceMinor === product.priceMinor && !i.discount && !i.note);
            if (same >= 0) {
              const items = s.items.map((i, n) => (n === same ? { ...i, quantityMilli: i.quantityMilli + quantityMilli } : i));
              return { items, selected: same };
            }
            if (s.items.length >= MAX_LINES) return {};
            const item: CartItem = {
              key: newId(),
              productId: product.id,
              name: product.name,
              unit: product.unit,
              quantityMilli,
              unitPriceMinor: product.priceMinor,
              catalogPriceMinor: product.priceMinor,
              taxRateBp: product.taxRateBp,
            };
            if (product.sku) item.sku = product.sku;
            return { items: [...s.items, item], selected: s.items.length };
          }),
        addOpenItem: (line) =>
          edit((s) => {
            if (s.items.length >= MAX_LINES) return {};
            const item: CartItem = { key: newId(), name: line.name, unit: 'each', quantityMilli: line.quantityMilli, unitPriceMinor: line.unitPriceMinor, taxRateBp: line.taxRateBp };
            if (line.sku) item.sku = line.sku;
            return { items: [...s.items, item], selected: s.items.length };
          }),
        setQuantity: (index, quantityMilli) => edit((s) => ({ items: s.items.map((i, n) => (n === index ? { ...i, quantityMilli } : i)) })),
        bump: (index, units) =>
          edit((s) => {
            const item = s.items[index];
            if (!item) return {};
            const next = item.quantityMilli + units * 1000;
            if (units < 0 && next < 1000) return {};
            return { items: s.items.map((i, n) => (n === index ? { ...i, quantityMilli: next } : i)), selected: index };
          }),
        updateItem: (index, patch) =>
          edit((s) => ({
            items: s.items.map((i, n) => {
              if (n !== index) return i;
              const next = { ...i, ...patch };
              if ('discount' in patch && !patch.discount) delete next.discount;
              if ('note' in patch && !patch.note) delete next.note;
              return next;
            }),
          })),
        remove: (index) =>
          edit((s) => {
            const items = s.items.filter((_, n) => n !== index);
            return { items, selected: clampSel(index, items.length) };
          }),
        select: (index) => set((s) => ({ selected: clampSel(index, s.items.length) })),
        moveSelection: (delta) => set((s) => ({ selected: clampSel(s.selected < 0 ? (delta > 0 ? 0 : s.items.length - 1) : s.selected + delta, s.items.length) })),
        setCustomer: (customer) => edit(() => ({ customer })),
        setSaleDiscount: (saleDiscount) => edit(() => ({ saleDiscount })),
        setNote: (note) => edit(() => ({ note })),
        addPayment: (method, amountText) => {
          const key = newId();
          edit((s) => ({ payments: [...s.payments, { key, method, amountText, reference: '' }] }));
          return key;
        },
        updatePayment: (key, patch) => edit((s) => ({ payments: s.payments.map((p) => (p.key === key ? { ...p, ...patch } : p)) })),
        removePayment: (key) => edit((s) => ({ payments: s.payments.filter((p) => p.key !== key) })),
        clear: () => edit(() => ({ ...emptyCart(), done: null })),
        load: (cart) =>
          edit(() => ({
            ...emptyCart(),
            saleId: cart.saleId,
            items: cart.lines.map((l) => {
              const item: CartItem = { key: newId(), name: l.name, unit: 'each', quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor, taxRateBp: l.taxRateBp };
              if (l.productId) item.productId = l.productId;
              if (l.sku) item.sku = l.sku;
              if (l.discount) item.discount = l.discount;
              if (l.note) item.note = l.note;
              return item;
            }),
            selected: cart.lines.length - 1,
            customer: cart.customerId ? { id: cart.customerId, name: cart.customerName } : null,
            note: cart.note,
            resumedLabel: cart.label || 'Parked sale',
          })),
        setPending: (pending) => set({ pending }),
        markInterrupted: () => set((s) => (s.pending ? { pending: { ...s.pending, interrupted: true } } : {})),
        finished: (sale) => set({ ...emptyCart(), done: sale }),
        newSale: () => set((s) => ({ done: null, saleId: s.items.length === 0 && !s.pending ? newId() : s.saleId })),
      };
    },
    {
      name: CART_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s): CartData => ({
        saleId: s.saleId,
        items: s.items,
        selected: s.selected,
        customer: s.customer,
        saleDiscount: s.saleDiscount,
        payments: s.payments,
        note: s.note,
        resumedLabel: s.resumedLabel,
        pending: s.pending,
        done: s.done,
      }),
    },
  ),
);

/** The cart's lines as the API takes them. */
export function cartLines(items: readonly CartItem[]): Cart['lines'] {
  return items.map((i) => {
    const line: Cart['lines'][number] = { name: i.name, quantityMilli: i.quantityMilli, unitPriceMinor: i.unitPriceMinor, taxRateBp: i.taxRateBp };
    if (i.productId) line.productId = i.productId;
    if (i.sku) line.sku = i.sku;
    if (i.discount) line.discount = i.discount;
    if (i.note) line.note = i.note;
    return line;
  });
}
