import type { ReactNode } from 'react';
import { Group, Paper, Text, Title } from '@mantine/core';

interface SectionProps {
  id: string;
  title: string;
  description?: ReactNode;
  /** Buttons on the right of the title. */
  actions?: ReactNode;
  children: ReactNode;
}

/** A titled card on the People screen (a region named by its title). */
export function Section({ id, title, description, actions, children }: SectionProps) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={id}>
      <Group justify="space-between" align="flex-start" mb="md" gap="md" wrap="nowrap">
        <div style={{ flex: 1, minWidth: 0 }}>
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed" mt={4}>
              {description}
            </Text>
          )}
        </div>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}
