import { Badge, Button, Code, DataList, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { AuditEntry } from '@shared/api/ops/audit';
import { useApiQuery } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatAt, formatValue, humanize } from './format';

interface AuditEntryPanelProps {
  id: string | null;
  onShowHistory: (resourceType: string, resourceId: string) => void;
}

export function AuditEntryPanel({ id, onShowHistory }: AuditEntryPanelProps) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="audit-entry-title">
      <Title order={2} size="h4" id="audit-entry-title" mb="sm">
        Entry details
      </Title>
      {id ? <EntryLoader id={id} onShowHistory={onShowHistory} /> : <Text c="dimmed">Choose an entry to see what changed.</Text>}
    </Paper>
  );
}

function EntryLoader({ id, onShowHistory }: { id: string; onShowHistory: AuditEntryPanelProps['onShowHistory'] }) {
  const entry = useApiQuery('audit.entry', { id });
  if (entry.loading) return <Skeleton height={240} />;
  return (
    <>
      <ApiErrorAlert error={entry.error} title="Could not load the entry" onRetry={entry.refetch} />
      {entry.data && <EntryView entry={entry.data} onShowHistory={onShowHistory} />}
    </>
  );
}

function EntryView({ entry, onShowHistory }: { entry: AuditEntry; onShowHistory: AuditEntryPanelProps['onShowHistory'] }) {
  return (
    <Stack gap="md">
      <DataList labelWidth="7.5rem" gap="xs">
        <Item label="Action">
          <Code>{entry.action}</Code>
        </Item>
        <Item label="When">{formatAt(entry.at)}</Item>
        <Item label="Who">{entry.user.name}</Item>
        {entry.overrideBy && (
          <Item label="Approved by">
            <Group gap={6}>
              {entry.overrideBy.name}
              <Badge size="xs" color="orange" variant="light">
                manager override
              </Badge>
            </Group>
          </Item>
        )}
        {entry.reason && <Item label="Reason">{entry.reason}</Item>}
        <Item label="Record">
          {humanize(entry.resourceType)} <Code>{entry.resourceId}</Code>
        </Item>
        <Item label="Device">
          {entry.device.name}
          {entry.device.thisDevice ? ' (this device)' : ''} · entry #{entry.seq} · app {entry.appVersion || 'unknown'}
        </Item>
      </DataList>

      {entry.diff.length === 0 ? (
        <Text size="sm" c="dimmed">
          No field values changed.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing={6} striped aria-label="Changed fields">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Before</Table.Th>
                <Table.Th>After</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entry.diff.map((change) => (
                <Table.Tr key={change.field}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {humanize(change.field)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Value field={change.field} value={change.before} name={change.beforeName} present={'before' in change} />
                  </Table.Td>
                  <Table.Td>
                    <Value field={change.field} value={change.after} name={change.afterName} present={'after' in change} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Group justify="space-between">
        <Button variant="light" size="xs" onClick={() => onShowHistory(entry.resourceType, entry.resourceId)}>
          Show this record’s history
        </Button>
        <Text size="xs" c="dimmed" title={`previous: ${entry.prevHash || '(first entry)'}`} style={{ fontFamily: 'monospace' }}>
          hash {entry.hash.slice(0, 16)}…
        </Text>
      </Group>
    </Stack>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function Value({ field, value, name, present }: { field: string; value: unknown; name?: string; present: boolean }) {
  const text = formatValue(field, present ? value : undefined);
  const long = typeof value === 'object' && value !== null;
  return (
    <Text
      size="sm"
      c={present ? undefined : 'dimmed'}
      title={name ? text : undefined}
      style={{ wordBreak: 'break-word', fontFamily: long ? 'monospace' : undefined }}
    >
      {name ?? text}
    </Text>
  );
}
