// A credit reminder: the prepared message (amount, age, shop name), Copy, or Open
// WhatsApp with the text ready (a wa.me link; the Electron shell opens it in the system's
// handler). Nothing is sent from here: the cashier sends it, then logs it, which counts
// it on the customer. Customers who opted out get no reminder at all.
import { useState } from 'react';
import { Alert, Button, CopyButton, Group, Modal, Paper, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useApiQuery } from '../../../api/hooks';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { AlertIcon } from '../../../components/icons';
import { CheckIcon } from '../icons';
import { useCommand, useMoney } from './common';
import { ageText } from './credit-format';

type Channel = 'whatsapp' | 'sms' | 'email' | 'call';

export function ReminderDialog({ customer, onClose }: { customer: { customerId: string; name: string } | null; onClose: () => void }) {
  return (
    <Modal opened={!!customer} onClose={onClose} title={customer ? `Remind ${customer.name}` : 'Reminder'} centered size="lg">
      {customer && <Reminder key={customer.customerId} customerId={customer.customerId} name={customer.name} onClose={onClose} />}
    </Modal>
  );
}

function Reminder({ customerId, name, onClose }: { customerId: string; name: string; onClose: () => void }) {
  const m = useMoney();
  const prepared = useApiQuery('counter.reminderPrepare', { customerId });
  const log = useCommand('counter.reminderLog');
  const [channel, setChannel] = useState<Channel>('whatsapp');
  const [opened, setOpened] = useState(false);
  const p = prepared.data;

  const record = async (status: 'sent' | 'failed' | 'skipped'): Promise<void> => {
    if (!p?.ok) return;
    const out = await log.run({ customerId, channel, status, message: p.text });
    if (!out) return;
    notifications.show({
      color: status === 'sent' ? 'green' : 'gray',
      message: status === 'sent' ? `Reminder to ${name} logged (${out.reminderCount} so far).` : `Logged: the reminder to ${name} was not sent.`,
      autoClose: 4000,
    });
    onClose();
  };

  if (!p) return prepared.error ? <ApiErrorAlert error={prepared.error} title="Could not prepare the reminder" onRetry={prepared.refetch} /> : <Skeleton height={180} />;

  if (!p.ok) {
    return (
      <Stack gap="sm">
        <Alert color={p.reason === 'opted_out' ? 'gray' : 'green'} variant="light" title={p.reason === 'opted_out' ? 'No reminders for this customer' : 'Nothing to remind'} data-testid="reminder-refused">
          <Text size="sm">{p.message}</Text>
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Owes {m(p.balanceMinor)} · owing for {ageText(p.ageDays)}
      </Text>
      <Paper className="cb-m-reminder-text" data-testid="reminder-text">
        {p.text}
      </Paper>
      {p.phoneProblem && (
        <Alert color="yellow" variant="light" icon={<AlertIcon />} title="No WhatsApp link">
          <Text size="sm">{p.phoneProblem.message} You can still copy the text.</Text>
        </Alert>
      )}
      <Group gap="xs">
        <CopyButton value={p.text} timeout={2500}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              leftSection={copied ? <CheckIcon size={16} /> : undefined}
              color={copied ? 'green' : undefined}
              onClick={() => {
                copy();
                if (!opened) setChannel('sms');
              }}
            >
              {copied ? 'Copied' : 'Copy text'}
            </Button>
          )}
        </CopyButton>
        {p.whatsappUrl ? (
          <Button
            component="a"
            href={p.whatsappUrl}
            target="_blank"
            rel="noopener noreferrer"
            color="green"
            onClick={() => {
              setOpened(true);
              setChannel('whatsapp');
            }}
          >
            Open WhatsApp
          </Button>
        ) : (
          <Button color="green" disabled>
            Open WhatsApp
          </Button>
        )}
      </Group>

      <Paper withBorder radius="md" p="sm" mt="xs" bg="gray.0">
        <Text size="sm" fw={600}>
          Log it
        </Text>
        <Text size="xs" c="dimmed" mb="xs">
          Once it has gone out, log it: the count and the date of the last reminder go on the customer.
        </Text>
        <Group justify="space-between" gap="xs">
          <SegmentedControl
            size="xs"
            aria-label="Sent by"
            value={channel}
            onChange={(v) => setChannel(v as Channel)}
            data={[
              { value: 'whatsapp', label: 'WhatsApp' },
              { value: 'sms', label: 'SMS' },
              { value: 'call', label: 'Call' },
              { value: 'email', label: 'E-mail' },
            ]}
          />
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => void record('failed')} disabled={log.loading}>
              Could not send
            </Button>
            <Button size="xs" onClick={() => void record('sent')} loading={log.loading}>
              Log as sent
            </Button>
          </Group>
        </Group>
      </Paper>
      <ApiErrorAlert error={log.error} title="Not logged" />
    </Stack>
  );
}
