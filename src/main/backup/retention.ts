// Retention of automatic backups: pure functions over a list of backups, so the
// rules are tested with fake timestamps.
//
// An automatic backup gets its kind when it is made: the first one of a week (Monday
// to Sunday in the shop's time zone) is 'weekly', the first one of a day is 'daily',
// the others 'hourly'. Retention then keeps the newest N of each kind (24 hourly,
// 14 daily, 8 weekly by default). Manual and pre-restore backups, and any backup a
// person pinned (`keep`), are kept until someone deletes them.
import { dayKey } from '@shared/dates';
import type { BackupKind, RetentionPolicy } from '@shared/api/ops/backup';

export const DEFAULT_RETENTION: RetentionPolicy = { hourly: 24, daily: 14, weekly: 8 };

export type RetentionState = 'pinned' | 'hourly' | 'daily' | 'weekly' | 'expired';

export interface RetainedBackup {
  id: string;
  kind: BackupKind;
  createdAt: number;
  keep: boolean;
}

export type AutomaticKind = Extract<BackupKind, 'hourly' | 'daily' | 'weekly'>;

export function isAutomatic(kind: BackupKind): kind is AutomaticKind {
  return kind === 'hourly' || kind === 'daily' || kind === 'weekly';
}

/** Monday-based week number of a day key ('2025-06-16' -> weeks since 1970-01-05). */
export function weekKey(day: string): number {
  const days = Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
  // 1970-01-01 was a Thursday: +3 makes weeks start on Monday.
  return Math.floor((days + 3) / 7);
}

/** The kind of an automatic backup made at `at`, given the backups that exist. */
export function automaticKind(at: number, existing: readonly RetainedBackup[], policy: RetentionPolicy, timeZone: string): AutomaticKind {
  const day = dayKey(at, timeZone);
  const week = weekKey(day);
  const automatic = existing.filter((b) => isAutomatic(b.kind));
  if (policy.weekly > 0 && !automatic.some((b) => b.kind === 'weekly' && weekKey(dayKey(b.createdAt, timeZone)) === week)) return 'weekly';
  if (policy.daily > 0 && !automatic.some((b) => (b.kind === 'daily' || b.kind === 'weekly') && dayKey(b.createdAt, timeZone) === day)) return 'daily';
  return 'hourly';
}

/**
 * Which backups retention keeps, and why. Pinned, manual and pre-restore backups are
 * always kept; of each automatic kind the newest `policy[kind]` are kept; the rest
 * are 'expired' (deleted at the next pruning).
 */
export function planRetention(backups: readonly RetainedBackup[], policy: RetentionPolicy): Map<string, RetentionState> {
  const states = new Map<string, RetentionState>();
  const newestFirst = [...backups].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const seen: Record<AutomaticKind, number> = { hourly: 0, daily: 0, weekly: 0 };
  for (const backup of newestFirst) {
    if (backup.keep || !isAutomatic(backup.kind)) {
      states.set(backup.id, 'pinned');
      continue;
    }
    seen[backup.kind] += 1;
    states.set(backup.id, seen[backup.kind] <= policy[backup.kind] ? backup.kind : 'expired');
  }
  return states;
}

/** The ids retention would delete now. */
export function expiredBackups(backups: readonly RetainedBackup[], policy: RetentionPolicy): string[] {
  return [...planRetention(backups, policy)].filter(([, state]) => state === 'expired').map(([id]) => id);
}

/**
 * Whether an automatic backup is due: data changed since the last backup and a whole
 * interval has passed since it (or there is none yet).
 */
export function automaticBackupDue(input: { now: number; changed: boolean; lastBackupAt: number | null; intervalMs: number }): boolean {
  if (!input.changed) return false;
  return input.lastBackupAt === null || input.now - input.lastBackupAt >= input.intervalMs;
}
