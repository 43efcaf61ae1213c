import { describe, expect, it } from 'vitest';
import { formatBytes, shortChecksum } from './format';

describe('backups format', () => {
  it('formats sizes like a file manager', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1_220_608)).toBe('1.2 MB');
    expect(formatBytes(4_354_375_680)).toBe('4.1 GB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MB');
  });

  it('shortens checksums', () => {
    expect(shortChecksum('4c511c96134cf74855b04b3fd9fbe383aae1c7cc7c00a3fe8bad291900baf3e0')).toBe('4c511c96134c…');
    expect(shortChecksum('abc')).toBe('abc');
  });
});
