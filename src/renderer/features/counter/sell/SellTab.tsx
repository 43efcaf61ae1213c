// The Sell tab: the screen a cashier lives in all day. Keyboard first (see KEYBOARD in
// ./keys.ts); everything rung up lives in the persisted cart (./cart-store.ts) and the
// finalise path never loses or doubles a sale (./finalise.ts).
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Badge, Button, Group, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Product } from '@shared/api/ops/counter-sales';
import type { PaymentMethod } from '@shared/schema/fields';
import { useApiQuery } from '../../../api/hooks';
import type { ReceiptHandle } from '../documents/ReceiptView';
import { amountInput } from '../format';
import { PauseIcon, PlusIcon, StackIcon, TrashIcon } from '../icons';
import { useShop } from '../shop';
import { Shortcut } from '../Shortcut';
import { CartTable } from './CartTable';
import { useCart } from './cart-store';
import { CustomerDialog } from './CustomerDialog';
import { clearSellProblem, finaliseCart, useLockShown, usePendingFinaliseRecovery } from './finalise';
import { isButtonLike, isPrintableKey, isTextField, methodForKey, quickKeyNumber } from './keys';
import { KeysDialog } from './KeysDialog';
import { LineDialog } from './LineDialog';
import { OpenItemDialog } from './OpenItemDialog';
import { useLiveSale } from './live';
import { ParkDialog, ParkedDialog } from './ParkDialogs';
import { PayPanel } from './PayPanel';
import { ProductSearch, type SearchHandle } from './ProductSearch';
import { QuickKeys } from './QuickKeys';
import { SaleComplete } from './SaleComplete';
import { SaleDiscountDialog } from './SaleDiscountDialog';
import { api } from '../../../api/client';


type Dialog = 'customer' | 'discount' | 'park' | 'parked' | 'clear' | 'open' | 'keys' | null;

