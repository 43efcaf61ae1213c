import { useState } from 'react';
import { ActionIcon, Avatar, Badge, Group, Menu, Skeleton, Table, Text, VisuallyHidden } from '@mantine/core';
import type { Person } from '@shared/api/ops/people';
import { useApiQuery } from '../../api/hooks';
import { useCan, useSessionStore } from '../../api/session-store';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { DotsIcon, KeyIcon, LockIcon, SwitchUserIcon } from './icons';
import { ActiveDialog, ResetPinDialog, RoleDialog } from './PersonDialogs';
import { initials, ROLE_COLORS, ROLE_LABELS } from './roles';
import { Section } from './Section';

type Dialog = { kind: 'role' | 'active' | 'pin'; person: Person } | null;

function status(person: Person): { label: string; color: string } {
  if (!person.active) return { label: 'Disabled', color: 'red' };
  if (!person.canSignIn) return { label: 'No PIN yet', color: 'yellow' };
  return { label: 'Active', color: 'green' };
}

/** Everyone with an account; admins change roles, disable and enable, and reset PINs. */
export function PeopleTable() {
  const people = useApiQuery('people.list', { includeInactive: true }, { refetchOnData: ['users', 'invitations'] });
  const canManage = useCan('people.manage');
  const me = useSessionStore((s) => s.session?.userId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = (): void => setDialog(null);

  return (
    <Section id="people-title" title="People" description="Everyone with an account in this shop. Disabled people cannot sign in on any device.">
      <ApiErrorAlert error={people.error} title="Could not load the people" onRetry={people.refetch} />
      {people.loading ? (
        <Skeleton height={160} />
      ) : (
        people.data && (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover aria-labelledby="people-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>E-mail</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last sign-in</Table.Th>
                  {canManage && (
                    <Table.Th w={56}>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {people.data.map((person) => {
                  const s = status(person);
                  const self = person.id === me;
                  return (
                    <Table.Tr key={person.id}>
                      <Table.Td>
                        <Group gap="sm" wrap="nowrap">
                          <Avatar size={32} radius="xl" color={ROLE_COLORS[person.role]} variant="light" aria-hidden>
                            {initials(person.name)}
                          </Avatar>
                          <Text size="sm" fw={500}>
                            {person.name}
                          </Text>
                          {self && (
                            <Badge size="xs" variant="outline" color="gray">
                              You
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={person.email ? undefined : 'dimmed'}>
                          {person.email || '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={ROLE_COLORS[person.role]}>
                          {ROLE_LABELS[person.role]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="dot" color={s.color}>
                          {s.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          <RelativeTime at={person.lastLoginAt} />
                        </Text>
                      </Table.Td>
                      {canManage && (
                        <Table.Td>
                          <Menu position="bottom-end" withinPortal>
                            <Menu.Target>
                              <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Actions for ${person.name}`}>
                                <DotsIcon size={20} />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item leftSection={<SwitchUserIcon />} disabled={self} onClick={() => setDialog({ kind: 'role', person })}>
                                Change role…
                              </Menu.Item>
                              <Menu.Item leftSection={<KeyIcon />} onClick={() => setDialog({ kind: 'pin', person })}>
                                Reset PIN…
                              </Menu.Item>
                              <Menu.Divider />
                              <Menu.Item leftSection={<LockIcon />} color={person.active ? 'red' : undefined} disabled={self} onClick={() => setDialog({ kind: 'active', person })}>
                                {person.active ? 'Disable…' : 'Enable…'}
                              </Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      )}
      <RoleDialog person={dialog?.kind === 'role' ? dialog.person : null} onClose={close} />
      <ActiveDialog person={dialog?.kind === 'active' ? dialog.person : null} onClose={close} />
      <ResetPinDialog person={dialog?.kind === 'pin' ? dialog.person : null} onClose={close} />
    </Section>
  );
}
