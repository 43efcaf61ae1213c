import { Badge, Code, DataList, Group, Paper, Skeleton, Text, Title } from '@mantine/core';
import type { SystemStatus } from '@shared/api/ops/system';
import { useApiQuery } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { STORE_STATE } from '../../components/status-labels';

const HOST_LABELS: Record<SystemStatus['host'], string> = {
  electron: 'Desktop app',
  browser: 'Browser (local host)',
  cli: 'Command line',
  test: 'Test harness',
};

export function AboutDeviceCard() {
  const status = useApiQuery('system.status', {}, { refetchOn: ['system.status'] });
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="about-device-title">
      <Title order={2} size="h4" id="about-device-title" mb="md">
        About this device
      </Title>
      <ApiErrorAlert error={status.error} title="Could not read the device status" onRetry={status.refetch} />
      {status.loading ? <Skeleton height={120} /> : status.data && <AboutDevice status={status.data} />}
    </Paper>
  );
}

function AboutDevice({ status }: { status: SystemStatus }) {
  const store = STORE_STATE[status.store.state];
  return (
    <DataList labelWidth="9rem" gap="sm">
      <DataList.Item>
        <DataList.ItemLabel>Version</DataList.ItemLabel>
        <DataList.ItemValue>Counterbook {status.appVersion}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Running as</DataList.ItemLabel>
        <DataList.ItemValue>{HOST_LABELS[status.host]}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Data folder</DataList.ItemLabel>
        <DataList.ItemValue>
          <Code style={{ wordBreak: 'break-all' }}>{status.dataDir}</Code>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Local store</DataList.ItemLabel>
        <DataList.ItemValue>
          <Group gap="xs">
            <Badge variant="light" color={store.color}>
              {store.label}
            </Badge>
            {status.store.message && <Text size="sm">{status.store.message}</Text>}
          </Group>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Core started</DataList.ItemLabel>
        <DataList.ItemValue>
          <RelativeTime at={status.startedAt} />
        </DataList.ItemValue>
      </DataList.Item>
    </DataList>
  );
}
