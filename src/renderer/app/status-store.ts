// Live status of the core for the chrome (status bar, header): the connection to the
// core, `system.status` and `sync.status`, fed by calls, push events and the transport.
import { create } from 'zustand';
import type { SyncStatus } from '@shared/api/ops/sync';
import type { SystemStatus } from '@shared/api/ops/system';
import type { ApiClient } from '../api/client';
import { toApiCallError } from '../api/errors';
import { notifyApiError } from '../components/notify';

/** "reconnecting" once a connection that was open has dropped. */
export type CoreConnection = 'connecting' | 'connected' | 'reconnecting';

interface StatusState {
  connection: CoreConnection;
  system: SystemStatus | null;
  sync: SyncStatus | null;
}

export const useStatusStore = create<StatusState>(() => ({ connection: 'connecting', system: null, sync: null }));

/** Subscribes the store to the core; returns the cleanup. Call once at start-up. */
export function startStatusFeed(client: ApiClient): () => void {
  const set = useStatusStore.setState;
  let active = true;
  const refresh = (): void => {
    client.call('system.status', {}).then(
      (system) => active && set({ system, connection: 'connected' }),
      (error: unknown) => active && notifyApiError(toApiCallError(error)),
    );
    client.call('sync.status', {}).then(
      (sync) => active && set({ sync }),
      (error: unknown) => active && notifyApiError(toApiCallError(error)),
    );
  };

  let wasOpen = false;
  const offs = [
    client.on('system.status', (system) => set({ system })),
    client.on('sync.status', (sync) => set({ sync })),
    client.onConnection((state) => {
      if (state === 'open') {
        // After a drop, events may have been missed: fetch both again.
        if (wasOpen) refresh();
        wasOpen = true;
        set({ connection: 'connected' });
      } else {
        set({ connection: wasOpen ? 'reconnecting' : 'connecting' });
      }
    }),
  ];
  refresh();
  return () => {
    active = false;
    offs.forEach((off) => off());
  };
}
