// The keyboard map of the Sell tab (also shown in the tab's "Keys" help).
import type { PaymentMethod } from '@shared/schema/fields';
import { METHOD_KEYS } from './PayPanel';
import { QUICK_KEY_COUNT } from './QuickKeys';

export const KEYBOARD: readonly { keys: string; what: string }[] = [
  { keys: 'Type or scan', what: 'Search; Enter adds the chosen result, an exact barcode/SKU, or the best match' },
  { keys: '3*code', what: 'Quantity before a code or name (3*6001234 adds three)' },
  { keys: '↑ ↓', what: 'Choose a search result; with the box empty, move in the cart' },
  { keys: '+ −', what: 'Quantity of the selected line (box empty)' },
  { keys: 'Del', what: 'Remove the selected line (box empty)' },
  { keys: 'Enter', what: 'Change the selected line: price, discount, note (box empty)' },
  { keys: 'Shift+F1…F12', what: 'Quick keys 1 to 12' },
  { keys: 'F2', what: 'Back to the search box' },
  { keys: 'F3', what: 'Customer' },
  { keys: 'F4', what: 'Sale discount' },
  { keys: 'Alt+C / K / M / R', what: 'Pay by cash / card / mobile money / customer credit (amount = what is still due)' },
  { keys: 'Alt+O', what: 'Open item: a line typed in with its name and price' },
  { keys: 'F8', what: 'Park the sale' },
  { keys: 'F9', what: 'Parked sales' },
  { keys: 'Ctrl+Enter or F12', what: 'Finalise' },
  { keys: 'Enter or Esc', what: 'After a sale: start the next one' },
  { keys: 'Ctrl+P', what: 'After a sale: print the receipt' },
];

const NON_TEXT_INPUTS = ['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'];

/** Focus is somewhere the person types (a text input, textarea, select or contenteditable). */
export function isTextField(target: HTMLElement | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !NON_TEXT_INPUTS.includes(target.type);
  return false;
}

/** Enter or Space on it activates it. */
export function isButtonLike(target: HTMLElement | null): boolean {
  if (!target) return false;
  return target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || target.getAttribute('role') === 'button' || target.getAttribute('role') === 'tab';
}

/** A key that types one character (no Ctrl, Alt or Cmd). */
export function isPrintableKey(e: KeyboardEvent): boolean {
  return e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
}

/** Shift+F1..F12: the quick key number, or null. */
export function quickKeyNumber(e: KeyboardEvent): number | null {
  if (!e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return null;
  const m = /^F(\d{1,2})$/.exec(e.key);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 && n <= QUICK_KEY_COUNT ? n : null;
}

/** Alt+C, Alt+K, Alt+M, Alt+R (matched on the physical key, so Option on a Mac works too). */
export function methodForKey(e: KeyboardEvent): PaymentMethod | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  for (const [method, k] of Object.entries(METHOD_KEYS) as [PaymentMethod, { code: string }][]) {
    if (e.code === k.code) return method;
  }
  return null;
}
