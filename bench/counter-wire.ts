// A second anchor for the Chromium-driven counter benchmark: the same sale-to-ready as
// the router measurement, but over the browser host's WebSocket (the protocol of
// src/main/core/connection.ts) from a plain Node client, without any UI. Between the
// router figure and the browser figure it tells the transport and host process apart
// from the renderer.
import WebSocket from 'ws';

interface Reply {
  type: 'result';
  id: number;
  ok: boolean;
  output?: unknown;
  error?: { code: string; message: string };
}

export interface WireClient {
  call<T>(op: string, input: unknown): Promise<T>;
  close(): void;
}

/** Opens the host's /api WebSocket as a page of the host would (same origin, the run's token). */
export async function connectWire(pageUrl: string): Promise<WireClient> {
  const page = new URL(pageUrl);
  const ws = new WebSocket(`ws://${page.host}/api?token=${encodeURIComponent(page.searchParams.get('token') ?? '')}`, { origin: page.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (reply: Reply) => void>();
  ws.on('message', (data: WebSocket.RawData) => {
    const message = JSON.parse(String(data)) as { type: string; id?: number };
    if (message.type !== 'result' || message.id === undefined) return; // push events
    waiting.get(message.id)?.(message as Reply);
    waiting.delete(message.id);
  });
  return {
    call<T>(op: string, input: unknown): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, (reply) => (reply.ok ? resolve(reply.output as T) : reject(new Error(`${op}: ${reply.error?.code} ${reply.error?.message}`))));
        ws.send(JSON.stringify({ type: 'call', id, op, input }));
      });
    },
    close: () => ws.close(),
  };
}

/**
 * Signs the cashier in on a fresh connection, then for each finalise input: counter.finalise,
 * then today's counter.sales and counter.receipt together; returns the sale-to-ready times (ms).
 */
export async function wireSaleToReady(pageUrl: string, cashier: { userId: string; pin: string }, inputs: unknown[]): Promise<number[]> {
  const client = await connectWire(pageUrl);
  try {
    await client.call('auth.signIn', { userId: cashier.userId, pin: cashier.pin });
    const times: number[] = [];
    for (const input of inputs) {
      const t0 = performance.now();
      const { sale } = await client.call<{ sale: { id: string; day: string; invoiceNumber: string } }>('counter.finalise', input);
      const [list, receipt] = await Promise.all([
        client.call<{ items: { id: string }[] }>('counter.sales', { day: sale.day, limit: 50 }),
        client.call<{ text: string }>('counter.receipt', { saleId: sale.id, width: 80 }),
      ]);
      times.push(performance.now() - t0);
      if (list.items[0]?.id !== sale.id) throw new Error(`wire: sale ${sale.invoiceNumber} is not at the top of today's list`);
      if (!receipt.text.includes(sale.invoiceNumber)) throw new Error(`wire: receipt of ${sale.invoiceNumber} has no number`);
    }
    return times;
  } finally {
    client.close();
  }
}
