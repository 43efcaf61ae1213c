// The in-page stopwatch of the Chromium-driven counter benchmark. `installProbe` is
// serialised by Playwright into every page of the browser context (addInitScript), so it
// must not use anything from this module's scope. It registers its capture listeners
// before the app registers its own, so its clock starts before any of the app's code sees
// the key.
//
// All times the probe hands out are absolute: performance.timeOrigin + performance.now()
// of the page that saw the moment. That sum is one clock for every renderer process on
// the machine (bench/counter-ui.ts measures the offset between the two windows of a run
// and reports it), so moments seen in two processes can be subtracted.
//
// The manager's sales list is shown in one of two ways (bench/counter-ui.ts):
//  - 'own-process': a page of its own browser context, i.e. its own renderer process and
//    main thread, as in the product (one Electron BrowserWindow per renderer process; the
//    app refuses window.open; a manager looks at the list on another window or device).
//    The list page's probe notes when each invoice first shows as the first row of the
//    list and the next frame of that page (armList, listed).
//  - 'same-process': a window.open popup of the cashier's page (the benchmark's earlier
//    set-up, kept for comparison): the same renderer process and main thread, so the
//    cashier's probe reads the popup's DOM directly.
//
// A sale (armSale, then Ctrl+Enter or F12 or a click on "Finalise sale"):
//   t0          the finalise keydown/click, in the capture phase (first listener);
//   invoiceAt   the cashier page shows the sale's invoice number (Sale complete);
//   receiptAt   its receipt is ready: the receipt preview holds the text with that invoice
//               number AND its Print button is enabled (it stays disabled until the text
//               of the chosen paper width has arrived);
//   listedAt    the sales list shows that invoice as the first row of today's list;
//   ready       the later of receiptAt and listedAt (DOM committed, found by MutationObserver);
//   painted     'same-process': the first animation frame of both windows after ready;
//               'own-process': the later of the cashier's first frame after receiptAt and
//               the list page's first frame after listedAt (each window paints its own
//               change in its own process).
// Insights (armInsights(from, to) in the list page, then a change of its "From" date):
//   t0 at the date input's `input` event (capture); renderedMs when the Insights body shows
//   figures for exactly that period (data-testid insights-period with those dates);
//   paintedMs at the next animation frame.

/** One sale as the benchmark reports it: ms from the finalise key (t0). */
export interface SaleTiming {
  invoice: string;
  invoiceMs: number;
  receiptMs: number;
  listedMs: number;
  readyMs: number;
  paintedMs: number;
  /** performance.now() at the listener minus the event's timeStamp (input queueing). */
  inputLagMs: number;
  /** From t0, per window, the WebSocket traffic until ready: "send counter.finalise@3.1". */
  wire: { cashier: string[]; list: string[] };
  /** With watchBusy: the stretches each main thread was busy, "start+length" in ms from t0. */
  busy: { cashier: string[]; list: string[] };
}

/** What the cashier's page saw of one sale (absolute times). */
export interface CashierSale {
  invoice: string;
  t0: number;
  inputLagMs: number;
  invoiceAt: number;
  receiptAt: number;
  /** The cashier window's first frame after receiptAt (after both receipt and list when the list is in this page). */
  paintedAt: number;
  /** Only when the list window is this page's popup (same process): when the invoice topped its list. */
  listedAt: number | null;
  wire: { cashier: string[]; list: string[] };
  busy: string[];
}

/** What the list page (own process) saw of one invoice (absolute times). */
export interface ListSighting {
  /** First seen as the first row of the list. */
  seenAt: number;
  /** The list page's first animation frame after seenAt. */
  paintedAt: number;
}

export interface InsightsTiming {
  renderedMs: number;
  paintedMs: number;
  /** The "Sales" figure as shown. */
  salesText: string;
}

export interface ProbeApi {
  /** performance.timeOrigin + performance.now() of this page. */
  now(): number;
  armSale(watchBusy?: boolean): void;
  sale(timeoutMs: number): Promise<CashierSale>;
  /** In the list page (own process): note each invoice that tops the list from now on. */
  armList(watchBusy?: boolean): void;
  listed(invoice: string, timeoutMs: number): Promise<ListSighting>;
  /** This page's WebSocket traffic between two absolute times, relative to `from`. */
  wire(from: number, to: number): string[];
  /** This page's busy stretches noted since armList/armSale, relative to `from`. */
  busy(from: number): string[];
  /** Keeps this page's main thread busy for `ms` (the separate-process check); returns when it started and ended (absolute). */
  block(ms: number): [number, number];
  /** Starts a message ping-pong on this page's main thread, noting when each ping ran (the separate-process check). */
  watchPings(): void;
  /** Stops it; the pings that ran between two absolute times and the longest pause between them (ms). */
  pingsBetween(from: number, to: number): { pings: number; longestPauseMs: number };
  armInsights(from: string, to: string): void;
  insights(timeoutMs: number): Promise<InsightsTiming>;
}

