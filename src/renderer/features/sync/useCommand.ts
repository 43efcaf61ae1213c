// Like useApiCall, but every failure stays inline next to the button that caused it.
// Sync commands fail for reasons the person must read where they acted (a wrong or
// expired pairing code, a server that cannot be reached, sync not available in this
// build), so even UNAVAILABLE and INTERNAL answers are shown in the card, not in a toast.
import { useCallback, useState } from 'react';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import { api, type ApiCallError } from '../../api/client';
import { toApiCallError } from '../../api/errors';

export interface Command<K extends OpName> {
  run: (input: OpInput<K>) => Promise<OpOutput<K> | undefined>;
  error: ApiCallError | null;
  loading: boolean;
  reset: () => void;
}

export function useCommand<K extends OpName>(op: K): Command<K> {
  const [state, setState] = useState<{ error: ApiCallError | null; loading: boolean }>({ error: null, loading: false });
  const run = useCallback(
    async (input: OpInput<K>): Promise<OpOutput<K> | undefined> => {
      setState({ error: null, loading: true });
      try {
        const output = await api().call(op, input);
        setState({ error: null, loading: false });
        return output;
      } catch (thrown) {
        setState({ error: toApiCallError(thrown), loading: false });
        return undefined;
      }
    },
    [op],
  );
  const reset = useCallback(() => setState({ error: null, loading: false }), []);
  return { ...state, run, reset };
}
