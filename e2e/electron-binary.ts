import { existsSync } from 'node:fs';

/** Where the Electron binary is, or why it is not there (ELECTRON_SKIP_BINARY_DOWNLOAD). */
export function electronBinary(): { path: string | null; reason: string } {
  try {
    // The electron package's main export is the binary's path; it throws when the binary is missing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolving the binary is what the electron package's require does
    const path = require('electron') as unknown as string;
    if (typeof path === 'string' && existsSync(path)) return { path, reason: '' };
    return { path: null, reason: `the Electron binary is not installed (${String(path)})` };
  } catch (error) {
    return { path: null, reason: `the Electron binary is not installed: ${(error as Error).message.split('\n')[0]}` };
  }
}
