// Entry of the core when Electron's main starts it in a utilityProcess. It never
// imports electron: it sees only `process.parentPort`, which Electron provides, and
// the MessagePorts main hands over, one per window.
import { startCore, type Core } from './core';
import { serveConnection } from './connection';
import { appVersion } from './version';
import { fileSecretBox, type SecretBox } from '../sync/client';

interface PortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('The Counterbook core must be started by the desktop app (utilityProcess). Use `npm run serve` or `npm run cli` instead.');
  process.exit(2);
}

let core: Core | null = null;
let nextConnection = 0;

// The device's sync credential is sealed with Electron's safeStorage, which only the main
// process can reach: each encrypt/decrypt is a request over the parent port.
let nextSecretRequest = 0;
const secretReplies = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
function askMain(op: 'encrypt' | 'decrypt', data: string): Promise<string> {
  const id = ++nextSecretRequest;
  return new Promise((resolve, reject) => {
    secretReplies.set(id, { resolve, reject });
    parentPort!.postMessage({ type: 'secret', id, op, data });
  });
}
const safeStorageBox: SecretBox = { kind: 'safeStorage', encrypt: (plain) => askMain('encrypt', plain), decrypt: (sealed) => askMain('decrypt', sealed) };

parentPort.on('message', (event) => {
  const message = event.data as { type?: string; dataDir?: string; windowId?: number; safeStorage?: boolean; id?: number; ok?: boolean; data?: string; error?: string };
  if (message.type === 'secret-reply' && message.id !== undefined) {
    const waiter = secretReplies.get(message.id);
    secretReplies.delete(message.id);
    if (message.ok) waiter?.resolve(message.data ?? '');
    else waiter?.reject(new Error(message.error ?? 'The system keychain refused.'));
    return;
  }
  if (message.type === 'start' && message.dataDir && !core) {
    startCore({
      dataDir: message.dataDir,
      appVersion: appVersion(),
      host: 'electron',
      sync: { secretBox: message.safeStorage ? safeStorageBox : fileSecretBox() },
      // Before the core can answer anything, main shows this in the windows.
      onStoreUpgrade: (progress) => parentPort.postMessage({ type: 'store-upgrade', progress }),
    })
      .then((started) => {
        core = started;
        parentPort.postMessage({ type: 'ready' });
      })
      .catch((error: unknown) => {
        parentPort.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
      });
    return;
  }
  if (message.type === 'connect' && core && event.ports[0]) {
    const port = event.ports[0];
    serveConnection(
      core,
      {
        send: (m) => port.postMessage(m),
        onMessage: (listener) => port.on('message', (e) => listener(e.data)),
        onClose: (listener) => port.on('close', listener),
      },
      { connectionId: `window-${message.windowId ?? ++nextConnection}`, host: 'electron', session: null },
    );
    port.start();
    return;
  }
  if (message.type === 'stop') {
    void (core?.close() ?? Promise.resolve()).then(() => process.exit(0));
  }
});
