// How the core's states are named, coloured and explained, shared by the status bar and the screens.
import type { SyncStatus } from '@shared/api/ops/sync';
import type { SystemStatus } from '@shared/api/ops/system';

interface StateLabel {
  label: string;
  /** A Mantine colour for badges and dots. */
  color: string;
}

export const STORE_STATE: Record<SystemStatus['store']['state'], StateLabel> = {
  opening: { label: 'Opening', color: 'blue' },
  ready: { label: 'Ready', color: 'green' },
  error: { label: 'Error', color: 'red' },
};

export const SYNC_STATE: Record<SyncStatus['state'], StateLabel & { explanation: string }> = {
  off: {
    label: 'Off',
    color: 'gray',
    explanation: 'This device is not paired with a server. Everything is kept on this device.',
  },
  connecting: { label: 'Connecting', color: 'blue', explanation: 'Connecting to the server…' },
  online: {
    label: 'Online',
    color: 'green',
    explanation: 'Connected: changes are sent and received in the background.',
  },
  offline: {
    label: 'Offline',
    color: 'orange',
    explanation: 'The server cannot be reached. Work continues here and is sent when the connection is back.',
  },
  error: { label: 'Error', color: 'red', explanation: 'Sync has stopped because of an error (see below).' },
  revoked: {
    label: 'Revoked',
    color: 'red',
    explanation: 'The server no longer accepts this device. Local work is kept; ask an admin to pair it again.',
  },
};
