import { electronBinary } from './electron-binary';

// Printed once per run so a skipped Electron suite always says why.
export default function globalSetup(): void {
  const binary = electronBinary();
  if (!binary.path) {
    console.log(`[e2e] The Electron tests (e2e/electron.spec.ts) will be skipped: ${binary.reason}. Install without ELECTRON_SKIP_BINARY_DOWNLOAD to run them.`);
  }
}
