// Live status of the core for the chrome (status bar, header): the connection to the
// core, `system.status` and `sync.status`, fed by calls, push events and the transport.
import { create } from 'zustand';
import type { SyncStatus } from '@shared/api/ops/sync';
import type { SystemStatus } from '@shared/api/ops/system';
import type { ApiClient } from '../api/client';
import { toApiCallError } from '../api/errors';
import { can, useSessionStore } from '../api/session-store';
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
  // sync.status needs a signed-in person allowed to read it: fetched after each sign-in.
  const refreshSync = (): void => {
    if (!can(useSessionStore.getState().session, 'sync.read')) return;
    client.call('sync.status', {}).then(
      (sync) => active && set({ sync }),
      (error: unknown) => {
        const e = toApiCallError(error);
        if (active && e.code !== 'UNAUTHENTICATED' && e.code !== 'FORBIDDEN') notifyApiError(e);
      },
    );
  };
  const refresh = (): void => {
    client.call('system.status', {}).then(
      (system) => active && set({ system, connection: 'connected' }),
      (error: unknown) => active && notifyApiError(toApiCallError(error)),
    );
    refreshSync();
  };

  let wasOpen = false;
  const offs = [
    useSessionStore.subscribe((state, prev) => {
      if (state.session?.userId !== prev.session?.userId) refreshSync();
    }),
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
