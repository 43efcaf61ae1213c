// Locks the window after the shop's idle time without input (keys, pointer, wheel,
// touch). The core locks an idle session on its own too; this makes the screen follow
// without waiting for the next call, and keeps the area so the person comes back to it.
import { useEffect } from 'react';
import { lock } from '../api/session-store';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 5_000;

export function idleLockMessage(minutes: number): string {
  return `Locked after ${minutes} minute${minutes === 1 ? '' : 's'} without activity. Sign in again.`;
}

/** While mounted (signed in), locks after `minutes` without input; 0 turns it off. */
export function useIdleLock(minutes: number): void {
  useEffect(() => {
    if (minutes <= 0) return;
    let lastInput = Date.now();
    const onInput = (): void => {
      lastInput = Date.now();
    };
    for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastInput >= minutes * 60_000) void lock(idleLockMessage(minutes));
    }, CHECK_EVERY_MS);
    return () => {
      window.clearInterval(timer);
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true });
    };
  }, [minutes]);
}
