import { useState } from 'react';
import { Badge, Button, Group, Paper, Skeleton, Switch, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { SyncConflict } from '@shared/api/ops/sync';
import { useApiQuery } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { ConflictDrawer } from './ConflictDrawer';
import { humanize, RESOLUTION_LABELS } from './format';

/** Changes made in two places that sync could not merge: a list, and a drawer to decide. */
export function ConflictsSection({ canResolve }: { canResolve: boolean }) {
  const [includeResolved, setIncludeResolved] = useState(false);
  const conflicts = useApiQuery('sync.conflicts', { includeResolved }, { refetchOn: ['sync.status'], refetchOnData: ['syncConflicts'] });
  const [openId, setOpenId] = useState<string | null>(null);
  const open = conflicts.data?.find((c) => c.id === openId) ?? null;
  const unresolved = conflicts.data?.filter((c) => !c.resolved).length ?? 0;

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} component="section" aria-labelledby="conflicts-title">
      <Group justify="space-between" align="flex-start" gap="sm" mb="md">
        <div>
          <Group gap="xs">
            <Title order={2} size="h4" id="conflicts-title">
              Conflicts
            </Title>
            {unresolved > 0 && (
              <Badge color="red" variant="light">
                {unresolved} to decide
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed" mt={4} maw={680}>
            The same record changed here and on another device in ways sync cannot merge. Both versions are kept until someone chooses one.
          </Text>
        </div>
        <Switch label="Show resolved" checked={includeResolved} onChange={(e) => setIncludeResolved(e.currentTarget.checked)} />
      </Group>

      <ApiErrorAlert error={conflicts.error} title="Could not load the conflicts" onRetry={conflicts.refetch} />
      {conflicts.loading ? (
        <Skeleton height={80} />
      ) : conflicts.data && conflicts.data.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="lg" bg="gray.0" style={{ borderRadius: 'var(--mantine-radius-md)' }}>
          {includeResolved ? 'No conflicts so far.' : 'No conflicts to decide.'}
        </Text>
      ) : (
        conflicts.data && <ConflictTable conflicts={conflicts.data} includeResolved={includeResolved} onOpen={setOpenId} />
      )}

      <ConflictDrawer conflict={open} canResolve={canResolve} onClose={() => setOpenId(null)} onResolved={() => conflicts.refetch()} />
    </Paper>
  );
}

function ConflictTable({ conflicts, includeResolved, onOpen }: { conflicts: SyncConflict[]; includeResolved: boolean; onOpen: (id: string) => void }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover verticalSpacing="sm" aria-labelledby="conflicts-title">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Collection</Table.Th>
            <Table.Th>Record</Table.Th>
            <Table.Th>Fields</Table.Th>
            <Table.Th>Detected</Table.Th>
            {includeResolved && <Table.Th>Outcome</Table.Th>}
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {conflicts.map((c) => (
            <Table.Tr key={c.id} onClick={() => onOpen(c.id)} style={{ cursor: 'pointer' }}>
              <Table.Td fw={500}>{humanize(c.collectionName)}</Table.Td>
              <Table.Td>
                <Text span ff="monospace" size="sm" title={c.docId}>
                  {c.docId.length > 14 ? `…${c.docId.slice(-12)}` : c.docId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {c.fields.slice(0, 4).map((f) => (
                    <Badge key={f} variant="outline" color="gray" tt="none" fw={500}>
                      {humanize(f)}
                    </Badge>
                  ))}
                  {c.fields.length > 4 && (
                    <Text span size="xs" c="dimmed">
                      +{c.fields.length - 4} more
                    </Text>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <RelativeTime at={c.detectedAt} />
              </Table.Td>
              {includeResolved && (
                <Table.Td>
                  {c.resolved && c.resolution ? (
                    <Badge variant="light" color="green">
                      {RESOLUTION_LABELS[c.resolution]}
                    </Badge>
                  ) : (
                    <Badge variant="light" color="red">
                      Open
                    </Badge>
                  )}
                </Table.Td>
              )}
              <Table.Td ta="right">
                <Button
                  size="xs"
                  variant={c.resolved ? 'subtle' : 'light'}
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(c.id);
                  }}
                  aria-label={`${c.resolved ? 'View' : 'Review'} the conflict in ${humanize(c.collectionName)} ${c.docId}`}
                >
                  {c.resolved ? 'View' : 'Review'}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
