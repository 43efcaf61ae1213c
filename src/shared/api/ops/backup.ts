// Backups of the local store (issue 5, "Backups"): automatic and on demand, verify,
// restore, retention and the backup folder. Every operation needs 'backup.manage'.
import { z } from 'zod';
import { defineOperation } from '../operation';

export const BACKUP_KINDS = ['hourly', 'daily', 'weekly', 'manual', 'pre-restore'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

/**
 * Why retention keeps a backup: 'pinned' (manual, pre-restore, or pinned by a person:
 * kept until deleted), 'hourly' / 'daily' / 'weekly' (among the newest N of its kind),
 * 'expired' (removed at the next pruning).
 */
export const RETENTION_STATES = ['pinned', 'hourly', 'daily', 'weekly', 'expired'] as const;

export const retentionPolicySchema = z.object({
  hourly: z.number().int().min(0, 'Keep 0 or more hourly backups.').max(1000, 'Keep at most 1000 hourly backups.'),
  daily: z.number().int().min(0, 'Keep 0 or more daily backups.').max(1000, 'Keep at most 1000 daily backups.'),
  weekly: z.number().int().min(0, 'Keep 0 or more weekly backups.').max(1000, 'Keep at most 1000 weekly backups.'),
});
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

export const backupSettingsSchema = z.object({
  /** Absolute path of the folder backups are written to (e.g. a USB drive). */
  folder: z.string().min(1),
  /** True when `folder` is the default one in the data folder. */
  isDefaultFolder: z.boolean(),
  /** Back up automatically (every `intervalMinutes` while data changes, and on quit). */
  automatic: z.boolean(),
  intervalMinutes: z.number().int().min(5).max(10_080),
  retention: retentionPolicySchema,
});
export type BackupSettings = z.infer<typeof backupSettingsSchema>;

export const backupInfoSchema = z.object({
  id: z.string(),
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string(),
  createdAt: z.number().int(),
  kind: z.enum(BACKUP_KINDS),
  /** Pinned by a person (exempt from retention). */
  keep: z.boolean(),
  retention: z.enum(RETENTION_STATES),
  appVersion: z.string(),
  note: z.string(),
  verifiedAt: z.number().int().nullable(),
  /** False when the file is not there now (deleted outside the app, or its drive is unplugged). */
  available: z.boolean(),
});
export type BackupInfo = z.infer<typeof backupInfoSchema>;

export const backupCheckSchema = z.object({
  name: z.enum(['file', 'checksum', 'integrity', 'store', 'shop']),
  ok: z.boolean(),
  message: z.string(),
});
export type BackupCheck = z.infer<typeof backupCheckSchema>;

export const verifyReportSchema = z.object({
  ok: z.boolean(),
  path: z.string(),
  sha256: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  checks: z.array(backupCheckSchema),
  /** Documents per collection, when the backup opened as a store. */
  counts: z.record(z.string(), z.number().int().nonnegative()),
  verifiedAt: z.number().int(),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;

export const BACKUP_PHASES = ['queued', 'copying', 'checksum', 'integrity', 'opening', 'safety-copy', 'swapping', 'restarting', 'done', 'failed'] as const;

/** Pushed while a backup, verify or restore runs (also on the CLI's progress line). */
export const backupProgressSchema = z.object({
  jobId: z.string(),
  operation: z.enum(['create', 'verify', 'restore']),
  phase: z.enum(BACKUP_PHASES),
  /** 0..1 of the whole job. */
  fraction: z.number().min(0).max(1),
  message: z.string(),
});
export type BackupProgress = z.infer<typeof backupProgressSchema>;

/** A recorded backup by id, or a backup file by path (e.g. on a drive from another machine). */
const backupRefSchema = z
  .object({
    id: z.string().min(1).max(100).optional(),
    path: z.string().min(1).max(1024).optional(),
  })
  .strict()
  .refine((v) => (v.id ? 1 : 0) + (v.path ? 1 : 0) === 1, { message: 'Give either the id of a backup or the path of a backup file.' });

export const backupOps = {
  'backup.list': defineOperation({
    summary: 'Recorded backups (newest first) with size, checksum, kind and retention; the job in progress; changes since the last backup.',
    kind: 'query',
    permission: 'backup.manage',
    input: z
      .object({
        /** List the backup files in this folder (their .json sidecars) instead of this device's records. */
        folder: z.string().min(1).max(1024).optional(),
      })
      .strict(),
    output: z.object({
      backups: z.array(backupInfoSchema),
      settings: backupSettingsSchema,
      running: backupProgressSchema.nullable(),
      lastBackupAt: z.number().int().nullable(),
      /** Data changed since the last backup. */
      changedSinceLastBackup: z.boolean(),
      /** When the next automatic backup is due (null: automatic backups are off or nothing changed). */
      nextAutomaticAt: z.number().int().nullable(),
    }),
  }),
  'backup.create': defineOperation({
    summary: 'Backs up the store now (SQLite online backup; the app keeps working), records it with its SHA-256 and prunes by retention.',
    kind: 'command',
    permission: 'backup.manage',
    input: z
      .object({
        note: z.string().max(500, 'Keep the note under 500 characters.').optional(),
        /** Write this one backup to another folder (the setting is not changed). */
        folder: z.string().min(1).max(1024).optional(),
      })
      .strict(),
    output: backupInfoSchema,
  }),
  'backup.verify': defineOperation({
    summary: 'Checks a backup: its SHA-256, PRAGMA integrity_check, and that it opens as a Counterbook store.',
    kind: 'command',
    permission: 'backup.manage',
    input: backupRefSchema,
    output: verifyReportSchema,
  }),
  'backup.restore': defineOperation({
    summary: 'Verifies the backup, backs up the current store (pre-restore), swaps the store file atomically and restarts the core.',
    kind: 'command',
    permission: 'backup.manage',
    input: backupRefSchema,
    output: z.object({
      restored: z.object({ path: z.string(), sha256: z.string(), createdAt: z.number().int().nullable() }),
      preRestore: backupInfoSchema,
      counts: z.record(z.string(), z.number().int().nonnegative()),
    }),
  }),
  'backup.delete': defineOperation({
    summary: 'Deletes a backup file and its record.',
    kind: 'command',
    permission: 'backup.manage',
    input: z.object({ id: z.string().min(1).max(100) }).strict(),
    output: z.object({ id: z.string() }),
  }),
  'backup.keep': defineOperation({
    summary: 'Pins a backup (kept until deleted) or unpins it (retention may remove an automatic one).',
    kind: 'command',
    permission: 'backup.manage',
    input: z.object({ id: z.string().min(1).max(100), keep: z.boolean() }).strict(),
    output: backupInfoSchema,
  }),
  'backup.settings': defineOperation({
    summary: 'Changes the backup folder (must exist and be writable), automatic backups and retention.',
    kind: 'command',
    permission: 'backup.manage',
    input: z
      .object({
        /** A folder of your choice; '' goes back to the default folder. */
        folder: z.string().max(1024).optional(),
        automatic: z.boolean().optional(),
        intervalMinutes: z.number().int().min(5, 'Back up at most every 5 minutes.').max(10_080, 'Back up at least once a week.').optional(),
        retention: retentionPolicySchema.partial().optional(),
      })
      .strict(),
    output: backupSettingsSchema,
  }),
} as const;
