// A manager's on-the-spot approval (a discount over the limit, a correction of a closed
// day, a drawer opening without a sale...). Usage, from any screen:
//
//   const requestOverride = useManagerOverride();
//   const override = await requestOverride('Give a 25% discount on this sale');
//   if (!override) return;                        // cancelled
//   await sell.run({ ...input, override });       // { managerId, pin, reason }
//
// The dialog checks the PIN with `auth.checkOverride` first so a typo is caught here;
// the action checks it again in the core, which writes both people and the reason into
// the audit entry. `<ManagerOverrideHost />` is mounted once by the app shell.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Select, Stack, Text, Textarea } from '@mantine/core';
import { create } from 'zustand';
import type { PinSignOff } from '@shared/api/ops/auth';
import { fieldError } from '../api/errors';
import { useApiCall, useApiQuery } from '../api/hooks';
import { ApiErrorAlert } from './ApiErrorAlert';

/** What the dialog returns, passed as the action's `override`. */
export type Override = PinSignOff;

interface PendingRequest {
  id: number;
  actionDescription: string;
  resolve: (override: Override | null) => void;
}

const useOverrideRequests = create<{ pending: PendingRequest | null }>(() => ({ pending: null }));
let nextRequest = 1;

/**
 * Asks for a manager's approval: resolves with `{ managerId, pin, reason }` to pass as
 * `override` in the action, or null when the person cancels. A new request cancels one
 * that is still open.
 */
export function requestManagerOverride(actionDescription: string): Promise<Override | null> {
  return new Promise((resolve) => {
    useOverrideRequests.getState().pending?.resolve(null);
    useOverrideRequests.setState({ pending: { id: nextRequest++, actionDescription, resolve } });
  });
}

/** `requestOverride(actionDescription)`: see requestManagerOverride. */
export function useManagerOverride(): (actionDescription: string) => Promise<Override | null> {
  return useCallback((actionDescription: string) => requestManagerOverride(actionDescription), []);
}

/** Shows the dialog for the open request. Mount once (the app shell does). */
export function ManagerOverrideHost() {
  const pending = useOverrideRequests((s) => s.pending);
  const finish = useCallback((override: Override | null) => {
    const current = useOverrideRequests.getState().pending;
    useOverrideRequests.setState({ pending: null });
    current?.resolve(override);
  }, []);
  // Signing out or locking unmounts the shell: an open request ends as cancelled.
  useEffect(() => () => finish(null), [finish]);
  return <ManagerOverrideDialog key={pending?.id ?? 0} opened={!!pending} actionDescription={pending?.actionDescription ?? ''} onResolve={finish} />;
}

interface ManagerOverrideDialogProps {
  opened: boolean;
  /** What needs approval, in words: "Give a 25% discount on this sale". */
  actionDescription: string;
  /** The verified override, or null when cancelled. */
  onResolve: (override: Override | null) => void;
}

/** The dialog itself, for callers that manage its state; most use `useManagerOverride()`. */
export function ManagerOverrideDialog({ opened, actionDescription, onResolve }: ManagerOverrideDialogProps) {
  return (
    <Modal opened={opened} onClose={() => onResolve(null)} title="Manager approval needed" centered size="md">
      {opened && <OverrideForm actionDescription={actionDescription} onResolve={onResolve} />}
    </Modal>
  );
}

function OverrideForm({ actionDescription, onResolve }: Omit<ManagerOverrideDialogProps, 'opened'>) {
  const choices = useApiQuery('auth.signInChoices', {});
  const check = useApiCall('auth.checkOverride');
  const managers = useMemo(
    () => (choices.data ?? []).filter((p) => p.role === 'manager' || p.role === 'admin').map((p) => ({ value: p.userId, label: p.name })),
    [choices.data],
  );
  const [managerId, setManagerId] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const chosen = managerId ?? (managers.length === 1 ? managers[0]!.value : null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (!chosen) return;
    const override: Override = { managerId: chosen, pin, reason: reason.trim() };
    const ok = await check.run(override);
    if (ok) onResolve(override);
    else setPin('');
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Alert color="yellow" variant="light" title="A manager must approve this">
          <Text size="sm">{actionDescription}</Text>
        </Alert>
        <ApiErrorAlert error={choices.error} title="Could not list the managers" onRetry={choices.refetch} />
        <Select
          label="Manager"
          placeholder={choices.loading ? 'Loading…' : 'Who approves?'}
          data={managers}
          value={chosen}
          onChange={setManagerId}
          allowDeselect={false}
          nothingFoundMessage="No manager can sign in on this device"
          error={fieldError(check.error, 'managerId')}
          size="md"
        />
        <PasswordInput label="Manager's PIN" autoComplete="off" size="md" value={pin} onChange={(e) => setPin(e.currentTarget.value)} error={fieldError(check.error, 'pin')} />
        <Textarea label="Reason" description="Kept in the audit log with both names." autosize minRows={2} maxRows={5} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(check.error, 'reason')} />
        <ApiErrorAlert error={check.error} title="Not approved" />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={() => onResolve(null)}>
            Cancel
          </Button>
          <Button type="submit" loading={check.loading} disabled={!chosen || !pin}>
            Approve
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
