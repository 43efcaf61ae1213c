import { useState, type ReactNode } from 'react';
import { Alert, Badge, Group, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { SyncStatus } from '@shared/api/ops/sync';
import { AREA_LABELS } from '../../app/areas';
import { useApiQuery } from '../../api/hooks';
import { useCan } from '../../api/session-store';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { Page } from '../../components/Page';
import { RelativeTime } from '../../components/RelativeTime';
import { AlertIcon } from '../../components/icons';
import { SYNC_STATE } from '../../components/status-labels';
import { formatDuration } from '../../lib/time';
import { ConflictsSection } from './ConflictsSection';
import { PairCard } from './PairCard';
import { PairedCard } from './PairedCard';

export function SyncScreen() {
  const query = useApiQuery('sync.status', {}, { refetchOn: ['sync.status'] });
  const canManage = useCan('sync.manage');
  // A command's answer (pair, unpair, sync now) is the newest status until the query answers again.
  const [fromCommand, setFromCommand] = useState<{ basedOn: SyncStatus | undefined; status: SyncStatus } | null>(null);
  const status = fromCommand && fromCommand.basedOn === query.data ? fromCommand.status : query.data;
  const onChanged = (next: SyncStatus): void => setFromCommand({ basedOn: query.data, status: next });

  return (
    <Page title={AREA_LABELS.sync} description="Background sync between this device and the business’s server.">
      <ApiErrorAlert error={query.error} title="Could not read the sync status" onRetry={query.refetch} />
      {query.loading ? (
        <Skeleton height={180} radius="md" />
      ) : (
        status && (
          <Stack gap="lg">
            {status.paired ? (
              <PairedCard status={{ ...status, paired: status.paired }} canUnpair={canManage} onChanged={onChanged} />
            ) : (
              <PairCard canPair={canManage} onPaired={onChanged} />
            )}
            <SyncStatusView status={status} />
            <ConflictsSection canResolve={canManage} />
          </Stack>
        )
      )}
    </Page>
  );
}

function SyncStatusView({ status }: { status: SyncStatus }) {
  const state = SYNC_STATE[status.state];
  return (
    <Stack gap="md" component="section" aria-label="Sync status">
      {/* Paired devices show their state in the card above; "off" is explained by the pairing card. */}
      {!status.paired && status.state !== 'off' && (
      <Paper withBorder p="lg">
        <Group gap="sm">
          <Text fw={600}>State</Text>
          <Badge size="lg" variant="light" color={state.color}>
            {state.label}
          </Badge>
        </Group>
        <Text c="dimmed" size="sm" mt="xs">
          {state.explanation}
        </Text>
      </Paper>
      )}
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
        <Stat
          label="Waiting to send"
          hint={status.rejected ? `${status.rejected} of them refused by the server (see the last error)` : 'Changes made here and not yet on the server'}
        >
          {status.queueDepth === 1 ? '1 change' : `${status.queueDepth} changes`}
        </Stat>
        <Stat label="Last received" hint="Last pull from the server">
          <RelativeTime at={status.lastPullAt} />
        </Stat>
        <Stat label="Last sent" hint="Last push to the server">
          <RelativeTime at={status.lastPushAt} />
        </Stat>
        <Stat label="Lag" hint="How far this device is behind the server">
          {status.lagMs === null ? 'not measured' : formatDuration(status.lagMs)}
        </Stat>
        <Stat label="Conflicts" hint="Changes made in two places that need a person to decide">
          <Text span inherit c={status.conflicts > 0 ? 'red.8' : undefined}>
            {status.conflicts}
          </Text>
        </Stat>
        <Stat label="Last error" hint="The most recent problem the sync engine reported">
          {status.lastError === null ? 'none' : 'see below'}
        </Stat>
      </SimpleGrid>
      {status.lastError && (
        <Alert color="red" variant="light" icon={<AlertIcon />} title="Last sync error">
          {status.lastError}
        </Alert>
      )}
    </Stack>
  );
}

function Stat({ label, hint, children }: { label: string; hint: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="dl" m={0}>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="xl" fw={600} m={0} mt={2} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {children}
      </Text>
      <Text component="dd" size="xs" c="dimmed" m={0} mt={4}>
        {hint}
      </Text>
    </Paper>
  );
}
