// The confirmations behind the people table's actions: change role, disable / enable,
// reset PIN. Each is mounted only while open, so it starts fresh every time.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, Group, Modal, PasswordInput, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Person } from '@shared/api/ops/people';
import type { Role } from '@shared/auth/permissions';
import { fieldError } from '../../api/errors';
import { useApiCall } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PIN_HINT, PIN_MISMATCH } from '../auth/pin';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLE_OPTIONS } from './roles';

interface DialogProps {
  /** The person the dialog is about; null while closed. */
  person: Person | null;
  onClose: () => void;
}

function Frame({ title, person, onClose, children }: DialogProps & { title: string; children: (person: Person) => ReactNode }) {
  return (
    <Modal opened={!!person} onClose={onClose} title={title} centered size="md">
      {person && children(person)}
    </Modal>
  );
}

function Buttons({ onCancel, submit, loading, color }: { onCancel: () => void; submit: string; loading: boolean; color?: string }) {
  return (
    <Group justify="flex-end" mt="xs">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={loading} color={color}>
        {submit}
      </Button>
    </Group>
  );
}

export function RoleDialog(props: DialogProps) {
  return (
    <Frame {...props} title="Change role">
      {(person) => <RoleForm person={person} onClose={props.onClose} />}
    </Frame>
  );
}

function RoleForm({ person, onClose }: { person: Person; onClose: () => void }) {
  const setRole = useApiCall('people.setRole');
  const [role, setRoleValue] = useState<Role>(person.role);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (role === person.role) return onClose();
    const out = await setRole.run({ userId: person.id, role });
    if (out) {
      notifications.show({ color: 'green', title: 'Role changed', message: `${out.name} is now ${ROLE_LABELS[out.role].toLowerCase()}.` });
      onClose();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          What may <b>{person.name}</b> do? The change applies from their next action on every device.
        </Text>
        <Select label="Role" data={ROLE_OPTIONS} value={role} onChange={(v) => v && setRoleValue(v as Role)} allowDeselect={false} description={ROLE_DESCRIPTIONS[role]} data-autofocus />
        <ApiErrorAlert error={setRole.error} title="The role was not changed" />
        <Buttons onCancel={onClose} submit="Change role" loading={setRole.loading} />
      </Stack>
    </form>
  );
}

export function ActiveDialog(props: DialogProps) {
  return (
    <Frame {...props} title={props.person?.active === false ? 'Enable this person?' : 'Disable this person?'}>
      {(person) => <ActiveForm person={person} onClose={props.onClose} />}
    </Frame>
  );
}

function ActiveForm({ person, onClose }: { person: Person; onClose: () => void }) {
  const setActive = useApiCall('people.setActive');
  const enable = !person.active;
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const out = await setActive.run({ userId: person.id, active: enable });
    if (out) {
      notifications.show({ color: 'green', title: enable ? 'Enabled' : 'Disabled', message: enable ? `${out.name} can sign in again.` : `${out.name} can no longer sign in.` });
      onClose();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          {enable ? (
            <>
              <b>{person.name}</b> will be able to sign in again with their PIN.
            </>
          ) : (
            <>
              <b>{person.name}</b> will no longer be able to sign in on any device of the shop. Their sales and history stay as they are. You can enable them again later.
            </>
          )}
        </Text>
        <ApiErrorAlert error={setActive.error} title={enable ? 'Not enabled' : 'Not disabled'} />
        <Buttons onCancel={onClose} submit={enable ? 'Enable' : 'Disable'} color={enable ? undefined : 'red'} loading={setActive.loading} />
      </Stack>
    </form>
  );
}

export function ResetPinDialog(props: DialogProps) {
  return (
    <Frame {...props} title="Reset PIN">
      {(person) => <ResetPinForm person={person} onClose={props.onClose} />}
    </Frame>
  );
}

function ResetPinForm({ person, onClose }: { person: Person; onClose: () => void }) {
  const reset = useApiCall('people.resetPin');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (pin !== confirm) return setMismatch(true);
    const out = await reset.run({ userId: person.id, pin });
    if (out) {
      notifications.show({ color: 'green', title: 'PIN reset', message: `Give ${out.name} the new PIN and ask them to change it.` });
      onClose();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          Sets a new PIN for <b>{person.name}</b>. Tell them in person and ask them to change it with “Change PIN”.
        </Text>
        <PasswordInput label="New PIN" description={PIN_HINT} autoComplete="new-password" data-autofocus value={pin} onChange={(e) => { setPin(e.currentTarget.value); setMismatch(false); }} error={fieldError(reset.error, 'pin')} />
        <PasswordInput label="New PIN again" autoComplete="new-password" value={confirm} onChange={(e) => { setConfirm(e.currentTarget.value); setMismatch(false); }} error={mismatch ? PIN_MISMATCH : undefined} />
        <ApiErrorAlert error={reset.error} title="The PIN was not reset" />
        <Buttons onCancel={onClose} submit="Reset PIN" loading={reset.loading} />
      </Stack>
    </form>
  );
}
