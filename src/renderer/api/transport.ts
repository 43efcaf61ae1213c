// The only place that touches the transport: Electron's preload bridge when present,
// otherwise the browser host's WebSocket (token taken from the page URL).

export interface RawTransport {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
  /** Connection state changes (the WebSocket can drop; the preload port does not). */
  onState(listener: (state: 'connecting' | 'open' | 'closed') => void): () => void;
}

interface PreloadBridge {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

declare global {
  interface Window {
    counterbookTransport?: PreloadBridge;
  }
}

function preloadTransport(bridge: PreloadBridge): RawTransport {
  return {
    send: (m) => bridge.send(m),
    onMessage: (l) => bridge.onMessage(l),
    onState: (l) => {
      l('open');
      return () => {};
    },
  };
}

/** WebSocket to the browser host; reconnects with back-off and queues messages meanwhile. */
function webSocketTransport(url: string): RawTransport {
  const messageListeners = new Set<(m: unknown) => void>();
  const stateListeners = new Set<(s: 'connecting' | 'open' | 'closed') => void>();
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let delay = 250;

  const setState = (s: 'connecting' | 'open' | 'closed'): void => stateListeners.forEach((l) => l(s));
  const connect = (): void => {
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = 250;
      setState('open');
      for (const m of queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (event) => {
      let data: unknown;
      try {
        data = JSON.parse(String(event.data));
      } catch {
        return;
      }
      messageListeners.forEach((l) => l(data));
    };
    ws.onclose = () => {
      socket = null;
      setState('closed');
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  };
  connect();

  return {
    send: (m) => {
      const text = JSON.stringify(m);
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage: (l) => {
      messageListeners.add(l);
      return () => messageListeners.delete(l);
    },
    onState: (l) => {
      stateListeners.add(l);
      return () => stateListeners.delete(l);
    },
  };
}

export function connectTransport(): RawTransport {
  if (window.counterbookTransport) return preloadTransport(window.counterbookTransport);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const wsUrl = `ws://${window.location.host}/api?token=${encodeURIComponent(token)}`;
  return webSocketTransport(wsUrl);
}
