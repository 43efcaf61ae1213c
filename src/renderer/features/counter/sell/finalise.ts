// Finalising the cart, the one step that must never lose or double a sale.
//
// - The request is built once and stored in the cart (`pending`, in localStorage) with
//   the cart's saleId before it is sent; the cart is locked until the core answers.
// - UNAVAILABLE (the connection dropped) or UNAUTHENTICATED (the connection came back
//   signed out): the core may or may not have saved the sale, so the request stays and is
//   sent again, with the same saleId, when the connection is back or when the Sell tab
//   opens again after signing in or a reload. counter.finalise is idempotent per saleId:
//   a sale already saved is answered with `alreadyFinalised`, never numbered twice.
// - FORBIDDEN on `override`: a manager must approve; the dialog asks for the PIN and the
//   same request is sent again with it (the PIN is never stored).
// - Any other answer is final: the cart unlocks and the core's message is shown next to
//   the line, payment or field it names.
import { useCallback, useEffect, useRef } from 'react';
import { create } from 'zustand';
import { api, ApiCallError } from '../../../api/client';
import { toApiCallError } from '../../../api/errors';
import { requestManagerOverride, type Override } from '../../../components/ManagerOverrideDialog';
import { savedReceiptWidth } from '../documents/print';
import { prefetchReceipt } from '../documents/receipt-fetch';
import { parseAmount } from '../format';
import { cartLines, useCart, type PendingFinalise } from './cart-store';

/** The last answer that stopped a finalise (or a local check), shown at the counter. */
export interface SellProblem {
  error: ApiCallError;
  /** Set for a local check (an amount that is not a number): nothing was sent. */
  local?: boolean;
}

export const useSellProblem = create<{ problem: SellProblem | null; retrying: boolean }>(() => ({ problem: null, retrying: false }));

export function clearSellProblem(): void {
  if (useSellProblem.getState().problem) useSellProblem.setState({ problem: null });
}

/** The core's (or the local check's) message for an issue path such as "lines.1.quantityMilli"; prefix match with `prefix: true`. */
export function problemAt(problem: SellProblem | null, path: string, prefix = false): string | undefined {
  const issues = problem?.error.issues ?? [];
  return issues.find((i) => (prefix ? i.path === path || i.path.startsWith(`${path}.`) : i.path === path))?.message;
}

function localProblem(message: string, path: string): SellProblem {
  return { error: new ApiCallError('VALIDATION', message, [{ path, message }]), local: true };
}

/** The shop currency of the last finalise (amounts typed by the cashier are parsed in it). */
let currency = 'USD';

/** Builds the request from the cart, or returns the local problem that prevents it. */
function buildRequest(): PendingFinalise | SellProblem {
  const s = useCart.getState();
  if (s.items.length === 0) return localProblem('Add at least one item before finalising.', 'lines');
  const payments: PendingFinalise['payments'] = [];
  for (const [i, p] of s.payments.entries()) {
    const parsed = parseAmount(p.amountText, currency);
    if (!parsed.ok) return localProblem(`Payment ${i + 1}: ${parsed.message}`, `payments.${i}.amountMinor`);
    const reference = p.reference.trim();
    payments.push({ method: p.method, amountMinor: parsed.value, ...(reference ? { reference } : {}) });
  }
  const request: PendingFinalise = { saleId: s.saleId, lines: cartLines(s.items), payments, sentAt: Date.now(), interrupted: false };
  if (s.saleDiscount) request.saleDiscount = s.saleDiscount;
  if (s.customer) request.customerId = s.customer.id;
  if (s.note.trim()) request.note = s.note.trim();
  return request;
}

/**
 * Whether the Sell tab shows the cart locked. The cart store refuses every edit from the
 * moment a finalise is pending; showing it (inputs disabled, the badge, the spinner)
 * re-renders the whole tab, which on the main thread delays the answer it is waiting
 * for. Most answers come in a few milliseconds, so the lock is shown only when the
 * finalise takes longer than LOCK_SHOWN_AFTER_MS, and at once when it was interrupted
 * (or is still pending after a reload).
 */
