import type { ReactNode } from 'react';
import { Box, Group, Text } from '@mantine/core';
import { STORE_STATE, SYNC_STATE } from '../components/status-labels';
import { useStatusStore, type CoreConnection } from './status-store';

const CONNECTION: Record<CoreConnection, { label: string; color: string }> = {
  connecting: { label: 'Connecting…', color: 'blue' },
  connected: { label: 'Connected', color: 'green' },
  reconnecting: { label: 'Reconnecting…', color: 'orange' },
};

/** The bottom bar: connection to the core, store state and sync state, announced politely. */
export function StatusBar() {
  const connection = useStatusStore((s) => s.connection);
  const system = useStatusStore((s) => s.system);
  const sync = useStatusStore((s) => s.sync);
  const store = system ? STORE_STATE[system.store.state] : null;
  const syncState = sync ? SYNC_STATE[sync.state] : null;

  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="md">
      <Group gap="lg" wrap="nowrap" role="status" aria-live="polite" aria-label="Status" style={{ overflow: 'hidden' }}>
        <Item name="Core" color={CONNECTION[connection].color}>
          {CONNECTION[connection].label}
        </Item>
        <Item name="Store" color={store?.color ?? 'gray'}>
          {store?.label ?? '…'}
        </Item>
        <Item name="Sync" color={syncState?.color ?? 'gray'}>
          {syncState?.label ?? '…'}
          {sync && sync.queueDepth > 0 && ` · ${sync.queueDepth} waiting`}
          {sync && sync.conflicts > 0 && ` · ${sync.conflicts} ${sync.conflicts === 1 ? 'conflict' : 'conflicts'}`}
        </Item>
      </Group>
      {system && (
        <Text size="xs" c="dimmed" visibleFrom="sm" style={{ whiteSpace: 'nowrap' }}>
          Counterbook {system.appVersion}
        </Text>
      )}
    </Group>
  );
}

function Item({ name, color, children }: { name: string; color: string; children: ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Box w={8} h={8} bg={`${color}.7`} style={{ borderRadius: '50%', flex: 'none' }} aria-hidden />
      <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
        <Text span inherit c="dimmed">
          {name}:
        </Text>{' '}
        {children}
      </Text>
    </Group>
  );
}
