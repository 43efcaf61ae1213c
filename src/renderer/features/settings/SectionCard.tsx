import { useState, type FormEvent, type ReactNode } from 'react';
import { Badge, Box, Button, Divider, Fieldset, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import type { SectionForm } from './useSectionForm';

interface SectionCardProps {
  id: string;
  title: string;
  description: ReactNode;
  form: SectionForm<object>;
  loading: boolean;
  /** "Save shop details". */
  saveLabel: string;
  /** False for people who may look but not change (the core refuses anyway). */
  editable: boolean;
  children: ReactNode;
  /** Shown next to the form on wide screens (e.g. a receipt preview). */
  aside?: ReactNode;
}

/** One section of Settings: a titled form with its own Save, Discard and unsaved-changes badge. */
export function SectionCard({ id, title, description, form, loading, saveLabel, editable, children, aside }: SectionCardProps) {
  const [submitting, setSubmitting] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setSubmitting(true);
    try {
      await form.submit();
    } finally {
      setSubmitting(false);
    }
  };
  const titleId = `${id}-title`;

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} component="form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={titleId}>
      <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
        <div>
          <Title order={2} size="h4" id={titleId}>
            {title}
          </Title>
          <Text size="sm" c="dimmed" mt={4} maw={620}>
            {description}
          </Text>
        </div>
        {form.dirty && (
          <Badge color="orange" variant="light" style={{ flexShrink: 0 }}>
            Unsaved changes
          </Badge>
        )}
      </Group>
      <Group align="flex-start" gap="xl" mt="lg" wrap="wrap">
        <Fieldset variant="unstyled" disabled={!editable} style={{ flex: '1 1 360px', minWidth: 0 }} p={0} m={0}>
          <Stack gap="md">{children}</Stack>
        </Fieldset>
        {aside && <div style={{ flex: '0 1 300px', minWidth: 260 }}>{aside}</div>}
      </Group>
      {editable && (
        <>
          {form.alertError && (
            <Box mt="lg">
              <ApiErrorAlert error={form.alertError} title="The changes were not saved" />
            </Box>
          )}
          <Divider my="lg" />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={form.discard} disabled={!form.dirty || loading}>
              Discard changes
            </Button>
            <Button type="submit" loading={loading || submitting} disabled={!form.dirty}>
              {saveLabel}
            </Button>
          </Group>
        </>
      )}
    </Paper>
  );
}
