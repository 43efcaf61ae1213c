import { useEffect, useState } from 'react';
import type { BackupProgress } from '@shared/api/ops/backup';
import { api } from '../../api/client';

/**
 * The backup job in progress (create, verify or restore), from `backup.progress` push
 * events; until the first event arrives, `initial` (what `backup.list` said). Calls
 * `onFinished` when a job ends, so the list can be fetched again.
 */
export function useBackupProgress(initial: BackupProgress | null | undefined, onFinished: (last: BackupProgress) => void): BackupProgress | null {
  const [fromEvents, setFromEvents] = useState<{ progress: BackupProgress | null } | null>(null);
  useEffect(
    () =>
      api().on('backup.progress', (event) => {
        if (event.phase === 'done' || event.phase === 'failed') {
          setFromEvents({ progress: null });
          onFinished(event);
        } else setFromEvents({ progress: event });
      }),
    [onFinished],
  );
  return fromEvents ? fromEvents.progress : (initial ?? null);
}
