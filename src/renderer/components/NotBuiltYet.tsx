import type { ReactNode } from 'react';
import { EmptyState, List, Paper } from '@mantine/core';

interface NotBuiltYetProps {
  icon: ReactNode;
  /** What this area will hold, one item per line. */
  planned: string[];
}

/** The honest placeholder for an area whose screens come in a later issue. */
export function NotBuiltYet({ icon, planned }: NotBuiltYetProps) {
  return (
    <Paper withBorder p="xl">
      <EmptyState
        size="md"
        variant="light"
        icon={icon}
        title="Not built yet"
        description="This area is planned and will arrive in a later release. Nothing here works yet. It will hold:"
      >
        <List size="sm" spacing={4} ta="left" mt="xs">
          {planned.map((item) => (
            <List.Item key={item}>{item}</List.Item>
          ))}
        </List>
      </EmptyState>
    </Paper>
  );
}
