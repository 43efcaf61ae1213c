import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Code, Group, List, Modal, Paper, ScrollArea, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import type { BackupInfo, BackupProgress, VerifyReport } from '@shared/api/ops/backup';
import { useApiCall } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { JobProgress } from './JobProgress';
import { KIND_LABELS, RETENTION_LABELS, formatBytes, shortChecksum } from './format';

const dateTime = (at: number): string => new Date(at).toLocaleString();

export function BackupTable({ backups, progress }: { backups: BackupInfo[]; progress: BackupProgress | null }) {
  const [verifying, setVerifying] = useState<BackupInfo | null>(null);
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);
  const [deleting, setDeleting] = useState<BackupInfo | null>(null);
  const keep = useApiCall('backup.keep');
  const busy = progress !== null;

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="backup-list-title">
      <Title order={2} size="h4" id="backup-list-title" mb="sm">
        Backups on this device
      </Title>
      <ApiErrorAlert error={keep.error} title="Could not change the backup" />
      {backups.length === 0 ? (
        <Text c="dimmed">No backups yet. The first automatic one is made an hour after the first change, or back up now.</Text>
      ) : (
        <ScrollArea>
          <Table striped highlightOnHover verticalSpacing="xs" miw={880} aria-labelledby="backup-list-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Made</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th>Checksum (SHA-256)</Table.Th>
                <Table.Th>Retention</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {backups.map((backup) => {
                const retention = RETENTION_LABELS[backup.retention];
                const automatic = backup.kind === 'hourly' || backup.kind === 'daily' || backup.kind === 'weekly';
                return (
                  <Table.Tr key={backup.id} aria-label={`Backup of ${dateTime(backup.createdAt)}${backup.note ? `: ${backup.note}` : ''}`}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        <RelativeTime at={backup.createdAt} />
                      </Text>
                      <Text size="xs" c="dimmed">
                        {dateTime(backup.createdAt)}
                      </Text>
                      {backup.note && (
                        <Text size="xs" fs="italic" maw={260} style={{ overflowWrap: 'anywhere' }}>
                          {backup.note}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge variant="light" color="gray" tt="none" style={{ overflow: 'visible' }} styles={{ label: { overflow: 'visible' } }}>
                        {KIND_LABELS[backup.kind]}
                      </Badge>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatBytes(backup.sizeBytes)}</Table.Td>
                    <Table.Td>
                      <Tooltip label={backup.sha256} multiline maw={320}>
                        <Code>{shortChecksum(backup.sha256)}</Code>
                      </Tooltip>
                      <Text size="xs" c="dimmed">
                        {backup.verifiedAt ? (
                          <>
                            verified <RelativeTime at={backup.verifiedAt} />
                          </>
                        ) : (
                          'not verified yet'
                        )}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Tooltip label={retention.hint} multiline maw={280}>
                        <Badge variant="light" color={retention.color} tt="none" style={{ overflow: 'visible' }} styles={{ label: { overflow: 'visible' } }}>
                          {retention.label}
                        </Badge>
                      </Tooltip>
                      {!backup.available && (
                        <Badge variant="filled" color="red" tt="none" ml={4}>
                          File missing
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <Button size="xs" variant="default" disabled={busy || !backup.available} onClick={() => setVerifying(backup)}>
                          Verify
                        </Button>
                        <Button size="xs" variant="default" disabled={busy || !backup.available} onClick={() => setRestoring(backup)}>
                          Restore
                        </Button>
                        {automatic && (
                          <Button size="xs" variant="subtle" disabled={busy} loading={keep.loading} onClick={() => void keep.run({ id: backup.id, keep: !backup.keep })}>
                            {backup.keep ? 'Unpin' : 'Pin'}
                          </Button>
                        )}
                        <Button size="xs" variant="subtle" color="red" disabled={busy} onClick={() => setDeleting(backup)}>
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {verifying && <VerifyDialog backup={verifying} progress={progress} onClose={() => setVerifying(null)} />}
      {restoring && <RestoreDialog backup={restoring} progress={progress} onClose={() => setRestoring(null)} />}
      {deleting && <DeleteDialog backup={deleting} onClose={() => setDeleting(null)} />}
    </Paper>
  );
}

function VerifyDialog({ backup, progress, onClose }: { backup: BackupInfo; progress: BackupProgress | null; onClose: () => void }) {
  const verify = useApiCall('backup.verify');
  const { run } = verify;
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void run({ id: backup.id });
  }, [run, backup.id]);
  return (
    <Modal opened onClose={onClose} title={`Verify the backup of ${dateTime(backup.createdAt)}`} size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Checks its SHA-256 against the one recorded when it was made, runs SQLite’s integrity check, and opens a copy as a store.
        </Text>
        {verify.loading && progress?.operation === 'verify' && <JobProgress progress={progress} />}
        <ApiErrorAlert error={verify.error} title="Could not verify the backup" />
        {verify.data && <VerifyResult report={verify.data} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const CHECK_LABELS: Record<VerifyReport['checks'][number]['name'], string> = {
  file: 'File',
  checksum: 'Checksum',
  integrity: 'Integrity',
  store: 'Opens as a store',
  shop: 'Made by',
};

function VerifyResult({ report }: { report: VerifyReport }) {
  return (
    <Stack gap="xs">
      <Alert color={report.ok ? 'green' : 'red'} variant="light" role="status" title={report.ok ? 'The backup is intact.' : 'This backup is damaged and cannot be restored.'}>
        <List size="sm" spacing={4}>
          {report.checks.map((check) => (
            <List.Item key={check.name}>
              <Text span fw={600} c={check.ok ? undefined : 'red'}>
                {check.ok ? '✓' : '✗'} {CHECK_LABELS[check.name]}:
              </Text>{' '}
              {check.message}
            </List.Item>
          ))}
        </List>
      </Alert>
    </Stack>
  );
}

function RestoreDialog({ backup, progress, onClose }: { backup: BackupInfo; progress: BackupProgress | null; onClose: () => void }) {
  const restore = useApiCall('backup.restore');
  const running = restore.loading;
  return (
    <Modal opened onClose={running ? () => undefined : onClose} closeOnEscape={!running} withCloseButton={!running} title="Restore this backup?" size="lg">
      <Stack gap="sm">
        {!restore.data && (
          <>
            <Text size="sm">
              The store goes back to how it was on <b>{dateTime(backup.createdAt)}</b>
              {backup.note ? ` (“${backup.note}”)` : ''}. Anything written after that is no longer in it.
            </Text>
            <Text size="sm" c="dimmed">
              Counterbook first verifies the backup, then keeps a safety copy of the data you have now (a “Before a restore” backup), swaps the store and restarts it. The
              app is unavailable for a moment.
            </Text>
          </>
        )}
        {running && progress?.operation === 'restore' && <JobProgress progress={progress} />}
        <ApiErrorAlert error={restore.error} title="The backup was not restored" />
        {restore.data && (
          <Alert color="green" variant="light" role="status" title="Restored">
            <Text size="sm">
              The store is back to {dateTime(backup.createdAt)}. The data you had before is kept in {restore.data.preRestore.fileName}.
            </Text>
          </Alert>
        )}
        <Group justify="flex-end">
          {restore.data ? (
            <Button onClick={onClose}>Close</Button>
          ) : (
            <>
              <Button variant="default" onClick={onClose} disabled={running}>
                Cancel
              </Button>
              <Button color="red" loading={running} onClick={() => void restore.run({ id: backup.id })}>
                Restore this backup
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

function DeleteDialog({ backup, onClose }: { backup: BackupInfo; onClose: () => void }) {
  const remove = useApiCall('backup.delete');
  return (
    <Modal opened onClose={onClose} title="Delete this backup?">
      <Stack gap="sm">
        <Text size="sm">
          The backup of {dateTime(backup.createdAt)} ({formatBytes(backup.sizeBytes)}) is deleted from <Code>{backup.path}</Code>. This cannot be undone.
        </Text>
        <ApiErrorAlert error={remove.error} title="Could not delete the backup" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.loading}
            onClick={() =>
              void remove.run({ id: backup.id }).then((done) => {
                if (done) onClose();
              })
            }
          >
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
