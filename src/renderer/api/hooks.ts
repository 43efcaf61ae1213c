// React hooks over `api().call`, typed by the contract. Build screens on these:
//
//   const status = useApiQuery('sync.status', {}, { refetchOn: ['sync.status'] });
//   const products = useApiQuery('counter.products', input, { refetchOnData: ['products'] });
//   const ping = useApiCall('system.ping');
//   const out = await ping.run({ message });   // undefined when it failed
//
// Errors follow one rule (api/errors.ts): form errors stay in `error` for an inline
// <ApiErrorAlert>, unexpected ones from commands are shown as a notification.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import type { EventName } from '@shared/api/events';
import type { CollectionName } from '@shared/schema';
import { notifyApiError } from '../components/notify';
import { api, type ApiCallError } from './client';
import { isFormError, toApiCallError } from './errors';

export interface ApiQuery<K extends OpName> {
  /** The last successful result for this input (kept while refetching and after a failed refetch). */
  data: OpOutput<K> | undefined;
  /** The last failure, cleared by the next success. Show it with <ApiErrorAlert>. */
  error: ApiCallError | null;
  /** True until the first answer (result or error) for this input arrives. */
  loading: boolean;
  /** Fetch again now, e.g. from a "Try again" button. */
  refetch: () => void;
}

export interface ApiQueryOptions {
  /** Push events after which the query is fetched again (it is also refetched after a reconnect). */
  refetchOn?: readonly EventName[];
  /**
   * Fetched again after a write to one of these collections (`data.changed` names them).
   * Prefer it to `refetchOn: ['data.changed']`, which refetches after every write: a sale
   * at the counter would make every query on screen ask again and re-render.
   */
  refetchOnData?: readonly CollectionName[];
  /** Wait this long after a `refetchOnData` write, so a burst asks once (a query not in the user's eye right now). */
  refetchDelayMs?: number;
}

interface Settled<K extends OpName> {
  key: string;
  data: OpOutput<K> | undefined;
  error: ApiCallError | null;
}

/**
 * Runs a query operation when the component mounts or `input` changes (compared by
 * value), again after each `refetchOn` event and after the connection to the core comes
 * back. Answers to superseded calls are dropped.
 */
export function useApiQuery<K extends OpName>(op: K, input: OpInput<K>, options: ApiQueryOptions = {}): ApiQuery<K> {
  const inputJson = JSON.stringify(input);
  const key = `${op}:${inputJson}`;
  const events = (options.refetchOn ?? []).join(' ');
  const collections = (options.refetchOnData ?? []).join(' ');
  const delayMs = options.refetchDelayMs ?? 0;
  const [settled, setSettled] = useState<Settled<K> | null>(null);
  const latestCall = useRef(0);

  const refetch = useCallback(() => {
    const call = ++latestCall.current;
    api()
      .call(op, JSON.parse(inputJson) as OpInput<K>)
      .then(
        (data) => {
          if (call === latestCall.current) setSettled({ key, data, error: null });
        },
        (error: unknown) => {
          if (call === latestCall.current) setSettled((prev) => ({ key, data: prev?.key === key ? prev.data : undefined, error: toApiCallError(error) }));
        },
      );
  }, [op, inputJson, key]);

  useEffect(() => {
    refetch();
    const client = api();
    const unsubscribe = events ? events.split(' ').map((name) => client.on(name as EventName, refetch)) : [];
    if (collections) {
      const wanted = new Set(collections.split(' '));
      let timer: ReturnType<typeof setTimeout> | undefined;
      unsubscribe.push(
        client.on('data.changed', ({ collections: touched }) => {
          if (!touched.some((c) => wanted.has(c))) return;
          if (delayMs <= 0) return refetch();
          timer ??= setTimeout(() => {
            timer = undefined;
            refetch();
          }, delayMs);
        }),
        () => clearTimeout(timer),
      );
    }
    let dropped = false;
    unsubscribe.push(
      client.onConnection((state) => {
        if (state === 'closed') dropped = true;
        if (state === 'open' && dropped) {
          dropped = false;
          refetch();
        }
      }),
    );
    return () => unsubscribe.forEach((off) => off());
  }, [refetch, events, collections, delayMs]);

  const current = settled?.key === key ? settled : null;
  return { data: current?.data, error: current?.error ?? null, loading: current === null, refetch };
}

export interface ApiCall<K extends OpName> {
  /** Calls the operation. Resolves to its output, or to undefined when it failed; never rejects. */
  run: (input: OpInput<K>) => Promise<OpOutput<K> | undefined>;
  /** The output of the last successful run. */
  data: OpOutput<K> | undefined;
  /** The last form error (VALIDATION, CONFLICT, LOCKED...) for an inline <ApiErrorAlert>; null otherwise. */
  error: ApiCallError | null;
  /** True while a run is in flight. */
  loading: boolean;
  /** Forget data and error (e.g. when the form is edited or closed). */
  reset: () => void;
}

interface CallState<K extends OpName> {
  data: OpOutput<K> | undefined;
  error: ApiCallError | null;
  loading: boolean;
}

/** Runs an operation on demand (forms, buttons). Unexpected errors become a notification. */
export function useApiCall<K extends OpName>(op: K): ApiCall<K> {
  const [state, setState] = useState<CallState<K>>({ data: undefined, error: null, loading: false });

  const run = useCallback(
    async (input: OpInput<K>): Promise<OpOutput<K> | undefined> => {
      setState((prev) => ({ ...prev, error: null, loading: true }));
      try {
        const data = await api().call(op, input);
        setState({ data, error: null, loading: false });
        return data;
      } catch (thrown) {
        const error = toApiCallError(thrown);
        if (isFormError(error)) {
          setState({ data: undefined, error, loading: false });
        } else {
          notifyApiError(error);
          setState({ data: undefined, error: null, loading: false });
        }
        return undefined;
      }
    },
    [op],
  );

  const reset = useCallback(() => setState({ data: undefined, error: null, loading: false }), []);
  return { ...state, run, reset };
}
