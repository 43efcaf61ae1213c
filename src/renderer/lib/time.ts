// Formatting of times and durations for people (English, like the rest of the UI).

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** "just now", "42 seconds ago", "3 hours ago", "in 2 minutes" (clocks can disagree). */
export function formatRelativeTime(at: number, now: number): string {
  const diff = at - now;
  if (Math.abs(diff) < 5_000) return 'just now';
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(diff) >= size) ?? ['second', 1_000];
  return relative.format(Math.trunc(diff / ms), unit);
}

/** "850 ms", "4.2 s", "3 min", "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${minutes / 60} h`;
}
