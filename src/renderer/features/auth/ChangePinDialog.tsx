import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { fieldError } from '../../api/errors';
import { useApiCall } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PIN_HINT, PIN_MISMATCH } from './pin';

interface ChangePinDialogProps {
  opened: boolean;
  onClose: () => void;
}

/** Changes the signed-in person's own PIN: the current one, then the new one twice. */
export function ChangePinDialog({ opened, onClose }: ChangePinDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Change your PIN" centered size="sm">
      {/* Mounted only while open, so every opening starts empty. */}
      {opened && <ChangePinForm onDone={onClose} />}
    </Modal>
  );
}

function ChangePinForm({ onDone }: { onDone: () => void }) {
  const change = useApiCall('auth.changePin');
  const [currentPin, setCurrentPin] = useState('');
  const [newPin, setNewPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (newPin !== confirm) {
      setMismatch(true);
      return;
    }
    const out = await change.run({ currentPin, newPin });
    if (out) {
      notifications.show({ color: 'green', title: 'PIN changed', message: 'Use your new PIN from now on.' });
      onDone();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <PasswordInput label="Current PIN" autoComplete="current-password" data-autofocus value={currentPin} onChange={(e) => setCurrentPin(e.currentTarget.value)} error={fieldError(change.error, 'currentPin')} />
        <PasswordInput
          label="New PIN"
          description={PIN_HINT}
          autoComplete="new-password"
          value={newPin}
          onChange={(e) => {
            setNewPin(e.currentTarget.value);
            setMismatch(false);
          }}
          error={fieldError(change.error, 'newPin')}
        />
        <PasswordInput
          label="New PIN again"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => {
            setConfirm(e.currentTarget.value);
            setMismatch(false);
          }}
          error={mismatch ? PIN_MISMATCH : undefined}
        />
        <ApiErrorAlert error={change.error} title="The PIN was not changed" />
        <Text size="xs" c="dimmed">
          Other devices of the shop learn the new PIN when they next sync.
        </Text>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={change.loading}>
            Change PIN
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
