import { Progress, Stack, Text } from '@mantine/core';
import type { BackupProgress } from '@shared/api/ops/backup';
import { OPERATION_LABELS } from './format';

/** The job in progress as a labelled progress bar (also used in the restore dialog). */
export function JobProgress({ progress }: { progress: BackupProgress }) {
  const percent = Math.round(progress.fraction * 100);
  return (
    <Stack gap={4}>
      <Progress value={percent} size="lg" animated aria-label={`${OPERATION_LABELS[progress.operation]} progress`} />
      <Text size="sm" aria-live="polite">
        {OPERATION_LABELS[progress.operation]}: {percent}% — {progress.message}
      </Text>
    </Stack>
  );
}

