import { ActionIcon, Avatar, Box, Burger, Group, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { KeyboardIcon, LedgerIcon, UserIcon } from '../components/icons';

interface AppHeaderProps {
  navOpened: boolean;
  onToggleNav: () => void;
  onOpenHelp: () => void;
}

export function AppHeader({ navOpened, onToggleNav, onOpenHelp }: AppHeaderProps) {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger
          opened={navOpened}
          onClick={onToggleNav}
          hiddenFrom="sm"
          size="sm"
          aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
          aria-expanded={navOpened}
          aria-controls="app-navbar"
        />
        <ThemeIcon size={34} radius="md" aria-hidden>
          <LedgerIcon size={20} />
        </ThemeIcon>
        <div>
          <Text fw={700} size="lg" lh={1.15}>
            Counterbook
          </Text>
          <Text size="xs" c="dimmed" lh={1.2}>
            Back office
          </Text>
        </div>
      </Group>
      <Group gap="md" wrap="nowrap">
        <Tooltip label="Keyboard shortcuts (F1 or ?)">
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Keyboard shortcuts" aria-keyshortcuts="F1" onClick={onOpenHelp}>
            <KeyboardIcon size={20} />
          </ActionIcon>
        </Tooltip>
        <Group gap="xs" wrap="nowrap" aria-label="Signed-in person">
          <Avatar size={34} radius="xl" color="gray" aria-hidden>
            <UserIcon size={18} />
          </Avatar>
          <Box visibleFrom="xs">
            <Text size="sm" fw={500} lh={1.2}>
              Not signed in
            </Text>
            <Text size="xs" c="dimmed" lh={1.2}>
              Sign-in comes later
            </Text>
          </Box>
        </Group>
      </Group>
    </Group>
  );
}
