import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { AuditVerifyResult } from '@shared/api/ops/audit';
import { useApiCall } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { formatDuration } from '../../lib/time';

/** Verifies every device's hash chain on demand and shows the result per device. */
export function ChainStatusCard() {
  const verify = useApiCall('audit.verify');
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="chain-status-title">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={2} size="h4" id="chain-status-title">
            Chain status
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            Each device links its entries with a hash chain. Verifying recomputes every link, so an entry changed or removed
            behind the app’s back is found and named.
          </Text>
        </div>
        <Button onClick={() => void verify.run({})} loading={verify.loading} style={{ flexShrink: 0 }}>
          Verify the log
        </Button>
      </Group>
      <Stack gap="sm" mt="md">
        <ApiErrorAlert error={verify.error} title="Could not verify the log" />
        {verify.data ? <VerifyResultView result={verify.data} /> : !verify.loading && <Text size="sm">Not verified since this screen was opened.</Text>}
      </Stack>
    </Paper>
  );
}

function VerifyResultView({ result }: { result: AuditVerifyResult }) {
  if (result.devices.length === 0) return <Text size="sm" role="status">The log is empty: nothing to verify yet.</Text>;
  return (
    <>
      <Group gap="xs" role="status">
        <Badge size="lg" variant="light" color={result.ok ? 'teal' : 'red'}>
          {result.ok ? 'Intact' : 'Tampered'}
        </Badge>
        <Text size="sm">
          {result.ok
            ? `All ${result.entries} entries check out.`
            : 'Some entries were changed or removed after they were written. Keep this store and a backup for investigation.'}{' '}
          Checked <RelativeTime at={result.checkedAt} /> in {formatDuration(result.durationMs)}.
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs" aria-label="Chain status per device">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Device</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th ta="right">Entries</Table.Th>
              <Table.Th ta="right">Last #</Table.Th>
              <Table.Th>First problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.devices.map((d) => (
              <Table.Tr key={d.deviceId}>
                <Table.Td>
                  <Text size="sm">{d.deviceName}</Text>
                  {d.thisDevice && (
                    <Badge size="xs" variant="outline" ml={4}>
                      this device
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={d.ok ? 'teal' : 'red'}>
                    {d.ok ? 'intact' : 'broken'}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {d.entries}
                </Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {d.lastSeq}
                </Table.Td>
                <Table.Td>
                  {d.firstBreak ? (
                    <Text size="sm" c="red.8">
                      Entry #{d.firstBreak.seq} ({d.firstBreak.id}): {d.firstBreak.problem}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      none
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
