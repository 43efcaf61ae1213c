import type { ReactNode } from 'react';
import { Alert, Box, Center, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { useStatusStore } from '../../app/status-store';
import { LedgerIcon } from '../../components/icons';

interface AuthLayoutProps {
  /** Under "Counterbook": the shop's name, or what this screen is for. */
  subtitle?: string | null;
  /** Card width. */
  width?: number;
  children: ReactNode;
}

/** The calm full-window frame of the setup and sign-in screens. */
export function AuthLayout({ subtitle, width = 560, children }: AuthLayoutProps) {
  const connection = useStatusStore((s) => s.connection);
  return (
    <Box mih="100vh" bg="gray.0" py={{ base: 'lg', sm: 48 }} px="md" component="main">
      <Center>
        <Stack w="100%" maw={width} gap="lg">
          <Group gap="sm" justify="center" wrap="nowrap">
            <ThemeIcon size={44} radius="md" aria-hidden>
              <LedgerIcon size={26} />
            </ThemeIcon>
            <div>
              <Text fw={700} size="xl" lh={1.15}>
                Counterbook
              </Text>
              {subtitle && (
                <Text size="sm" c="dimmed" lh={1.2}>
                  {subtitle}
                </Text>
              )}
            </div>
          </Group>
          {connection === 'reconnecting' && (
            <Alert color="orange" variant="light" title="Reconnecting to the core…">
              The app lost its connection to the Counterbook core and is trying again.
            </Alert>
          )}
          {children}
        </Stack>
      </Center>
    </Box>
  );
}
