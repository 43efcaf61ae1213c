import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from './paths';

describe('data folder', () => {
  it('prefers --data-dir, then COUNTERBOOK_DATA_DIR, then the OS app-data folder', () => {
    expect(resolveDataDir(['node', 'x', '--data-dir', '/a'], { COUNTERBOOK_DATA_DIR: '/b' })).toBe('/a');
    expect(resolveDataDir(['node', 'x', '--data-dir=/c'], {})).toBe('/c');
    expect(resolveDataDir(['node', 'x'], { COUNTERBOOK_DATA_DIR: '/b' })).toBe('/b');
    expect(resolveDataDir(['node', 'x'], { XDG_CONFIG_HOME: '/home/u/.config' })).toMatch(/Counterbook$/);
  });

  it('matches the folder Electron uses for userData on each platform', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/Counterbook');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' })).toContain('Counterbook');
    expect(defaultDataDir('darwin', {})).toContain('Library/Application Support/Counterbook');
  });
});
