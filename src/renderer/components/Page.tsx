import type { ReactNode } from 'react';
import { Stack, Text, Title } from '@mantine/core';

interface PageProps {
  title: string;
  /** One sentence under the title: what this screen is for. */
  description?: ReactNode;
  children: ReactNode;
}

/**
 * The frame of every screen: its h1 and a short description. The h1 is focusable
 * (`data-page-title`) so the shell can move focus to it when the area changes.
 */
export function Page({ title, description, children }: PageProps) {
  return (
    <Stack gap="lg" maw={1120}>
      <div>
        <Title order={1} size="h2" tabIndex={-1} data-page-title style={{ outline: 'none' }}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" mt={4}>
            {description}
          </Text>
        )}
      </div>
      {children}
    </Stack>
  );
}
