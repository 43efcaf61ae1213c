const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** "12 Mar 2026, 14:05" in this device's time zone. */
export function formatDateTime(ms: number): string {
  return dateTime.format(new Date(ms));
}
