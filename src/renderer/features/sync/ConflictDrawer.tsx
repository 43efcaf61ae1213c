import { useState } from 'react';
import { Alert, Badge, Button, Code, DataList, Drawer, Group, Stack, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SyncConflict } from '@shared/api/ops/sync';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { humanize, RESOLUTION_LABELS, sameValue, showValue } from './format';
import { useCommand } from './useCommand';

interface ConflictDrawerProps {
  conflict: SyncConflict | null;
  canResolve: boolean;
  onClose: () => void;
  onResolved: () => void;
}

/** One conflict: this device's and the server's values side by side, and the choice. */
export function ConflictDrawer({ conflict, canResolve, onClose, onResolved }: ConflictDrawerProps) {
  const resolve = useCommand('sync.resolveConflict');
  const [showAll, setShowAll] = useState(false);

  const close = (): void => {
    resolve.reset();
    setShowAll(false);
    onClose();
  };
  const keep = async (side: 'local' | 'server'): Promise<void> => {
    if (!conflict) return;
    const done = await resolve.run({ conflictId: conflict.id, keep: side });
    if (!done) return;
    notifications.show({
      color: 'green',
      title: 'Conflict resolved',
      message: side === 'local' ? 'This device’s version was kept and will be sent to the server.' : 'The server’s version was kept on this device.',
    });
    onResolved();
    close();
  };

  return (
    <Drawer
      opened={conflict !== null}
      onClose={close}
      position="right"
      size="xl"
      title={conflict ? `Conflict in ${humanize(conflict.collectionName)}` : 'Conflict'}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {conflict && (
        <Stack gap="lg">
          <DataList labelWidth="7rem" gap="xs">
            <DataList.Item>
              <DataList.ItemLabel>Record</DataList.ItemLabel>
              <DataList.ItemValue>
                <Code style={{ wordBreak: 'break-all' }}>{conflict.docId}</Code>
              </DataList.ItemValue>
            </DataList.Item>
            {conflict.reason && (
              <DataList.Item>
                <DataList.ItemLabel>Why</DataList.ItemLabel>
                <DataList.ItemValue data-testid="conflict-reason">{conflict.reason}</DataList.ItemValue>
              </DataList.Item>
            )}
            <DataList.Item>
              <DataList.ItemLabel>Detected</DataList.ItemLabel>
              <DataList.ItemValue>
                <RelativeTime at={conflict.detectedAt} />
              </DataList.ItemValue>
            </DataList.Item>
            {conflict.resolved && conflict.resolution && (
              <DataList.Item>
                <DataList.ItemLabel>Outcome</DataList.ItemLabel>
                <DataList.ItemValue>
                  <Badge variant="light" color="green">
                    {RESOLUTION_LABELS[conflict.resolution]}
                  </Badge>
                </DataList.ItemValue>
              </DataList.Item>
            )}
          </DataList>

          <Comparison conflict={conflict} showAll={showAll} />
          <Switch size="sm" label="Also show the fields that did not conflict" checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} />

          {!conflict.resolved &&
            (canResolve ? (
              <Stack gap="sm">
                <Text size="sm" c="dimmed">
                  Choose the version to keep for the whole record. The other one is replaced everywhere once the choice syncs.
                </Text>
                <ApiErrorAlert error={resolve.error} title="The conflict was not resolved" />
                <Group gap="sm" grow>
                  <Button variant="default" onClick={() => void keep('local')} loading={resolve.loading}>
                    Keep this device’s
                  </Button>
                  <Button variant="default" onClick={() => void keep('server')} loading={resolve.loading}>
                    Keep the server’s
                  </Button>
                </Group>
              </Stack>
            ) : (
              <Alert variant="light" color="blue">
                An admin decides which version to keep.
              </Alert>
            ))}
        </Stack>
      )}
    </Drawer>
  );
}

function Comparison({ conflict, showAll }: { conflict: SyncConflict; showAll: boolean }) {
  const others = [...new Set([...Object.keys(conflict.localDoc), ...Object.keys(conflict.serverDoc)])]
    .filter((f) => !conflict.fields.includes(f) && !f.startsWith('_'))
    .sort();
  const rows = showAll ? [...conflict.fields, ...others] : conflict.fields;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table withTableBorder withColumnBorders verticalSpacing="xs" layout="fixed" aria-label="This device’s and the server’s values">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="24%">Field</Table.Th>
            <Table.Th>This device</Table.Th>
            <Table.Th>Server</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((field) => {
            const conflicting = conflict.fields.includes(field);
            const local = conflict.localDoc[field];
            const server = conflict.serverDoc[field];
            const differs = !sameValue(local, server);
            return (
              <Table.Tr key={field} bg={conflicting ? 'yellow.0' : undefined}>
                <Table.Td>
                  <Text size="sm" fw={conflicting ? 600 : 400} title={field}>
                    {humanize(field)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Value value={local} strong={conflicting && differs} />
                </Table.Td>
                <Table.Td>
                  <Value value={server} strong={conflicting && differs} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Value({ value, strong }: { value: unknown; strong: boolean }) {
  const shown = showValue(value);
  if (shown.empty) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {shown.text}
      </Text>
    );
  }
  if (shown.block) {
    return (
      <Code block style={{ maxHeight: 160, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {shown.text}
      </Code>
    );
  }
  return (
    <Text size="sm" fw={strong ? 600 : 400} style={{ wordBreak: 'break-word' }}>
      {shown.text}
    </Text>
  );
}
