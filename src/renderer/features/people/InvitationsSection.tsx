import { useMemo, useState } from 'react';
import { Badge, Button, Group, Modal, Skeleton, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Invitation } from '@shared/api/ops/people';
import { useApiCall, useApiQuery } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { formatDateTime } from './format';
import { PlusIcon } from './icons';
import { InviteDialog } from './InviteDialog';
import { ROLE_COLORS, ROLE_LABELS } from './roles';
import { Section } from './Section';

const STATUS: Record<Invitation['status'], { label: string; color: string }> = {
  pending: { label: 'Waiting', color: 'blue' },
  used: { label: 'Used', color: 'green' },
  expired: { label: 'Expired', color: 'gray' },
  revoked: { label: 'Withdrawn', color: 'red' },
};

/** Invitations with their status and expiry; "Invite someone" and "Withdraw". */
export function InvitationsSection() {
  const invitations = useApiQuery('people.invitations', {}, { refetchOn: ['data.changed'] });
  const people = useApiQuery('people.list', { includeInactive: true }, { refetchOn: ['data.changed'] });
  const names = useMemo(() => new Map((people.data ?? []).map((p) => [p.id, p.name])), [people.data]);
  const [inviting, setInviting] = useState(false);
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  return (
    <Section
      id="invitations-title"
      title="Invitations"
      description="A person joins by entering their one-time invitation code on the sign-in screen of any of the shop's devices."
      actions={
        <Button leftSection={<PlusIcon />} onClick={() => setInviting(true)}>
          Invite someone
        </Button>
      }
    >
      <ApiErrorAlert error={invitations.error} title="Could not load the invitations" onRetry={invitations.refetch} />
      {invitations.loading ? (
        <Skeleton height={100} />
      ) : invitations.data?.length === 0 ? (
        <Text size="sm" c="dimmed">
          No invitations yet.
        </Text>
      ) : (
        invitations.data && (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" aria-labelledby="invitations-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>E-mail</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Invited</Table.Th>
                  <Table.Th w={120}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invitations.data.map((inv) => (
                  <Table.Tr key={inv.id}>
                    <Table.Td>
                      <Text size="sm">{inv.email}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={ROLE_COLORS[inv.role]}>
                        {ROLE_LABELS[inv.role]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="dot" color={STATUS[inv.status].color}>
                        {STATUS[inv.status].label}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {inv.status === 'pending' ? (
                        <Text size="sm" title={formatDateTime(inv.expiresAt)}>
                          <RelativeTime at={inv.expiresAt} />
                        </Text>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {inv.status === 'expired' ? formatDateTime(inv.expiresAt) : '—'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        <RelativeTime at={inv.createdAt} />
                      </Text>
                      <Text size="xs" c="dimmed">
                        by {names.get(inv.createdBy) ?? 'someone'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {inv.status === 'pending' && (
                        <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(inv)} aria-label={`Withdraw the invitation for ${inv.email}`}>
                          Withdraw
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      )}
      <InviteDialog opened={inviting} onClose={() => setInviting(false)} />
      <Modal opened={!!revoking} onClose={() => setRevoking(null)} title="Withdraw this invitation?" centered>
        {revoking && <RevokeForm invitation={revoking} onClose={() => setRevoking(null)} />}
      </Modal>
    </Section>
  );
}

function RevokeForm({ invitation, onClose }: { invitation: Invitation; onClose: () => void }) {
  const revoke = useApiCall('people.revokeInvitation');
  const submit = async (): Promise<void> => {
    const out = await revoke.run({ invitationId: invitation.id });
    if (out) {
      notifications.show({ color: 'green', title: 'Invitation withdrawn', message: `The code for ${out.email} no longer works.` });
      onClose();
    }
  };
  return (
    <Stack gap="sm">
      <Text size="sm">
        The code given to <b>{invitation.email}</b> will stop working. You can invite them again later.
      </Text>
      <ApiErrorAlert error={revoke.error} title="Not withdrawn" />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" loading={revoke.loading} onClick={() => void submit()}>
          Withdraw
        </Button>
      </Group>
    </Stack>
  );
}
