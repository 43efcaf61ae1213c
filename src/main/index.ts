// Electron main: lifecycle, windows, menus, security policy and OS integration. The
// data and all business logic live in the core, started in a utilityProcess.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { join } from 'node:path';
import { registerAppScheme, serveRenderer } from './shell/app-protocol';
import { CoreProcess } from './shell/core-process';
import { installMenu } from './shell/menu';
import { hardenSessions, isAppUrl } from './shell/security';
import { createMainWindow } from './shell/window';
import { DATA_DIR_ENV } from './core/paths';
import type { StoreUpgradeProgress } from '@shared/api/events';

app.setName('Counterbook');
registerAppScheme();

function dataDirFromArgs(): string {
  const flag = process.argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (flag >= 0) {
    const arg = process.argv[flag]!;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : process.argv[flag + 1];
    if (value) return value;
  }
  return process.env[DATA_DIR_ENV] ?? app.getPath('userData');
}

const dataDir = dataDirFromArgs();
if (!app.requestSingleInstanceLock({ dataDir })) {
  app.quit();
} else {
  const core = new CoreProcess(
    dataDir,
    (message) => {
      dialog.showErrorBox('Counterbook cannot open its data', message);
      app.quit();
    },
    // An older store is upgraded once while the core opens it: the windows show how far.
    (progress) => sendStoreUpgrade(progress),
  );
  function sendStoreUpgrade(progress: StoreUpgradeProgress): void {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send('counterbook:store-upgrade', progress);
    }
  }

  ipcMain.on('counterbook:connect', (event) => {
    // Only our own pages get a port to the core.
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) return;
    // (A core that cannot start has already told the person and quits the app.)
    core.connect(event.sender).catch(() => undefined);
  });

  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  void app.whenReady().then(async () => {
    hardenSessions();
    serveRenderer(join(__dirname, '../renderer'));
    installMenu();
    // The window opens at once ("Opening Counterbook…", with the progress of an upgrade)
    // and gets its port when the core is ready (connect waits for start).
    const started = core.start().catch(() => undefined);
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
    // A page that loaded after the last report (an index can take tens of seconds) gets it again.
    const repeat = setInterval(() => {
      if (core.storeUpgrade) sendStoreUpgrade(core.storeUpgrade);
    }, 1000);
    await started;
    clearInterval(repeat);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quit only after the core has closed the store (and taken its on-quit backup).
  let coreStopped = false;
  app.on('before-quit', (event) => {
    if (coreStopped) return;
    event.preventDefault();
    void core.stop().then(() => {
      coreStopped = true;
      app.quit();
    });
  });
}
