// Keeps unsaved Settings edits from being left behind by accident. While `active`:
// - a click on an area link of the navigation (`#/orders`) or an area shortcut (Alt+1…)
//   is held back and handed to `onLeave(area)`, which asks the person first;
// - closing or reloading the window asks the browser's own "Leave site?" question (in
//   the browser host only: Electron cancels the close silently unless the shell handles
//   `will-prevent-unload`, which it does not yet).
// The Back button cannot be held back; the edits stay in the drafts store meanwhile.
import { useEffect, useRef } from 'react';
import { areaFromHash, type AreaId } from '../../app/areas';
import { matchShortcut } from '../../app/shortcuts';

export function useLeaveGuard(active: boolean, here: AreaId, onLeave: (area: AreaId) => void): void {
  const leave = useRef(onLeave);
  useEffect(() => {
    leave.current = onLeave;
  }, [onLeave]);

  useEffect(() => {
    if (!active) return;
    const onClick = (event: MouseEvent): void => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest('a[href^="#/"]') : null;
      const area = link ? areaFromHash(link.getAttribute('href') ?? '') : null;
      if (!area || area === here) return;
      event.preventDefault();
      event.stopPropagation();
      leave.current(area);
    };
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
        inTextField: false,
      });
      if (action?.type !== 'area' || action.area === here) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      leave.current(action.area);
    };
    const onBeforeUnload = (event: BeforeUnloadEvent): void => {
      event.preventDefault();
      // Older browsers (and Electron's dialog handler) look at returnValue.
      event.returnValue = '';
    };
    const askOnUnload = !window.counterbookTransport;
    document.addEventListener('click', onClick, true);
    window.addEventListener('keydown', onKeyDown, true);
    if (askOnUnload) window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [active, here]);
}
