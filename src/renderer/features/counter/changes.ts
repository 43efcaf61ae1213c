// Refetching counter queries after writes, without crowding the sale's critical path.
//
// Every write in the core pushes `data.changed` with the collections it touched; a
// finalised sale touches `sales` (and the drawer, the ledger...). Queries refetched on
// every such event all reach the core at the moment the cashier waits for the receipt
// and the sales list, and each answer re-renders its screen. So each query here says
// which collections it reads, and a query that is not on screen right now (the parked
// count under a finished sale) can ask to be refetched a little later.
import { useEffect } from 'react';
import { api } from '../../api/client';

export interface RefetchOptions {
  /** Wait this long after the event (coalescing bursts); 0 = at once. */
  delayMs?: number;
}

/** Calls `refetch` after a `data.changed` that touched any of `collections`. */
export function useRefetchOnChange(refetch: () => void, collections: readonly string[], options: RefetchOptions = {}): void {
  const key = collections.join(' ');
  const delayMs = options.delayMs ?? 0;
  useEffect(() => {
    const wanted = new Set(key.split(' '));
    let timer: number | undefined;
    const off = api().on('data.changed', (payload) => {
      if (!payload.collections.some((c) => wanted.has(c))) return;
      if (delayMs <= 0) return refetch();
      if (timer === undefined)
        timer = window.setTimeout(() => {
          timer = undefined;
          refetch();
        }, delayMs);
    });
    return () => {
      off();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [refetch, key, delayMs]);
}
