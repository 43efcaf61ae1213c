import { Avatar, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { SessionInfo } from '@shared/api/ops/auth';
import { lock, switchPerson } from '../../api/session-store';
import { ChevronDownIcon, KeyIcon, LockIcon, SwitchUserIcon } from '../people/icons';
import { initials, ROLE_COLORS, ROLE_LABELS } from '../people/roles';
import { ChangePinDialog } from './ChangePinDialog';

/** The signed-in person in the header, with Change PIN, Lock and Switch person. */
export function UserMenu({ session }: { session: SessionInfo }) {
  const [changePinOpened, changePin] = useDisclosure(false);
  return (
    <>
      <Menu position="bottom-end" width={240} shadow="md" withinPortal>
        <Menu.Target>
          <UnstyledButton
            aria-label={`Signed in: ${session.name}, ${ROLE_LABELS[session.role]}. Open the person menu`}
            px={6}
            py={4}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
            className="user-menu-target"
          >
            <Group gap="xs" wrap="nowrap">
              <Avatar size={34} radius="xl" color={ROLE_COLORS[session.role]} variant="filled" aria-hidden>
                {initials(session.name)}
              </Avatar>
              <Box visibleFrom="xs">
                <Text size="sm" fw={600} lh={1.2} data-testid="signed-in-name">
                  {session.name}
                </Text>
                <Text size="xs" c="dimmed" lh={1.2}>
                  {ROLE_LABELS[session.role]}
                </Text>
              </Box>
              <ChevronDownIcon size={16} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{session.name}</Menu.Label>
          <Menu.Item leftSection={<SwitchUserIcon />} onClick={() => void switchPerson()}>
            Switch person
          </Menu.Item>
          <Menu.Item leftSection={<LockIcon />} onClick={() => void lock('Locked. Enter your PIN to carry on where you left off.')}>
            Lock
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item leftSection={<KeyIcon />} onClick={changePin.open}>
            Change PIN…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePinDialog opened={changePinOpened} onClose={changePin.close} />
    </>
  );
}