const LOCK_SHOWN_AFTER_MS = 150;
const useLockView = create<{ shown: boolean }>(() => ({ shown: !!useCart.getState().pending }));
let lockTimer: ReturnType<typeof setTimeout> | undefined;
const showLock = (shown: boolean): void => {
  if (lockTimer !== undefined) clearTimeout(lockTimer);
  lockTimer = undefined;
  if (useLockView.getState().shown !== shown) useLockView.setState({ shown });
};
useCart.subscribe((s, prev) => {
  if (s.pending === prev.pending) return;
  if (!s.pending) showLock(false);
  else if (s.pending.interrupted) showLock(true);
  else if (!prev.pending && !useLockView.getState().shown) {
    if (lockTimer !== undefined) clearTimeout(lockTimer);
    lockTimer = setTimeout(() => showLock(!!useCart.getState().pending), LOCK_SHOWN_AFTER_MS);
  }
});

/** True while the cart is shown locked (see LOCK_SHOWN_AFTER_MS). */
export function useLockShown(): boolean {
  return useLockView((s) => s.shown);
}

/** How long the "Sale complete" screen waits for the receipt before it shows without it (its preview then fills in). */
const RECEIPT_WAIT_MS = 100;
const waitAtMost = (p: Promise<void>, ms: number): Promise<void> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
};

const isRetryable = (e: ApiCallError): boolean => e.code === 'UNAVAILABLE' || e.code === 'UNAUTHENTICATED';

let inFlight = false;

async function send(request: PendingFinalise, override?: Override): Promise<void> {
  inFlight = true;
  useSellProblem.setState({ retrying: request.interrupted });
  try {
    const { sentAt: _s, interrupted: _i, ...input } = request;
    const out = await api().call('counter.finalise', override ? { ...input, override } : input);
    // The sale is saved. The "Sale complete" screen shows its receipt: asked for now, and
    // the screen waits for it (a few ms; at most RECEIPT_WAIT_MS), so that it renders once,
    // complete, instead of once without the receipt and again with it.
    await waitAtMost(prefetchReceipt({ saleId: out.sale.id }, savedReceiptWidth()), RECEIPT_WAIT_MS);
    if (useCart.getState().pending?.saleId === request.saleId) useCart.getState().finished(out.sale);
    useSellProblem.setState({ problem: null, retrying: false });
  } catch (thrown) {
    const error = toApiCallError(thrown);
    if (isRetryable(error)) {
      useCart.getState().markInterrupted();
      useSellProblem.setState({ problem: { error }, retrying: false });
      return;
    }
    useCart.getState().setPending(null);
    useSellProblem.setState({ problem: { error }, retrying: false });
    if (error.code === 'FORBIDDEN' && error.issues?.some((i) => i.path === 'override')) {
      inFlight = false;
      const approved = await requestManagerOverride(error.message);
      if (approved) await finaliseCart(currency, approved);
    }
  } finally {
    inFlight = false;
  }
}

/** Finalises the cart (Ctrl+Enter / F12) in the shop currency. `override` after a manager approved. */
export async function finaliseCart(shopCurrency: string, override?: Override): Promise<void> {
  const s = useCart.getState();
  if (inFlight) return;
  currency = shopCurrency;
  if (s.pending) return send(s.pending, override);
  const built = buildRequest();
  if ('error' in built) {
    useSellProblem.setState({ problem: built });
    return;
  }
  useCart.getState().setPending(built);
  return send(built, override);
}

/** Sends the stored request again (same saleId). */
export function retryPending(): Promise<void> {
  const pending = useCart.getState().pending;
  if (!pending || inFlight) return Promise.resolve();
  return send(pending);
}

/**
 * While the Sell tab is open: finishes a finalise left pending by a dropped connection,
 * a reload or a sign-in, at once and again whenever the connection comes back.
 */
export function usePendingFinaliseRecovery(): void {
  const started = useRef(false);
  const retry = useCallback(() => void retryPending(), []);
  useEffect(() => {
    if (!started.current) {
      started.current = true;
      if (useCart.getState().pending) retry();
    }
    let dropped = false;
    return api().onConnection((state) => {
      if (state === 'closed') dropped = true;
      if (state === 'open' && dropped) {
        dropped = false;
        // Give the session feed a moment to learn whether this connection is signed in.
        setTimeout(retry, 300);
      }
    });
  }, [retry]);
}
