import { useState, type FormEvent } from 'react';
import { Button, Code, Group, NumberInput, Paper, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import type { BackupSettings } from '@shared/api/ops/backup';
import { fieldError } from '../../api/errors';
import { useApiCall } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';

interface Draft {
  folder: string;
  automatic: boolean;
  intervalMinutes: number;
  hourly: number;
  daily: number;
  weekly: number;
}

const draftOf = (s: BackupSettings): Draft => ({
  folder: s.isDefaultFolder ? '' : s.folder,
  automatic: s.automatic,
  intervalMinutes: s.intervalMinutes,
  hourly: s.retention.hourly,
  daily: s.retention.daily,
  weekly: s.retention.weekly,
});

const toInt = (value: string | number, fallback: number): number => {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.round(n) : fallback;
};

/** Where backups go (e.g. a USB drive), automatic backups and how many of each kind retention keeps. */
export function BackupSettingsCard({ settings, onSaved }: { settings: BackupSettings; onSaved: () => void }) {
  const save = useApiCall('backup.settings');
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(false);
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const result = await save.run({
      folder: draft.folder.trim(),
      automatic: draft.automatic,
      intervalMinutes: draft.intervalMinutes,
      retention: { hourly: draft.hourly, daily: draft.daily, weekly: draft.weekly },
    });
    if (result) {
      setDraft(draftOf(result));
      setSaved(true);
      onSaved();
    }
  };

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="backup-settings-title">
      <Title order={2} size="h4" id="backup-settings-title">
        Backup settings
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">
        Backups go to <Code>{settings.folder}</Code>
        {settings.isDefaultFolder ? ' (in the data folder).' : '.'} A folder on another drive (e.g. a USB drive) survives a failed disk.
      </Text>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Backup folder"
            description="The whole path of an existing folder Counterbook can write to. Leave empty for the default folder."
            placeholder={settings.isDefaultFolder ? settings.folder : 'e.g. /media/usb/counterbook or E:\\Counterbook'}
            value={draft.folder}
            onChange={(event) => set('folder', event.currentTarget.value)}
            error={fieldError(save.error, 'folder')}
          />
          <Switch
            label="Back up automatically (every interval while data changes, and when the app closes)"
            checked={draft.automatic}
            onChange={(event) => set('automatic', event.currentTarget.checked)}
          />
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <NumberInput
              label="Minutes between backups"
              min={5}
              max={10_080}
              value={draft.intervalMinutes}
              onChange={(v) => set('intervalMinutes', toInt(v, draft.intervalMinutes))}
              error={fieldError(save.error, 'intervalMinutes')}
            />
            <NumberInput label="Hourly backups to keep" min={0} max={1000} value={draft.hourly} onChange={(v) => set('hourly', toInt(v, draft.hourly))} error={fieldError(save.error, 'retention.hourly')} />
            <NumberInput label="Daily backups to keep" min={0} max={1000} value={draft.daily} onChange={(v) => set('daily', toInt(v, draft.daily))} error={fieldError(save.error, 'retention.daily')} />
            <NumberInput label="Weekly backups to keep" min={0} max={1000} value={draft.weekly} onChange={(v) => set('weekly', toInt(v, draft.weekly))} error={fieldError(save.error, 'retention.weekly')} />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            The first automatic backup of a week is kept as weekly, the first of a day as daily, the others as hourly. Manual and pre-restore backups are kept until you delete
            them.
          </Text>
          <ApiErrorAlert error={save.error} title="The settings were not saved" />
          <Group>
            <Button type="submit" loading={save.loading}>
              Save backup settings
            </Button>
            {saved && (
              <Text size="sm" role="status">
                Saved.
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
