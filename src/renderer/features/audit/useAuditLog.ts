import { useCallback, useState } from 'react';
import type { OpInput, OpOutput } from '@shared/api/contract';
import type { AuditListItem } from '@shared/api/ops/audit';
import { useApiCall, useApiQuery } from '../../api/hooks';
import type { ApiCallError } from '../../api/client';

export const AUDIT_PAGE = 100;

type ListInput = Omit<OpInput<'audit.list'>, 'cursor' | 'limit'>;
type FirstPage = OpOutput<'audit.list'> | undefined;

interface MorePages {
  /** The first page these pages continue (a refetched first page starts over). */
  base: FirstPage;
  entries: AuditListItem[];
  cursor: string | null;
}

export interface AuditLog {
  entries: AuditListItem[];
  loading: boolean;
  loadingMore: boolean;
  /** There are older entries (or more of the log to search). */
  hasMore: boolean;
  error: ApiCallError | null;
  loadMore: () => void;
  refetch: () => void;
}

/** The filtered log, newest first: the first page is live (refetched after every write), older pages load on demand. */
export function useAuditLog(filter: ListInput): AuditLog {
  const first = useApiQuery('audit.list', { ...filter, limit: AUDIT_PAGE }, { refetchOn: ['data.changed'] });
  const more = useApiCall('audit.list');
  const [pages, setPages] = useState<MorePages>({ base: undefined, entries: [], cursor: null });
  const current: MorePages = pages.base === first.data && first.data ? pages : { base: first.data, entries: [], cursor: first.data?.nextCursor ?? null };
  const { run, loading: moreLoading } = more;
  const filterJson = JSON.stringify(filter);

  const loadMore = useCallback(() => {
    if (!current.cursor || moreLoading) return;
    const base = current.base;
    void run({ ...(JSON.parse(filterJson) as ListInput), limit: AUDIT_PAGE, cursor: current.cursor }).then((out) => {
      // Pages stay tied to the first page they continue: when that was refetched meanwhile, `current` drops them.
      if (out) setPages((prev) => ({ base, entries: [...(prev.base === base ? prev.entries : []), ...out.entries], cursor: out.nextCursor }));
    });
  }, [current.cursor, current.base, moreLoading, run, filterJson]);

  return {
    entries: [...(first.data?.entries ?? []), ...current.entries],
    loading: first.loading,
    loadingMore: moreLoading,
    hasMore: current.cursor !== null,
    error: first.error ?? more.error,
    loadMore,
    refetch: first.refetch,
  };
}
