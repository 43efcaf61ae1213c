import { app, session, shell, type WebContents } from 'electron';

const EXTERNAL_LINKS = [/^https:\/\/wa\.me\//, /^mailto:/];

/** Refuses every permission request, navigation away from the app and new window. */
export function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Reminder links (WhatsApp, e-mail) open in the system's handler; nothing opens inside the app.
      if (EXTERNAL_LINKS.some((re) => re.test(url))) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

export function isAppUrl(url: string): boolean {
  return url.startsWith('app://counterbook/') || (!app.isPackaged && !!process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL));
}
