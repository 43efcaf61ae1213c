import { useState } from 'react';
import { Alert, Avatar, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import type { Role } from '@shared/auth/permissions';
import { useApiQuery } from '../../api/hooks';
import { clearLockedPerson, useSessionStore, type PersonRef } from '../../api/session-store';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { LockIcon, TicketIcon } from '../people/icons';
import { initials, ROLE_COLORS, ROLE_LABELS } from '../people/roles';
import { AuthLayout } from './AuthLayout';
import { InvitationForm } from './InvitationForm';
import { PinEntry } from './PinEntry';

type Mode = { kind: 'choose' } | { kind: 'pin'; person: PersonRef } | { kind: 'invitation' };

/**
 * The sign-in screen of a shared counter: big tiles for the people who can sign in on
 * this device, then their PIN. After a lock the person who was signed in is preselected.
 */
export function SignInScreen() {
  const shopName = useSessionStore((s) => s.shopName);
  const lockedPerson = useSessionStore((s) => s.lockedPerson);
  const reason = useSessionStore((s) => s.signedOutReason);
  const [mode, setMode] = useState<Mode>(() => (lockedPerson ? { kind: 'pin', person: lockedPerson } : { kind: 'choose' }));

  const choose = (): void => {
    clearLockedPerson();
    setMode({ kind: 'choose' });
  };

  return (
    <AuthLayout subtitle={shopName} width={mode.kind === 'choose' ? 760 : 520}>
      {reason && (
        <Alert color="blue" variant="light" icon={<LockIcon />} role="status">
          {reason}
        </Alert>
      )}
      {mode.kind === 'choose' && <ChoosePerson onPick={(person) => setMode({ kind: 'pin', person })} onInvitation={() => setMode({ kind: 'invitation' })} />}
      {mode.kind === 'pin' && <PinEntry key={mode.person.userId} person={mode.person} onBack={choose} />}
      {mode.kind === 'invitation' && <InvitationForm onBack={choose} />}
    </AuthLayout>
  );
}

function ChoosePerson({ onPick, onInvitation }: { onPick: (person: PersonRef) => void; onInvitation: () => void }) {
  const choices = useApiQuery('auth.signInChoices', {}, { refetchOn: ['data.changed'] });
  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 32 }} shadow="xs">
      <Stack gap="lg">
        <div>
          <Title order={1} size="h2" id="choose-title">
            Who is signing in?
          </Title>
          <Text c="dimmed" mt={4}>
            Tap your name, then enter your PIN.
          </Text>
        </div>
        <ApiErrorAlert error={choices.error} title="Could not list the people of this shop" onRetry={choices.refetch} />
        {choices.loading ? (
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} height={140} radius="md" />
            ))}
          </SimpleGrid>
        ) : choices.data && choices.data.length === 0 ? (
          <Text>Nobody can sign in on this device yet. If you were invited, use your invitation code.</Text>
        ) : (
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" role="list" aria-labelledby="choose-title">
            {choices.data?.map((person) => (
              <div role="listitem" key={person.userId}>
                <PersonTile name={person.name} role={person.role} onClick={() => onPick(person)} />
              </div>
            ))}
          </SimpleGrid>
        )}
        <Group justify="center">
          <Button variant="subtle" size="md" leftSection={<TicketIcon />} onClick={onInvitation}>
            I have an invitation
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function PersonTile({ name, role, onClick }: { name: string; role: Role; onClick: () => void }) {
  return (
    <UnstyledButton onClick={onClick} className="person-tile" w="100%" aria-label={`${name}, ${ROLE_LABELS[role]}`}>
      <Stack align="center" gap={8} py="lg" px="sm" mih={140} justify="center">
        <Avatar size={56} radius="xl" color={ROLE_COLORS[role]} variant="light" aria-hidden>
          <Text fw={700} size="lg" inherit>
            {initials(name)}
          </Text>
        </Avatar>
        <Text fw={600} size="lg" ta="center" lh={1.2} lineClamp={2}>
          {name}
        </Text>
        <Text size="sm" c="dimmed" lh={1}>
          {ROLE_LABELS[role]}
        </Text>
      </Stack>
    </UnstyledButton>
  );
}
