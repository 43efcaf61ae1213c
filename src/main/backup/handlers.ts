import type { HandlerSlice } from '../core/router';
import { actorOf } from '../core/actor';
import type { BackupService } from './service';

export type BackupOpName = 'backup.list' | 'backup.create' | 'backup.verify' | 'backup.restore' | 'backup.delete' | 'backup.keep' | 'backup.settings';

export function backupHandlers(backups: BackupService): HandlerSlice<BackupOpName> {
  return {
    'backup.list': ({ folder }) => backups.list(folder),
    'backup.create': ({ note, folder }, ctx) => backups.create({ actor: actorOf(ctx), kind: 'manual', ...(note ? { note } : {}), ...(folder ? { folder } : {}) }),
    'backup.verify': (ref, ctx) => backups.verify(ref, actorOf(ctx)),
    'backup.restore': (ref, ctx) => backups.restore(ref, actorOf(ctx)),
    'backup.delete': async ({ id }, ctx) => {
      await backups.delete(id, actorOf(ctx));
      return { id };
    },
    'backup.keep': ({ id, keep }, ctx) => backups.setKeep(id, keep, actorOf(ctx)),
    'backup.settings': (update) => backups.updateSettings(update),
  };
}
