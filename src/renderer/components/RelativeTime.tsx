import { useEffect, useState } from 'react';
import { formatRelativeTime } from '../lib/time';

/** The current time, updated every `intervalMs`. */
function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

interface RelativeTimeProps {
  /** Epoch milliseconds, or null for "never". */
  at: number | null;
  never?: string;
}

/** "3 minutes ago", kept fresh; the exact local time is in the tooltip and `dateTime`. */
export function RelativeTime({ at, never = 'never' }: RelativeTimeProps) {
  const now = useNow();
  if (at === null) return <>{never}</>;
  const date = new Date(at);
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()}>
      {formatRelativeTime(at, now)}
    </time>
  );
}
