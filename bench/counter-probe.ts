// The in-page stopwatch of the Chromium-driven counter benchmark. `installProbe` is
// serialised by Playwright into the cashier's page (addInitScript), so it must not use
// anything from this module's scope. It registers its capture listeners before the app
// registers its own, so its clock starts before any of the app's code sees the key.
//
// All times are the cashier page's performance.now(). The sales-list window is opened by
// that page (window.open, same origin), so it lives in the same renderer process and on
// the same main thread: the probe reads its DOM directly and one clock times both.
//
// A sale (armSale, then Ctrl+Enter or F12 or a click on "Finalise sale"):
//   t0          the finalise keydown/click, in the capture phase (first listener);
//   invoiceMs   the cashier page shows the sale's invoice number (Sale complete);
//   receiptMs   its receipt is ready: the receipt preview holds the text with that invoice
//               number AND its Print button is enabled (it stays disabled until the text
//               of the chosen paper width has arrived);
//   listedMs    the sales-list window shows that invoice as the first row of today's list;
//   readyMs     the later of receiptMs and listedMs (DOM committed, found by MutationObserver);
//   paintedMs   the first animation frame of both windows after readyMs (the frame that
//               paints it).
// Insights (armInsights(from, to), then a change of the "From" date in the list window):
//   t0 at the date input's `input` event (capture); renderedMs when the Insights body shows
//   figures for exactly that period (data-testid insights-period with those dates);
//   paintedMs at the next animation frame.

export interface SaleTiming {
  invoice: string;
  invoiceMs: number;
  receiptMs: number;
  listedMs: number;
  readyMs: number;
  paintedMs: number;
  /** performance.now() at the listener minus the event's timeStamp (input queueing). */
  inputLagMs: number;
  /** From t0, per window, the WebSocket traffic until readyMs: "send counter.finalise@3.1". */
  wire: { cashier: string[]; list: string[] };
  /** With armSale(true): the stretches the main thread (both windows) was busy, "start+length" in ms from t0. */
  busy: string[];
}

export interface InsightsTiming {
  renderedMs: number;
  paintedMs: number;
  /** The "Sales" figure as shown. */
  salesText: string;
}

export interface ProbeApi {
  armSale(watchBusy?: boolean): void;
  sale(timeoutMs: number): Promise<SaleTiming>;
  armInsights(from: string, to: string): void;
  insights(timeoutMs: number): Promise<InsightsTiming>;
}

/** One WebSocket message as the wire log (installWireLog) saw it. */
export interface WireEntry {
  /** performance.timeOrigin + performance.now() of the window (one clock for same-process windows). */
  at: number;
  dir: 'send' | 'recv';
  /** 'call', 'reply' or 'event'. */
  kind: string;
  /** The operation of a call or its reply, or the event's name. */
  name: string;
}

/**
 * Installed in every window (context init script, so the sales-list popup too): logs when
 * each WebSocket message to and from the host is sent and received, before the app's own
 * handler runs. Only the message's kind and operation are read (a regex, no JSON parse).
 */
export function installWireLog(): void {
  type W = Window & { __cbWire?: WireEntry[] };
  const w = window as W;
  if (w.__cbWire) return;
  const log: WireEntry[] = [];
  w.__cbWire = log;
  const ops = new Map<string, string>();
  const at = (): number => performance.timeOrigin + performance.now();
  const Native = window.WebSocket;
  class LoggedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e: MessageEvent) => {
        const t = at();
        const text = typeof e.data === 'string' ? e.data.slice(0, 200) : '';
        const event = /"type":"event"/.test(text) ? /"name":"([^"]+)"/.exec(text) : null;
        if (event) log.push({ at: t, dir: 'recv', kind: 'event', name: event[1]! });
        else {
          const id = /"id":(\d+)/.exec(text)?.[1] ?? '';
          log.push({ at: t, dir: 'recv', kind: 'reply', name: ops.get(id) ?? '?' });
          ops.delete(id);
        }
        if (log.length > 5000) log.splice(0, 1000);
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const t = at();
      const text = typeof data === 'string' ? data.slice(0, 200) : '';
      const op = /"op":"([^"]+)"/.exec(text)?.[1] ?? '?';
      const id = /"id":(\d+)/.exec(text)?.[1];
      if (id) ops.set(id, op);
      log.push({ at: t, dir: 'send', kind: 'call', name: op });
      super.send(data);
    }
  }
  window.WebSocket = LoggedWebSocket;
}

