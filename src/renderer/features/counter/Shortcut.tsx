// A keyboard shortcut shown on a button or next to a label ("F12", "Ctrl+Enter").
import { Kbd, type MantineSpacing } from '@mantine/core';

export const IS_APPLE = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

/** "Ctrl+Enter" on Windows and Linux, "⌘↵" style on macOS. */
export function shortcutText(keys: string): string {
  if (!IS_APPLE) return keys;
  return keys.replace('Ctrl+', '⌘').replace('Alt+', '⌥').replace('Shift+', '⇧');
}

export function Shortcut({ keys, ml, inverse }: { keys: string; ml?: MantineSpacing | number; inverse?: boolean }) {
  return (
    <Kbd size="xs" ml={ml} className={inverse ? 'cb-kbd cb-kbd-inverse' : 'cb-kbd'} aria-hidden>
      {shortcutText(keys)}
    </Kbd>
  );
}
