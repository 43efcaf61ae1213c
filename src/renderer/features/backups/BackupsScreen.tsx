import { useCallback, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import type { BackupProgress } from '@shared/api/ops/backup';
import type { OpOutput } from '@shared/api/contract';
import { AREA_LABELS } from '../../app/areas';
import { useApiCall, useApiQuery } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { Page } from '../../components/Page';
import { RelativeTime } from '../../components/RelativeTime';
import { BackupSettingsCard } from './BackupSettingsCard';
import { BackupTable } from './BackupTable';
import { formatBytes } from './format';
import { JobProgress } from './JobProgress';
import { useBackupProgress } from './useBackupProgress';

type BackupList = OpOutput<'backup.list'>;

export function BackupsScreen() {
  const list = useApiQuery('backup.list', {}, { refetchOnData: ['backups'] });
  const { refetch } = list;
  const onFinished = useCallback(() => refetch(), [refetch]);
  const progress = useBackupProgress(list.data?.running, onFinished);

  return (
    <Page title={AREA_LABELS.backups} description="Copies of this device’s store: automatic every hour while data changes and when the app closes, or on demand. Verify them, restore one.">
      <ApiErrorAlert error={list.error} title="Could not read the backups" onRetry={list.refetch} />
      {list.loading ? (
        <Skeleton height={240} radius="md" />
      ) : (
        list.data && (
          <Stack gap="lg">
            <BackupNowCard list={list.data} progress={progress} />
            <BackupTable backups={list.data.backups} progress={progress} />
            <BackupSettingsCard settings={list.data.settings} onSaved={list.refetch} />
          </Stack>
        )
      )}
    </Page>
  );
}

function BackupNowCard({ list, progress }: { list: BackupList; progress: BackupProgress | null }) {
  const create = useApiCall('backup.create');
  const [note, setNote] = useState('');

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const created = await create.run(note.trim() ? { note: note.trim() } : {});
    if (created) setNote('');
  };

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="backup-now-title">
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Title order={2} size="h4" id="backup-now-title">
            Back up now
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            The app keeps working while the backup runs. Manual backups are kept until you delete them.
          </Text>
        </div>
        <Stack gap={4} align="flex-end">
          <Text size="sm">
            Last backup: <RelativeTime at={list.lastBackupAt} never="none yet" />
          </Text>
          {list.changedSinceLastBackup ? (
            <Badge color="yellow" variant="light" tt="none">
              Changes since the last backup
            </Badge>
          ) : (
            <Badge color="green" variant="light" tt="none">
              Everything is backed up
            </Badge>
          )}
          <Text size="xs" c="dimmed">
            {!list.settings.automatic ? (
              'Automatic backups are off.'
            ) : list.nextAutomaticAt ? (
              <>
                Next automatic backup: <RelativeTime at={list.nextAutomaticAt} />
              </>
            ) : (
              'Next automatic backup: after the next change.'
            )}
          </Text>
        </Stack>
      </Group>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Note (optional)"
            placeholder="e.g. before the price update"
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            maxLength={500}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Button type="submit" loading={create.loading} disabled={!!progress && !create.loading}>
            Back up now
          </Button>
        </Group>
      </form>
      <Stack gap="sm" mt="md">
        {progress && <JobProgress progress={progress} />}
        <ApiErrorAlert error={create.error} title="The backup did not work" />
        {create.data && !progress && (
          <Alert color="green" variant="light" role="status" title="Backup created" withCloseButton onClose={create.reset}>
            <Text size="sm">
              {formatBytes(create.data.sizeBytes)}, saved as {create.data.path}.
            </Text>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
