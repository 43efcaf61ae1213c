import { useState } from 'react';
import { Badge, Button, Code, DataList, Group, Modal, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SyncStatus } from '@shared/api/ops/sync';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { SYNC_STATE } from '../../components/status-labels';
import { progressText } from './format';
import { useCommand } from './useCommand';

type Paired = NonNullable<SyncStatus['paired']>;

interface PairedCardProps {
  status: SyncStatus & { paired: Paired };
  canUnpair: boolean;
  onChanged: (status: SyncStatus) => void;
}

/** Paired: with whom, the state, Sync now and Unpair. */
export function PairedCard({ status, canUnpair, onChanged }: PairedCardProps) {
  const now = useCommand('sync.now');
  const unpair = useCommand('sync.unpair');
  const [confirming, setConfirming] = useState(false);
  const state = SYNC_STATE[status.state];
  const { paired } = status;

  const syncNow = async (): Promise<void> => {
    const next = await now.run({});
    if (next) onChanged(next);
  };
  const doUnpair = async (): Promise<void> => {
    const next = await unpair.run({});
    if (!next) return;
    setConfirming(false);
    onChanged(next);
    notifications.show({ color: 'green', title: 'Unpaired', message: 'This device no longer syncs. Its data stays here.' });
  };

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} component="section" aria-labelledby="paired-title">
      <Group justify="space-between" align="flex-start" gap="md">
        <div style={{ minWidth: 0 }}>
          <Group gap="sm">
            <Title order={2} size="h4" id="paired-title">
              Paired with {paired.tenantName}
            </Title>
            <Badge size="lg" variant="light" color={state.color} data-testid="sync-state">
              {state.label}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed" mt={4} maw={640}>
            {state.explanation}
          </Text>
        </div>
        <Group gap="sm">
          <Button onClick={() => void syncNow()} loading={now.loading} disabled={status.state === 'revoked'}>
            Sync now
          </Button>
          {canUnpair && (
            <Button variant="outline" color="red" onClick={() => setConfirming(true)}>
              Unpair…
            </Button>
          )}
        </Group>
      </Group>

      <DataList labelWidth="9rem" gap="sm" mt="lg">
        <DataList.Item>
          <DataList.ItemLabel>Server</DataList.ItemLabel>
          <DataList.ItemValue>
            <Code style={{ wordBreak: 'break-all' }}>{paired.server}</Code>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Device code</DataList.ItemLabel>
          <DataList.ItemValue>
            <Text span ff="monospace" fw={600}>
              {paired.deviceCode}
            </Text>{' '}
            <Text span size="sm" c="dimmed">
              (in this device’s invoice numbers)
            </Text>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Paired</DataList.ItemLabel>
          <DataList.ItemValue>
            <RelativeTime at={paired.pairedAt} />
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>

      {status.progress && <SyncProgress progress={status.progress} />}
      <Stack gap="sm" mt={now.error ? 'md' : 0}>
        <ApiErrorAlert error={now.error} title="Could not sync now" />
      </Stack>

      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Unpair this device?" centered styles={{ title: { fontWeight: 650 } }}>
        <Stack gap="md">
          <Text size="sm">
            Syncing stops and this device forgets its credential for <b>{paired.server}</b>.
          </Text>
          <Text size="sm">
            <b>All data stays on this device</b> and work can go on here
            {status.queueDepth > 0
              ? `, but the ${status.queueDepth === 1 ? 'change' : `${status.queueDepth} changes`} not yet sent will not reach the other devices until it is paired again.`
              : '; the other devices just stop seeing its new work.'}
          </Text>
          <Text size="sm" c="dimmed">
            To pair again, an admin prints a new pairing code.
          </Text>
          <ApiErrorAlert error={unpair.error} title="The device was not unpaired" />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
              Keep syncing
            </Button>
            <Button color="red" onClick={() => void doUnpair()} loading={unpair.loading}>
              Unpair
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

function SyncProgress({ progress }: { progress: NonNullable<SyncStatus['progress']> }) {
  const percent = progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 100;
  const label = progress.phase === 'pull' ? 'Receiving from the server' : 'Sending to the server';
  return (
    <Stack gap={6} mt="lg" role="group" aria-label="Sync progress">
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {progressText(progress)}
        </Text>
      </Group>
      <Progress value={percent} size="lg" striped animated={progress.total === 0 || progress.done < progress.total} aria-label={label} />
    </Stack>
  );
}