/** One WebSocket message as the wire log (installWireLog) saw it. */
export interface WireEntry {
  /** performance.timeOrigin + performance.now() of the window. */
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
  const at = (): number => performance.timeOrigin + performance.now();

  /** The wire log of a window between two absolute times, relative to `from`. */
  const wireOf = (win: Window | null | undefined, from: number, to: number): string[] =>
    ((win as W | null | undefined)?.__cbWire ?? [])
      .filter((e) => e.at >= from && e.at <= to)
      .map((e) => `${e.dir} ${e.kind === 'reply' ? `${e.name}:reply` : e.name}@${(e.at - from).toFixed(1)}`);

  const nextFrame = (win: Window): Promise<number> => new Promise((r) => win.requestAnimationFrame(() => r(at())));
  const topInvoiceOf = (doc: Document | null): string =>
    (doc?.querySelector('[role="grid"][aria-label^="Sales of "] [data-index="0"]')?.getAttribute('aria-label') ?? '').split(',')[0] ?? '';
  const observeAll: MutationObserverInit = { subtree: true, childList: true, characterData: true, attributes: true };

  /** Diagnosis only: a message ping-pong on the main thread; a gap over 3 ms means it was busy with something else. */
  let busy: [number, number][] = [];
  let busyUntil: () => boolean = () => true;
  const watchBusy = (stop: () => boolean): void => {
    busy = [];
    busyUntil = stop;
    const channel = new MessageChannel();
    let last = at();
    channel.port1.onmessage = () => {
      const now = at();
      if (now - last > 3) busy.push([last, now]);
      last = now;
      if (!busyUntil()) channel.port2.postMessage(0);
      else channel.port1.close();
    };
    channel.port2.postMessage(0);
  };

  // ------------------------------------------------------------------ the cashier's page
  interface SaleRun {
    t0: number | null;
    lag: number;
    invoice: string;
    invoiceAt: number;
    receiptAt: number;
    /** Same-process list (popup): first time each invoice number was seen as the list's first row. */
    seen: Map<string, number>;
    observers: MutationObserver[];
    watchBusy: boolean;
    done: Promise<CashierSale>;
    resolve: (t: CashierSale) => void;
    finished: boolean;
  }
  let sale: SaleRun | null = null;

  /** The sales-list popup's document, when the list window is this page's popup. */
  const popupDoc = (): Document | null => {
    try {
      return w.__cbList && !w.__cbList.closed ? w.__cbList.document : null;
    } catch {
      return null;
    }
  };

  const checkSale = (): void => {
    const s = sale;
    if (!s || s.t0 === null || s.finished) return;
    const now = at();
    const popup = popupDoc();
    if (popup) {
      const topInvoice = topInvoiceOf(popup);
      if (topInvoice && !s.seen.has(topInvoice)) s.seen.set(topInvoice, now);
    }
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
    const listedAt = popup ? s.seen.get(s.invoice) : null;
    if (!s.invoice || !s.receiptAt || listedAt === undefined) return;
    s.finished = true;
    s.observers.forEach((o) => o.disconnect());
    if (s.watchBusy) performance.mark('cb:ready');
    const t0 = s.t0;
    const readyAt = Math.max(s.receiptAt, listedAt ?? 0);
    const listWin = popup ? w.__cbList : null;
    void Promise.all([nextFrame(window), listWin ? nextFrame(listWin) : Promise.resolve(0)]).then(([a, b]) =>
      s.resolve({
        invoice: s.invoice,
        t0,
        inputLagMs: s.lag,
        invoiceAt: s.invoiceAt,
        receiptAt: s.receiptAt,
        paintedAt: Math.max(a, b),
        listedAt,
        wire: { cashier: wireOf(window, t0, readyAt), list: listWin ? wireOf(listWin, t0, readyAt) : [] },
        busy: busy.map(([from, to]) => `${(from - t0).toFixed(1)}+${(to - from).toFixed(1)}`),
      }),
    );
  };

