// Global keyboard shortcuts.
//
// - Alt+1..Alt+7 (Ctrl+1..7 on macOS, where Option+digit types characters) open the
//   areas. They work even while typing in a field: matched on the physical top-row key
//   (`event.code`), never the numeric keypad (Alt+keypad digits type characters on
//   Windows), and never with Ctrl+Alt / AltGr held (AltGr+digit types @ { [ ] on many
//   European layouts). Browsers and Electron bind nothing to these keys here.
// - F1 anywhere, or ? outside a text field, opens the shortcut help.
import { areaForDigit, type AreaId } from './areas';

const IS_APPLE = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

export type ShortcutAction = { type: 'area'; area: AreaId } | { type: 'help' };

/** The parts of a keydown event that decide a shortcut. */
export interface ShortcutKey {
  code: string;
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
  altGraph: boolean;
  /** Focus is in a text input, textarea, select or contenteditable element. */
  inTextField: boolean;
}

export function matchShortcut(k: ShortcutKey, apple = IS_APPLE): ShortcutAction | null {
  if (k.repeat) return null;
  const digit = /^Digit([1-9])$/.exec(k.code);
  if (digit && !k.shiftKey && !k.metaKey && !k.altGraph) {
    const modifierOk = apple ? k.ctrlKey && !k.altKey : k.altKey && !k.ctrlKey;
    const area = modifierOk ? areaForDigit(Number(digit[1])) : null;
    if (area) return { type: 'area', area };
  }
  if (k.key === 'F1' && !k.altKey && !k.ctrlKey && !k.metaKey) return { type: 'help' };
  if (k.key === '?' && !k.inTextField && !k.altKey && !k.ctrlKey && !k.metaKey) return { type: 'help' };
  return null;
}

/** How the shortcut for area digit `n` is written on screen and in `aria-keyshortcuts`. */
export function areaShortcutLabel(digit: number, apple = IS_APPLE): { label: string; aria: string } {
  return apple ? { label: `⌃${digit}`, aria: `Control+${digit}` } : { label: `Alt+${digit}`, aria: `Alt+${digit}` };
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  return false;
}

/** Listens on the window; returns the cleanup. */
export function listenForShortcuts(onAction: (action: ShortcutAction) => void): () => void {
  const onKeyDown = (event: KeyboardEvent): void => {
    const action = matchShortcut({
      code: event.code,
      key: event.key,
      altKey: event.altKey,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      shiftKey: event.shiftKey,
      repeat: event.repeat,
      altGraph: event.getModifierState('AltGraph'),
      inTextField: isTextField(event.target),
    });
    if (!action) return;
    event.preventDefault();
    onAction(action);
  };
  window.addEventListener('keydown', onKeyDown);
  return () => window.removeEventListener('keydown', onKeyDown);
}
