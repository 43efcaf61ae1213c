import { useState, type FormEvent } from 'react';
import { Alert, Button, Code, CopyButton, Group, List, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import type { Role } from '@shared/auth/permissions';
import { fieldError } from '../../api/errors';
import { useApiCall } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDateTime } from './format';
import { CheckIcon, CopyIcon } from './icons';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLE_OPTIONS } from './roles';

const EXPIRY_OPTIONS = [
  { value: '24', label: '24 hours' },
  { value: '72', label: '3 days' },
  { value: '168', label: '7 days' },
  { value: '720', label: '30 days' },
];

interface InviteDialogProps {
  opened: boolean;
  onClose: () => void;
}

interface Created {
  email: string;
  role: Role;
  expiresAt: number;
  token: string;
}

/** Invites a person: e-mail, role, expiry; then shows the one-time code, once. */
export function InviteDialog({ opened, onClose }: InviteDialogProps) {
  const [created, setCreated] = useState<Created | null>(null);
  const close = (): void => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Hand over the invitation code' : 'Invite someone'}
      centered
      size="lg"
      // The code is shown only once: no closing by a stray click outside.
      closeOnClickOutside={!created}
    >
      {opened && (created ? <ShowCode created={created} onDone={close} /> : <InviteForm onCreated={setCreated} onCancel={close} />)}
    </Modal>
  );
}

function InviteForm({ onCreated, onCancel }: { onCreated: (c: Created) => void; onCancel: () => void }) {
  const invite = useApiCall('people.invite');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [hours, setHours] = useState('72');

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const out = await invite.run({ email: email.trim(), role, expiresInHours: Number(hours) });
    if (out) onCreated({ email: out.invitation.email, role: out.invitation.role, expiresAt: out.invitation.expiresAt, token: out.token });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <TextInput label="E-mail" type="email" placeholder="name@example.com" data-autofocus autoComplete="off" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(invite.error, 'email')} />
        <Select label="Role" data={ROLE_OPTIONS} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} description={ROLE_DESCRIPTIONS[role]} error={fieldError(invite.error, 'role')} />
        <Select label="The code works for" data={EXPIRY_OPTIONS} value={hours} onChange={(v) => v && setHours(v)} allowDeselect={false} error={fieldError(invite.error, 'expiresInHours')} />
        <ApiErrorAlert error={invite.error} title="No invitation was made" />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={invite.loading}>
            Create invitation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ShowCode({ created, onDone }: { created: Created; onDone: () => void }) {
  return (
    <Stack gap="md">
      <Text size="sm">
        Invitation for <b>{created.email}</b> as <b>{ROLE_LABELS[created.role].toLowerCase()}</b>.
      </Text>
      <Group gap="sm" wrap="nowrap" align="stretch">
        <Code
          block
          data-testid="invitation-code"
          aria-label="Invitation code"
          style={{ flex: 1, fontSize: 'var(--mantine-font-size-lg)', padding: '14px 16px', wordBreak: 'break-all', userSelect: 'all' }}
        >
          {created.token}
        </Code>
        <CopyButton value={created.token}>
          {({ copied, copy }) => (
            <Button variant={copied ? 'light' : 'filled'} color={copied ? 'green' : undefined} leftSection={copied ? <CheckIcon /> : <CopyIcon />} onClick={copy} h="auto" miw={112}>
              {copied ? 'Copied' : 'Copy code'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Alert color="yellow" variant="light" title="Shown only this once">
        <List size="sm" spacing={4}>
          <List.Item>Hand the code to the person yourself, or send it over a channel you trust.</List.Item>
          <List.Item>They choose “I have an invitation” on the sign-in screen of any of the shop&apos;s devices, enter the code, their name and a PIN.</List.Item>
          <List.Item>It works once, until {formatDateTime(created.expiresAt)}. Counterbook keeps only a fingerprint of it, so it cannot show it again: if it is lost, withdraw it and invite again.</List.Item>
        </List>
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