  const startSale = (timeStamp: number): void => {
    const s = sale;
    if (!s || s.t0 !== null) return;
    s.t0 = at();
    s.lag = performance.now() - timeStamp;
    if (s.watchBusy) {
      performance.mark('cb:finalise');
      watchBusy(() => s.finished);
    }
    for (const doc of [document, popupDoc()]) {
      if (!doc) continue;
      const observer = new MutationObserver(checkSale);
      observer.observe(doc.documentElement, observeAll);
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

  // ------------------------------------------------------------------ the list's page (own process)
  interface ListRun {
    sightings: Map<string, ListSighting | null>;
    waiting: Map<string, (s: ListSighting) => void>;
    observer: MutationObserver;
    stopped: boolean;
  }
  let listRun: ListRun | null = null;

  const checkList = (): void => {
    const r = listRun;
    if (!r) return;
    const now = at();
    const top = topInvoiceOf(document);
    if (!top || r.sightings.has(top)) return;
    r.sightings.set(top, null);
    void nextFrame(window).then((paintedAt) => {
      const sighting = { seenAt: now, paintedAt };
      r.sightings.set(top, sighting);
      r.waiting.get(top)?.(sighting);
      r.waiting.delete(top);
    });
  };

  // ------------------------------------------------------------------ Insights (in the list's page)
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
    if (!r || r.t0 === null || r.finished) return;
    const shown = document.querySelector(`[data-testid="insights-period"][data-from="${r.from}"][data-to="${r.to}"]`);
    const sales = document.querySelector('[data-testid="insights-sales"]');
    if (!shown || !sales) return;
    const renderedAt = at();
    performance.mark('cb:insights-shown');
    r.finished = true;
    r.observer?.disconnect();
    const t0 = r.t0;
    void nextFrame(window).then((painted) => r.resolve({ renderedMs: renderedAt - t0, paintedMs: painted - t0, salesText: sales.textContent ?? '' }));
  };

  const timeout = <T>(p: Promise<T>, ms: number, what: () => string): Promise<T> =>
    Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`probe: ${what()} not seen within ${ms} ms`)), ms))]);

  let pings: { times: number[]; on: boolean } = { times: [], on: false };

  w.__cbProbe = {
    now: at,
    armSale(watch = false) {
      let resolve!: (t: CashierSale) => void;
      const done = new Promise<CashierSale>((r) => (resolve = r));
      sale = { t0: null, lag: 0, invoice: '', invoiceAt: 0, receiptAt: 0, seen: new Map(), observers: [], watchBusy: watch, done, resolve, finished: false };
    },
    sale(timeoutMs) {
      const s = sale;
      if (!s) return Promise.reject(new Error('probe: armSale() first'));
      return timeout(s.done, timeoutMs, () =>
        s.t0 === null ? 'the finalise key' : !s.invoice ? 'the invoice number' : !s.receiptAt ? `the receipt of ${s.invoice}` : `${s.invoice} at the top of the sales list`,
      );
    },
    armList(watch = false) {
      if (listRun) {
        listRun.stopped = true;
        listRun.observer.disconnect();
      }
      const observer = new MutationObserver(checkList);
      const run: ListRun = { sightings: new Map([[topInvoiceOf(document), null]]), waiting: new Map(), observer, stopped: false };
      listRun = run;
      observer.observe(document.documentElement, observeAll);
      if (watch) watchBusy(() => run.stopped);
    },
    listed(invoice, timeoutMs) {
      const r = listRun;
      if (!r) return Promise.reject(new Error('probe: armList() first'));
      const seen = r.sightings.get(invoice);
      const sighting = seen ? Promise.resolve(seen) : new Promise<ListSighting>((resolve) => r.waiting.set(invoice, resolve));
      return timeout(sighting, timeoutMs, () => `${invoice} at the top of the sales list`).finally(() => {
        r.stopped = true;
        r.observer.disconnect();
      });
    },
    wire: (from, to) => wireOf(window, from, to),
    busy: (from) => busy.map(([a, b]) => `${(a - from).toFixed(1)}+${(b - a).toFixed(1)}`),
    block(ms) {
      const start = at();
      while (at() < start + ms) {
        // busy on purpose
      }
      return [start, at()];
    },
    watchPings() {
      pings = { times: [], on: true };
      const run = pings;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        run.times.push(at());
        if (run.on) channel.port2.postMessage(0);
        else channel.port1.close();
      };
      channel.port2.postMessage(0);
    },
    pingsBetween(from, to) {
      pings.on = false;
      const inside = pings.times.filter((t) => t >= from && t <= to);
      const edges = [from, ...inside, to];
      let longestPauseMs = 0;
      for (let i = 1; i < edges.length; i++) longestPauseMs = Math.max(longestPauseMs, edges[i]! - edges[i - 1]!);
      return { pings: inside.length, longestPauseMs };
    },
    armInsights(from, to) {
      let resolve!: (t: InsightsTiming) => void;
      const done = new Promise<InsightsTiming>((r) => (resolve = r));
      const run: InsightsRun = { from, to, t0: null, finished: false, observer: null, done, resolve };
      insights = run;
      const onInput = (e: Event): void => {
        const target = e.target as Partial<HTMLInputElement> | null;
        if (run.t0 !== null || target?.type !== 'date' || target.value !== from) return;
        run.t0 = at();
        performance.mark('cb:insights');
        window.removeEventListener('input', onInput, true);
        run.observer = new MutationObserver(checkInsights);
        run.observer.observe(document.documentElement, observeAll);
        checkInsights();
      };
      window.addEventListener('input', onInput, true);
    },
    insights(timeoutMs) {
      const r = insights;
      if (!r) return Promise.reject(new Error('probe: armInsights() first'));
      return timeout(r.done, timeoutMs, () => (r.t0 === null ? 'the date change' : `insights for ${r.from}..${r.to}`));
    },
  };
}
