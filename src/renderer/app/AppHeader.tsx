import { ActionIcon, Burger, Group, Text, ThemeIcon, Tooltip } from '@mantine/core';
import type { SessionInfo } from '@shared/api/ops/auth';
import { useSessionStore } from '../api/session-store';
import { KeyboardIcon, LedgerIcon } from '../components/icons';
import { UserMenu } from '../features/auth/UserMenu';

interface AppHeaderProps {
  navOpened: boolean;
  onToggleNav: () => void;
  onOpenHelp: () => void;
  session: SessionInfo;
}

export function AppHeader({ navOpened, onToggleNav, onOpenHelp, session }: AppHeaderProps) {
  const shopName = useSessionStore((s) => s.shopName);
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
            {shopName ?? 'Back office'}
          </Text>
        </div>
      </Group>
      <Group gap="md" wrap="nowrap">
        <Tooltip label="Keyboard shortcuts (F1 or ?)">
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Keyboard shortcuts" aria-keyshortcuts="F1" onClick={onOpenHelp}>
            <KeyboardIcon size={20} />
          </ActionIcon>
        </Tooltip>
        <UserMenu session={session} />
      </Group>
    </Group>
  );
}