export function installProbe(): void {
  type W = Window & { __cbProbe?: ProbeApi; __cbList?: Window | null; __cbWire?: WireEntry[] };
  const w = window as W;
  if (w.__cbProbe) return;

  /** The wire log of a window between two of this page's performance.now() times. */
  const wireOf = (win: Window | null | undefined, from: number, to: number): string[] => {
    const entries = (win as W | null | undefined)?.__cbWire ?? [];
    const shift = performance.timeOrigin;
    return entries
      .map((e) => ({ ...e, t: e.at - shift }))
      .filter((e) => e.t >= from && e.t <= to)
      .map((e) => `${e.dir} ${e.kind === 'reply' ? `${e.name}:reply` : e.name}@${(e.t - from).toFixed(1)}`);
  };

  interface SaleRun {
    t0: number | null;
    lag: number;
    invoice: string;
    invoiceAt: number;
    receiptAt: number;
    /** First time each invoice number was seen as the list's first row. */
    seen: Map<string, number>;
    observers: MutationObserver[];
    watchBusy: boolean;
    busy: [number, number][];
    done: Promise<SaleTiming>;
    resolve: (t: SaleTiming) => void;
    finished: boolean;
  }
  let sale: SaleRun | null = null;

  const listDoc = (): Document | null => {
    try {
      return w.__cbList && !w.__cbList.closed ? w.__cbList.document : null;
    } catch {
      return null;
    }
  };
  const nextFrame = (win: Window): Promise<number> => new Promise((r) => win.requestAnimationFrame(() => r(performance.now())));

  const checkSale = (): void => {
    const s = sale;
    if (!s || s.t0 === null || s.finished) return;
    const now = performance.now();
    const list = listDoc();
    const top = list?.querySelector('[role="grid"][aria-label^="Sales of "] [data-index="0"]')?.getAttribute('aria-label') ?? '';
    const topInvoice = top.split(',')[0] ?? '';
    if (topInvoice && !s.seen.has(topInvoice)) s.seen.set(topInvoice, now);
    if (!s.invoice) {
      const shown = document.querySelector('[data-testid="invoice-number"]')?.textContent?.trim() ?? '';
      if (shown) {
        s.invoice = shown;
        s.invoiceAt = now;
      }
    }
    if (s.invoice && !s.receiptAt) {
      const text = document.querySelector('[data-testid="receipt-text"]')?.textContent ?? '';
      const print = document.querySelector<HTMLButtonElement>('[data-testid="receipt-print"]');
      if (text.includes(s.invoice) && print && !print.disabled) s.receiptAt = now;
    }
    const listedAt = s.invoice ? s.seen.get(s.invoice) : undefined;
    if (!s.invoice || !s.receiptAt || listedAt === undefined) return;
    s.finished = true;
    s.observers.forEach((o) => o.disconnect());
    if (s.watchBusy) performance.mark('cb:ready');
    const t0 = s.t0;
    const readyAt = Math.max(s.receiptAt, listedAt);
    const listWin = w.__cbList;
    void Promise.all([nextFrame(window), listWin ? nextFrame(listWin) : Promise.resolve(0)]).then(([a, b]) => {
      s.resolve({
        invoice: s.invoice,
        invoiceMs: s.invoiceAt - t0,
        receiptMs: s.receiptAt - t0,
        listedMs: listedAt - t0,
        readyMs: readyAt - t0,
        paintedMs: Math.max(a, b) - t0,
        inputLagMs: s.lag,
        wire: { cashier: wireOf(window, t0, readyAt), list: wireOf(listWin, t0, readyAt) },
        busy: s.busy.map(([from, to]) => `${(from - t0).toFixed(1)}+${(to - from).toFixed(1)}`),
      });
    });
  };

  /** Diagnosis only: a message ping-pong on the main thread; a gap over 3 ms means it was busy with something else. */
  const watchBusy = (s: SaleRun): void => {
    const channel = new MessageChannel();
    let last = performance.now();
    channel.port1.onmessage = () => {
      const now = performance.now();
      if (now - last > 3) s.busy.push([last, now]);
      last = now;
      if (!s.finished) channel.port2.postMessage(0);
      else channel.port1.close();
    };
    channel.port2.postMessage(0);
  };

  const startSale = (timeStamp: number): void => {
    const s = sale;
    if (!s || s.t0 !== null) return;
    s.t0 = performance.now();
    s.lag = s.t0 - timeStamp;
    if (s.watchBusy) performance.mark('cb:finalise');
    const options: MutationObserverInit = { subtree: true, childList: true, characterData: true, attributes: true };
    if (s.watchBusy) watchBusy(s);
    for (const doc of [document, listDoc()]) {
      if (!doc) continue;
      const observer = new MutationObserver(checkSale);
      observer.observe(doc.documentElement, options);
      s.observers.push(observer);
    }
    checkSale();
  };

  window.addEventListener(
    'keydown',
    (e) => {
      if ((e.key === 'Enter' && (e.ctrlKey || e.metaKey)) || e.key === 'F12') startSale(e.timeStamp);
    },
    true,
  );
  window.addEventListener(
    'click',
    (e) => {
      const target = e.target instanceof Element ? e.target.closest('button') : null;
      if (target?.textContent?.includes('Finalise sale')) startSale(e.timeStamp);
    },
    true,
  );

  interface InsightsRun {
    from: string;
    to: string;
    t0: number | null;
    finished: boolean;
    observer: MutationObserver | null;
    done: Promise<InsightsTiming>;
    resolve: (t: InsightsTiming) => void;
  }
  let insights: InsightsRun | null = null;

  const checkInsights = (): void => {
    const r = insights;
    const doc = listDoc();
    if (!r || r.t0 === null || r.finished || !doc) return;
    const shown = doc.querySelector(`[data-testid="insights-period"][data-from="${r.from}"][data-to="${r.to}"]`);
    const sales = doc.querySelector('[data-testid="insights-sales"]');
    if (!shown || !sales) return;
    const renderedAt = performance.now();
    performance.mark('cb:insights-shown');
    r.finished = true;
    r.observer?.disconnect();
    const t0 = r.t0;
    void nextFrame(w.__cbList!).then((painted) => r.resolve({ renderedMs: renderedAt - t0, paintedMs: painted - t0, salesText: sales.textContent ?? '' }));
  };

  const timeout = <T>(p: Promise<T>, ms: number, what: () => string): Promise<T> =>
    Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`probe: ${what()} not seen within ${ms} ms`)), ms))]);

  w.__cbProbe = {
    armSale(watch = false) {
      let resolve!: (t: SaleTiming) => void;
      const done = new Promise<SaleTiming>((r) => (resolve = r));
      sale = { t0: null, lag: 0, invoice: '', invoiceAt: 0, receiptAt: 0, seen: new Map(), observers: [], watchBusy: watch, busy: [], done, resolve, finished: false };
    },
    sale(timeoutMs) {
      const s = sale;
      if (!s) return Promise.reject(new Error('probe: armSale() first'));
      return timeout(s.done, timeoutMs, () =>
        s.t0 === null ? 'the finalise key' : !s.invoice ? 'the invoice number' : !s.receiptAt ? `the receipt of ${s.invoice}` : `${s.invoice} at the top of the sales list`,
      );
    },
    armInsights(from, to) {
      const doc = listDoc();
      if (!doc) throw new Error('probe: no sales-list window');
      let resolve!: (t: InsightsTiming) => void;
      const done = new Promise<InsightsTiming>((r) => (resolve = r));
      const run: InsightsRun = { from, to, t0: null, finished: false, observer: null, done, resolve };
      insights = run;
      const onInput = (e: Event): void => {
        // The list window's elements belong to its realm: `instanceof HTMLInputElement` (this realm's) is false.
        const target = e.target as Partial<HTMLInputElement> | null;
        if (run.t0 !== null || target?.type !== 'date' || target.value !== from) return;
        run.t0 = performance.now();
        performance.mark('cb:insights');
        doc.defaultView?.removeEventListener('input', onInput, true);
        run.observer = new MutationObserver(checkInsights);
        run.observer.observe(doc.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
        checkInsights();
      };
      doc.defaultView?.addEventListener('input', onInput, true);
    },
    insights(timeoutMs) {
      const r = insights;
      if (!r) return Promise.reject(new Error('probe: armInsights() first'));
      return timeout(r.done, timeoutMs, () => (r.t0 === null ? 'the date change' : `insights for ${r.from}..${r.to}`));
    },
  };
}
