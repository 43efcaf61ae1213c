// Preload: exposes the typed API transport to the renderer and nothing else. The
// renderer can post API messages and listen for replies and push events; it never
// sees ipcRenderer, the MessagePort or any Node API.
import { contextBridge, ipcRenderer } from 'electron';

type Listener = (message: unknown) => void;

let port: MessagePort | null = null;
const queue: unknown[] = [];
const listeners = new Set<Listener>();

ipcRenderer.on('counterbook:port', (event) => {
  const next = event.ports[0];
  if (!next) return;
  port?.close();
  port = next;
  port.onmessage = (message: MessageEvent) => {
    for (const listener of listeners) listener(message.data);
  };
  port.start();
  for (const message of queue.splice(0)) port.postMessage(message);
});
ipcRenderer.send('counterbook:connect');

// Before the core is ready (an older store being upgraded), main relays its progress as
// an ordinary push event.
ipcRenderer.on('counterbook:store-upgrade', (_event, progress: unknown) => {
  for (const listener of listeners) listener({ type: 'event', name: 'store.upgrade', payload: progress });
});

contextBridge.exposeInMainWorld('counterbookTransport', {
  send(message: unknown): void {
    if (port) port.postMessage(message);
    else queue.push(message);
  },
  onMessage(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
});
