// better-sqlite3 is a native module: Node (tests, browser host, CLI) and Electron's
// utility process need it built for different ABIs. `node scripts/native-abi.mjs node|electron`
// checks the current build and rebuilds it for the requested runtime only when needed.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: node scripts/native-abi.mjs node|electron');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const probe = "require('better-sqlite3')(':memory:').prepare('select 1').get()";

if (target === 'node') {
  const ok = spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;
  if (!ok) {
    console.log('Rebuilding better-sqlite3 for Node…');
    execFileSync(npm, ['rebuild', 'better-sqlite3'], { stdio: 'inherit' });
  }
} else {
  let electron;
  try {
    electron = require('electron');
  } catch {
    console.error('The Electron binary is not installed here (it was skipped or could not be downloaded). Use `npm run serve` to run Counterbook in a browser.');
    process.exit(1);
  }
  const ok = spawnSync(electron, ['-e', probe], { stdio: 'ignore', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }).status === 0;
  if (!ok) {
    console.log('Rebuilding better-sqlite3 for Electron…');
    execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-builder', 'install-app-deps'], { stdio: 'inherit' });
  }
}
