import { describe, expect, it } from 'vitest';
import { areaShortcutLabel, matchShortcut, type ShortcutKey } from './shortcuts';

const key = (over: Partial<ShortcutKey>): ShortcutKey => ({
  code: '',
  key: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  repeat: false,
  altGraph: false,
  inTextField: false,
  ...over,
});

describe('matchShortcut', () => {
  it('opens areas with Alt+digit on the number row, also in text fields', () => {
    expect(matchShortcut(key({ code: 'Digit1', key: '1', altKey: true }), false)).toEqual({ type: 'area', area: 'counter' });
    expect(matchShortcut(key({ code: 'Digit7', key: '7', altKey: true, inTextField: true }), false)).toEqual({ type: 'area', area: 'settings' });
  });

  it('ignores digits without Alt, Alt+keypad (Windows Alt codes), AltGr / Ctrl+Alt, digits past the last area and key repeat', () => {
    expect(matchShortcut(key({ code: 'Digit1', key: '1' }), false)).toBeNull();
    expect(matchShortcut(key({ code: 'Numpad1', key: '1', altKey: true }), false)).toBeNull();
    expect(matchShortcut(key({ code: 'Digit7', key: '{', altKey: true, ctrlKey: true }), false)).toBeNull();
    expect(matchShortcut(key({ code: 'Digit7', key: '{', altKey: true, altGraph: true }), false)).toBeNull();
    expect(matchShortcut(key({ code: 'Digit8', key: '8', altKey: true }), false)).toBeNull();
    expect(matchShortcut(key({ code: 'Digit2', key: '2', altKey: true, repeat: true }), false)).toBeNull();
  });

  it('uses Ctrl+digit on Apple platforms, where Option+digit types characters', () => {
    expect(matchShortcut(key({ code: 'Digit2', key: '™', altKey: true }), true)).toBeNull();
    expect(matchShortcut(key({ code: 'Digit2', key: '2', ctrlKey: true }), true)).toEqual({ type: 'area', area: 'orders' });
  });

  it('opens help with F1 anywhere and ? only outside text fields', () => {
    expect(matchShortcut(key({ key: 'F1', code: 'F1', inTextField: true }), false)).toEqual({ type: 'help' });
    expect(matchShortcut(key({ key: '?', code: 'Slash', shiftKey: true }), false)).toEqual({ type: 'help' });
    expect(matchShortcut(key({ key: '?', code: 'Slash', shiftKey: true, inTextField: true }), false)).toBeNull();
  });
});

describe('areaShortcutLabel', () => {
  it('names the keys for the platform', () => {
    expect(areaShortcutLabel(3, false)).toEqual({ label: 'Alt+3', aria: 'Alt+3' });
    expect(areaShortcutLabel(3, true)).toEqual({ label: '⌃3', aria: 'Control+3' });
  });
});
