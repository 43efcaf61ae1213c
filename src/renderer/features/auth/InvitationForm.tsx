import { useState, type FormEvent } from 'react';
import { Button, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { fieldError } from '../../api/errors';
import { useApiCall } from '../../api/hooks';
import { signedIn } from '../../api/session-store';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ChevronLeftIcon } from '../people/icons';
import { PIN_HINT, PIN_MISMATCH } from './pin';

/** A new person redeems the one-time code they were given, chooses their PIN and is signed in. */
export function InvitationForm({ onBack }: { onBack: () => void }) {
  const redeem = useApiCall('people.redeemInvitation');
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (pin !== confirm) {
      setMismatch(true);
      return;
    }
    const session = await redeem.run({ token: token.trim(), name, pin });
    if (session) signedIn(session);
  };

  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 32 }} shadow="xs">
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="invitation-title">
        <Stack gap="md">
          <Group>
            <Button variant="subtle" color="gray" size="md" px="xs" leftSection={<ChevronLeftIcon />} onClick={onBack}>
              Back to sign-in
            </Button>
          </Group>
          <div>
            <Title order={1} size="h2" id="invitation-title">
              Join with an invitation
            </Title>
            <Text c="dimmed" mt={4}>
              Enter the code you were given, your name and the PIN you will sign in with.
            </Text>
          </div>
          <TextInput
            label="Invitation code"
            placeholder="cbi-…"
            size="md"
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            error={fieldError(redeem.error, 'token')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <TextInput label="Your name" description="As your colleagues will see it." size="md" autoComplete="name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(redeem.error, 'name')} />
          <PasswordInput
            label="Choose a PIN"
            description={PIN_HINT}
            size="md"
            autoComplete="new-password"
            value={pin}
            onChange={(e) => {
              setPin(e.currentTarget.value);
              setMismatch(false);
            }}
            error={fieldError(redeem.error, 'pin')}
          />
          <PasswordInput
            label="PIN again"
            size="md"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => {
              setConfirm(e.currentTarget.value);
              setMismatch(false);
            }}
            error={mismatch ? PIN_MISMATCH : undefined}
          />
          <ApiErrorAlert error={redeem.error} title="That invitation did not work" />
          <Button type="submit" size="lg" fullWidth loading={redeem.loading}>
            Join and sign in
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