export function SellTab() {
  const shop = useShop();
  const search = useRef<SearchHandle>(null);
  const receipt = useRef<ReceiptHandle>(null);
  const queued = useRef('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [focusPayment, setFocusPayment] = useState<string | null>(null);
  const [openCode, setOpenCode] = useState('');

  const items = useCart((s) => s.items);
  const payments = useCart((s) => s.payments);
  const customer = useCart((s) => s.customer);
  const saleDiscount = useCart((s) => s.saleDiscount);
  const done = useCart((s) => s.done);
  const resumedLabel = useCart((s) => s.resumedLabel);
  const locked = useLockShown();
  const live = useLiveSale(shop);
  // Quick keys change with the catalogue only. The parked count follows every sale write
  // (a parked sale is a sale), but is not shown while a finished sale is: it is asked
  // again after the finalise's receipt and list updates, not alongside them.
  const quickKeys = useApiQuery('counter.quickKeys', {}, { refetchOnData: ['products'] });
  const parked = useApiQuery('counter.parked', {}, { refetchOnData: ['sales'], refetchDelayMs: 400 });
  const saleId = useCart((s) => s.saleId);
  const parkedCount = (parked.data ?? []).filter((p) => p.id !== saleId).length;

  usePendingFinaliseRecovery();

  // An edit makes the last "not finalised" message stale.
  useEffect(() => clearSellProblem(), [items, payments, customer, saleDiscount]);

  const focusSearch = useCallback((selectAll = false) => {
    requestAnimationFrame(() => search.current?.focus(selectAll));
  }, []);

  // The shell moves focus to the page title when the area opens: the search box takes it back.
  useEffect(() => {
    const t = setTimeout(() => search.current?.focus(), 50);
    return () => clearTimeout(t);
  }, []);

  // Keys typed on the receipt view before the search box was back (a scanner is fast).
  useLayoutEffect(() => {
    if (!done && queued.current && search.current) {
      search.current.type(queued.current);
      queued.current = '';
    }
  }, [done]);

  const add = useCallback(
    (product: Product, quantityMilli = 1000) => {
      useCart.getState().addProduct(product, quantityMilli);
      focusSearch();
    },
    [focusSearch],
  );

  const addPayment = useCallback(
    (method: PaymentMethod) => {
      if (useCart.getState().items.length === 0 || useCart.getState().pending) return;
      const due = live.summary ? live.summary.dueMinor : (live.totals?.totalMinor ?? 0);
      const key = useCart.getState().addPayment(method, due > 0 ? amountInput(due, shop.currency) : '');
      setFocusPayment(key);
    },
    [live.summary, live.totals, shop.currency],
  );

  const finalise = useCallback(() => {
    // Leaving a field commits what it holds (a quantity being typed) before the cart is read.
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body) active.blur();
    void finaliseCart(shop.currency).then(() => {
      if (!useCart.getState().done) focusSearch();
    });
  }, [shop.currency, focusSearch]);

  const newSale = useCallback(() => {
    useCart.getState().newSale();
    focusSearch();
  }, [focusSearch]);

  const clearCart = useCallback(async () => {
    const s = useCart.getState();
    if (s.resumedLabel) await api().call('counter.discardParked', { saleId: s.saleId }).catch(() => undefined);
    useCart.getState().clear();
    setDialog(null);
    focusSearch();
  }, [focusSearch]);

  // Keys of the Sell tab, caught before the focused element (capture) so they work from
  // any field; dialogs handle their own keys.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing) return;
      if (document.querySelector('[role="dialog"]')) return;
      const s = useCart.getState();
      const target = e.target instanceof HTMLElement ? e.target : null;
      const inField = isTextField(target);
      const mod = e.ctrlKey || e.metaKey;
      const plain = !mod && !e.altKey && !e.shiftKey;
      const stop = (): void => {
        e.preventDefault();
        e.stopPropagation();
      };

      if (s.done) {
        if (mod && !e.altKey && e.key.toLowerCase() === 'p') {
          stop();
          receipt.current?.print();
        } else if (plain && (e.key === 'Escape' || (e.key === 'Enter' && !isButtonLike(target)))) {
          stop();
          newSale();
        } else if (!inField && isPrintableKey(e) && e.key !== ' ') {
          stop();
          queued.current += e.key;
          useCart.getState().newSale();
        }
        return;
      }

      if ((mod && !e.altKey && e.key === 'Enter') || (plain && e.key === 'F12')) {
        stop();
        finalise();
        return;
      }
      const quick = quickKeyNumber(e);
      if (quick !== null) {
        stop();
        const product = quickKeys.data?.find((p) => p.quickKey === quick);
        if (product) add(product);
        return;
      }
      if (e.altKey && !mod && !e.shiftKey && e.code === 'KeyO') {
        stop();
        if (!s.pending) {
          setOpenCode('');
          setDialog('open');
        }
        return;
      }
      const method = methodForKey(e);
      if (method) {
        stop();
        addPayment(method);
        return;
      }
      if (plain) {
        const action = { F2: 'search', F3: 'customer', F4: 'discount', F8: 'park', F9: 'parked' }[e.key];
        if (action) {
          stop();
          if (action === 'search') search.current?.focus(true);
          else if (s.pending) return;
          else if (action === 'customer') setDialog('customer');
          else if (action === 'discount') {
            if (s.items.length > 0) setDialog('discount');
          } else if (action === 'park') {
            if (s.items.length > 0) setDialog('park');
          } else setDialog('parked');
          return;
        }
      }
      if (inField) return;
      // Outside any field: typing (or a scanner) goes to the search box, and the cart keys work.
      if (isPrintableKey(e) && !(e.key === ' ' && isButtonLike(target)) && !['+', '-'].includes(e.key)) {
        stop();
        search.current?.type(e.key);
        return;
      }
      if (!mod && !e.altKey) {
        const cart = useCart.getState();
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          stop();
          cart.moveSelection(e.key === 'ArrowDown' ? 1 : -1);
        } else if ((e.key === '+' || e.key === '-') && cart.selected >= 0) {
          stop();
          cart.bump(cart.selected, e.key === '+' ? 1 : -1);
        } else if (e.key === 'Delete' && cart.selected >= 0) {
          stop();
          cart.remove(cart.selected);
        }
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [add, addPayment, finalise, newSale, quickKeys.data]);

  /** Keys of the empty search box that act on the cart. */
  const onEmptySearchKey = useCallback((e: React.KeyboardEvent<HTMLInputElement>): boolean => {
    const cart = useCart.getState();
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      cart.moveSelection(e.key === 'ArrowDown' ? 1 : -1);
      return true;
    }
    if ((e.key === '+' || e.key === '-') && cart.selected >= 0) {
      e.preventDefault();
      cart.bump(cart.selected, e.key === '+' ? 1 : -1);
      return true;
    }
    if (e.key === 'Delete' && cart.selected >= 0) {
      e.preventDefault();
      cart.remove(cart.selected);
      return true;
    }
    if (e.key === 'Enter' && cart.selected >= 0 && !cart.pending) {
      e.preventDefault();
      setEditing(cart.selected);
      return true;
    }
    return false;
  }, []);

  const closeDialog = useCallback(() => {
    setDialog(null);
    focusSearch();
  }, [focusSearch]);

  if (done) return <SaleComplete sale={done} receipt={receipt} onNewSale={newSale} />;

  const lineIssue = live.totalsIssue && live.totalsIssue.lineIndex !== undefined && live.totalsIssue.field !== 'saleDiscount' ? { lineIndex: live.totalsIssue.lineIndex, message: live.totalsIssue.message } : null;

  return (
    <div className="cb-sell">
      <div className="cb-sell-main">
        <ProductSearch
          handle={search}
          onShowKeys={() => setDialog('keys')}
          disabled={locked}
          onAdd={add}
          onEmptyKey={onEmptySearchKey}
          onOpenItem={(code) => {
            setOpenCode(code);
            setDialog('open');
          }}
        />
        <QuickKeys products={quickKeys.data} disabled={locked} onAdd={add} />
        <Paper withBorder radius="md" className="cb-cart-panel">
          <Group justify="space-between" px="sm" py={6} className="cb-cart-head" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0, overflow: 'hidden' }}>
              <Text fw={700} style={{ whiteSpace: 'nowrap' }}>
                Cart
                <Text span c="dimmed" fw={500} size="sm">
                  {' '}
                  · {items.length} {items.length === 1 ? 'line' : 'lines'}
                </Text>
              </Text>
              {resumedLabel && (
                <Badge variant="light" color="blue" radius="sm">
                  Resumed: {resumedLabel}
                </Badge>
              )}
              {locked && (
                <Badge variant="filled" color="yellow" radius="sm">
                  Locked while finalising
                </Badge>
              )}
            </Group>
            <Group gap={6} wrap="nowrap">
              <Button
                size="xs"
                variant="default"
                leftSection={<PlusIcon size={14} />}
                onClick={() => {
                  setOpenCode('');
                  setDialog('open');
                }}
                disabled={locked}
                rightSection={<Shortcut keys="Alt+O" />}
              >
                Open item
              </Button>
              <Button size="xs" variant="default" leftSection={<PauseIcon size={14} />} onClick={() => setDialog('park')} disabled={locked || items.length === 0} rightSection={<Shortcut keys="F8" />}>
                Park
              </Button>
              <Button size="xs" variant="default" leftSection={<StackIcon size={14} />} onClick={() => setDialog('parked')} disabled={locked} rightSection={<Shortcut keys="F9" />}>
                Parked{parkedCount > 0 ? ` (${parkedCount})` : ''}
              </Button>
              <Button size="xs" variant="subtle" color="red" px={8} leftSection={<TrashIcon size={14} />} onClick={() => setDialog('clear')} disabled={locked || items.length === 0}>
                Clear
              </Button>
            </Group>
          </Group>
          {dialog === 'clear' && (
            <Group justify="space-between" px="sm" py={8} className="cb-confirm" role="alertdialog" aria-label="Clear the cart?">
              <Text size="sm" fw={500}>
                Remove all {items.length} lines{resumedLabel ? ' and discard the parked copy' : ''}?
              </Text>
              <Group gap={6}>
                <Button size="xs" variant="default" onClick={closeDialog} data-autofocus>
                  Keep
                </Button>
                <Button size="xs" color="red" onClick={() => void clearCart()}>
                  Clear the cart
                </Button>
              </Group>
            </Group>
          )}
          <CartTable totals={live.totals} lineIssue={lineIssue} locked={locked} onEdit={setEditing} onDone={() => focusSearch()} />
        </Paper>
      </div>

      <PayPanel
        live={live}
        locked={locked}
        focusPayment={focusPayment}
        onFocused={() => setFocusPayment(null)}
        onAddPayment={addPayment}
        onCustomer={() => setDialog('customer')}
        onDiscount={() => setDialog('discount')}
        onFinalise={finalise}
      />

      <KeysDialog opened={dialog === 'keys'} onClose={closeDialog} />
      <OpenItemDialog opened={dialog === 'open'} code={openCode} onClose={closeDialog} />
      <LineDialog
        index={editing}
        onClose={() => {
          setEditing(null);
          focusSearch();
        }}
      />
      <CustomerDialog
        opened={dialog === 'customer'}
        onClose={closeDialog}
        onChoose={(c) => {
          useCart.getState().setCustomer(c);
          closeDialog();
        }}
      />
      <SaleDiscountDialog
        opened={dialog === 'discount'}
        current={saleDiscount}
        onClose={closeDialog}
        onSave={(d) => {
          useCart.getState().setSaleDiscount(d);
          closeDialog();
        }}
      />
      <ParkDialog
        opened={dialog === 'park'}
        onClose={closeDialog}
        onParked={(p) => {
          notifications.show({ color: 'blue', title: 'Sale parked', message: `"${p.label}" is waiting under Parked (F9).`, autoClose: 4000 });
          closeDialog();
        }}
      />
      <ParkedDialog
        opened={dialog === 'parked'}
        onClose={closeDialog}
        onResumed={(label) => {
          notifications.show({ color: 'blue', title: 'Sale resumed', message: `"${label}" is back in the cart.`, autoClose: 3000 });
          closeDialog();
        }}
      />
    </div>
  );
}
