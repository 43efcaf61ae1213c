// Fetching a receipt's text (`counter.receipt`), with a head start after a finalise.
//
// The receipt of a sale just finalised is asked for the moment the core answers the
// finalise (prefetchReceipt, from ../sell/finalise.ts), while React is still building the
// "Sale complete" screen, instead of when that screen's ReceiptView has mounted: the
// request and the render overlap, and the receipt is ready sooner.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpOutput } from '@shared/api/contract';
import { api, type ApiCallError } from '../../../api/client';
import { toApiCallError } from '../../../api/errors';
import type { DocumentRef, ReceiptWidth } from './print';

export type Receipt = OpOutput<'counter.receipt'>;

/** Requests started ahead of their screen, by document and width (a handful at most). */
const ahead = new Map<string, Promise<Receipt>>();
const MAX_AHEAD = 8;

const keyOf = (doc: DocumentRef, width: ReceiptWidth): string => `${'saleId' in doc ? `sale:${doc.saleId}` : `note:${doc.creditNoteId}`}:${width}`;
const fetchReceipt = (doc: DocumentRef, width: ReceiptWidth): Promise<Receipt> => api().call('counter.receipt', { ...doc, width });

/** Starts fetching a receipt that a screen is about to show. */
export function prefetchReceipt(doc: DocumentRef, width: ReceiptWidth): void {
  const key = keyOf(doc, width);
  if (ahead.has(key)) return;
  const request = fetchReceipt(doc, width);
  request.catch(() => undefined); // the screen that takes it reports the error
  ahead.set(key, request);
  for (const old of ahead.keys()) {
    if (ahead.size <= MAX_AHEAD) break;
    ahead.delete(old);
  }
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
  const [state, setState] = useState<{ key: string; data: Receipt | undefined; error: ApiCallError | null } | null>(null);
  const latest = useRef(0);

  const load = useCallback(
    (takeAhead: boolean) => {
      const call = ++latest.current;
      const prefetched = takeAhead ? ahead.get(key) : undefined;
      ahead.delete(key);
      (prefetched ?? fetchReceipt(JSON.parse(docJson) as DocumentRef, width)).then(
        (data) => {
          if (call === latest.current) setState({ key, data, error: null });
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
