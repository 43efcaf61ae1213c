// Fetching a receipt's text (`counter.receipt`), with a head start after a finalise.
//
// The receipt of a sale just finalised is asked for the moment the core answers the
// finalise (prefetchReceipt, from ../sell/finalise.ts), and the "Sale complete" screen
// is shown once it has arrived (a few milliseconds; finalise.ts waits at most
// RECEIPT_WAIT_MS): its ReceiptView then takes the text in its first render. Otherwise
// the screen would render twice, and the receipt's answer, arrived meanwhile, would wait
// for the first render and its effects before the second one shows it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpOutput } from '@shared/api/contract';
import { api, type ApiCallError } from '../../../api/client';
import { toApiCallError } from '../../../api/errors';
import type { DocumentRef, ReceiptWidth } from './print';

export type Receipt = OpOutput<'counter.receipt'>;

/** Requests started ahead of their screen, by document and width (a handful at most). */
const ahead = new Map<string, Promise<Receipt>>();
/** Their answers, once arrived, for a screen's first render. */
const arrived = new Map<string, Receipt>();
const MAX_AHEAD = 8;

const keyOf = (doc: DocumentRef, width: ReceiptWidth): string => `${'saleId' in doc ? `sale:${doc.saleId}` : `note:${doc.creditNoteId}`}:${width}`;
const fetchReceipt = (doc: DocumentRef, width: ReceiptWidth): Promise<Receipt> => api().call('counter.receipt', { ...doc, width });

/** Starts fetching a receipt that a screen is about to show; resolves when it has arrived (or failed). */
export function prefetchReceipt(doc: DocumentRef, width: ReceiptWidth): Promise<void> {
  const key = keyOf(doc, width);
  const started = ahead.get(key);
  if (started) return started.then(() => undefined, () => undefined);
  const request = fetchReceipt(doc, width);
  ahead.set(key, request);
  for (const old of ahead.keys()) {
    if (ahead.size <= MAX_AHEAD) break;
    ahead.delete(old);
    arrived.delete(old);
  }
  // A failure is reported by the screen that takes the request.
  return request.then(
    (receipt) => {
      if (ahead.get(key) === request) arrived.set(key, receipt);
    },
    () => undefined,
  );
}

export interface ReceiptQuery {
  data: Receipt | undefined;
  error: ApiCallError | null;
  refetch: () => void;
}

/** The receipt of a document at a width: a prefetched request if there is one, else a new one; again after a reconnect. */
export function useReceipt(doc: DocumentRef, width: ReceiptWidth): ReceiptQuery {
  const key = keyOf(doc, width);
  const docJson = JSON.stringify(doc);
  // A prefetched receipt that has arrived is shown in the first render.
  const [state, setState] = useState<{ key: string; data: Receipt | undefined; error: ApiCallError | null } | null>(() => {
    const data = arrived.get(key);
    return data ? { key, data, error: null } : null;
  });
  const latest = useRef(0);

  const load = useCallback(
    (takeAhead: boolean) => {
      const call = ++latest.current;
      const done = takeAhead ? arrived.get(key) : undefined;
      const prefetched = takeAhead ? ahead.get(key) : undefined;
      ahead.delete(key);
      arrived.delete(key);
      // An answer already shown by the first render leaves the state as it is.
      (done ? Promise.resolve(done) : (prefetched ?? fetchReceipt(JSON.parse(docJson) as DocumentRef, width))).then(
        (data) => {
          if (call === latest.current) setState((prev) => (prev?.key === key && prev.data === data && !prev.error ? prev : { key, data, error: null }));
        },
        (error: unknown) => {
          if (call === latest.current) setState((prev) => ({ key, data: prev?.key === key ? prev.data : undefined, error: toApiCallError(error) }));
        },
      );
    },
    [key, docJson, width],
  );

  useEffect(() => {
    load(true);
    let dropped = false;
    return api().onConnection((s) => {
      if (s === 'closed') dropped = true;
      if (s === 'open' && dropped) {
        dropped = false;
        load(false);
      }
    });
  }, [load]);

  const refetch = useCallback(() => load(false), [load]);
  const current = state?.key === key ? state : null;
  return { data: current?.data, error: current?.error ?? null, refetch };
}
