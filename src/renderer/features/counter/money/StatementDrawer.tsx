// One customer's credit statement: balance and age, the ledger (newest first, with the
// balance after each entry), reminders sent, and the opt-out. Managers can reverse an
// entry (a reversal entry; a cash repayment's money goes back out of today's drawer).
import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Divider, Drawer, Group, Modal, Paper, Skeleton, Stack, Switch, Table, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { CreditEntry } from '@shared/api/ops/counter-money';
import { fieldError } from '../../../api/errors';
import { useApiCall, useApiQuery } from '../../../api/hooks';
import { useCan } from '../../../api/session-store';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { RelativeTime } from '../../../components/RelativeTime';
import { PAYMENT_METHOD_LABELS } from '../format';
import { useShop } from '../shop';
import { dateTimeLabel, dayLabel, Empty, Row, signed, useCommand, useMoney } from './common';
import { ageColor, ageText } from './credit-format';
import { ReminderDialog } from './ReminderDialog';
import { RepaymentDialog } from './RepaymentDialog';

const KIND_LABELS: Record<CreditEntry['kind'], string> = { sale: 'Credit sale', repayment: 'Repayment', adjustment: 'Adjustment', reversal: 'Reversal' };
function paidBy(method: string): string {
  return (PAYMENT_METHOD_LABELS[method as keyof typeof PAYMENT_METHOD_LABELS] ?? method).toLowerCase();
}

const CHANNEL_LABELS = { whatsapp: 'WhatsApp', sms: 'SMS', email: 'E-mail', call: 'Phone call' } as const;

export function StatementDrawer({ customerId, onClose }: { customerId: string | null; onClose: () => void }) {
  return (
    <Drawer opened={!!customerId} onClose={onClose} position="right" size="xl" title="Credit statement" padding="lg">
      {customerId && <Statement key={customerId} customerId={customerId} />}
    </Drawer>
  );
}

function Statement({ customerId }: { customerId: string }) {
  const shop = useShop();
  const m = useMoney();
  const statement = useApiQuery('counter.creditStatement', { customerId }, { refetchOn: ['data.changed'] });
  const history = useApiQuery('counter.reminderHistory', { customerId }, { refetchOn: ['data.changed'] });
  const optOut = useApiCall('counter.updateCustomer');
  const canReverse = useCan('balances.manage');
  const [repaying, setRepaying] = useState(false);
  const [reminding, setReminding] = useState(false);
  const [reversing, setReversing] = useState<CreditEntry | null>(null);
  const s = statement.data;

  if (!s) {
    return statement.error ? <ApiErrorAlert error={statement.error} title="Could not load the statement" onRetry={statement.refetch} /> : <Skeleton height={360} />;
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3}>{s.name}</Title>
          <Text size="sm" c="dimmed">
            {s.phone || 'No phone number'}
          </Text>
        </div>
        <Group gap="xs">
          <Tooltip label={s.reminderOptOut ? `${s.name} asked for no reminders` : 'Prepare a reminder'} disabled={!s.reminderOptOut && s.balanceMinor > 0}>
            <Button variant="default" onClick={() => setReminding(true)} disabled={s.reminderOptOut || s.balanceMinor <= 0}>
              Remind
            </Button>
          </Tooltip>
          <Button onClick={() => setRepaying(true)}>Take repayment</Button>
        </Group>
      </Group>

      <Paper withBorder radius="md" p="md" className="cb-m-expected">
        <Group justify="space-between" align="flex-end">
          <div>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" className="cb-m-caps">
              {s.balanceMinor >= 0 ? 'Owes' : 'Paid in advance'}
            </Text>
            <Text className="cb-num cb-m-expected-amount" data-testid="statement-balance">
              {m(Math.abs(s.balanceMinor))}
            </Text>
          </div>
          <Stack gap={2} align="flex-end">
            {s.ageDays !== null && s.oldestUnpaidDay && (
              <Badge variant="light" color={ageColor(s.ageDays)} radius="sm">
                Owing for {ageText(s.ageDays)} · since {dayLabel(s.oldestUnpaidDay, shop.locale, false)}
              </Badge>
            )}
            {s.creditLimitMinor !== null && (
              <Text size="xs" c="dimmed">
                Credit limit {m(s.creditLimitMinor)}
              </Text>
            )}
          </Stack>
        </Group>
      </Paper>

      <Paper withBorder radius="md" p="sm">
        <Group justify="space-between" wrap="nowrap">
          <div>
            <Text size="sm" fw={600}>
              Reminders
            </Text>
            <Text size="xs" c="dimmed">
              {s.reminderCount} sent · last <RelativeTime at={s.lastReminderAt} never="never" />
            </Text>
          </div>
          <Switch
            label="Customer asked for no reminders"
            checked={s.reminderOptOut}
            disabled={optOut.loading}
            onChange={(e) => {
              const value = e.currentTarget.checked;
              void optOut.run({ customerId, reminderOptOut: value }).then((out) => {
                if (out) notifications.show({ color: 'gray', message: value ? `${s.name} will not be reminded.` : `${s.name} can be reminded again.`, autoClose: 3000 });
              });
            }}
          />
        </Group>
        <ApiErrorAlert error={optOut.error} title="Not changed" />
        {(history.data ?? []).length > 0 && (
          <Stack gap={4} mt="xs">
            {(history.data ?? []).slice(0, 5).map((r) => (
              <Group key={r.id} justify="space-between" gap="xs" wrap="nowrap">
                <Text size="xs">
                  {CHANNEL_LABELS[r.channel]} ·{' '}
                  <Text span size="xs" c={r.status === 'sent' ? 'green.8' : 'dimmed'}>
                    {r.status}
                  </Text>
                </Text>
                <Text size="xs" c="dimmed" className="cb-num">
                  {m(r.balanceMinor)} owed · {dateTimeLabel(r.createdAt, shop.timezone, shop.locale)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Paper>

      <div>
        <Group justify="space-between" mb={6}>
          <Text fw={600}>Ledger</Text>
          <Text size="xs" c="dimmed">
            {s.entryCount} {s.entryCount === 1 ? 'entry' : 'entries'}
            {s.entryCount > s.entries.length ? ` (newest ${s.entries.length} shown)` : ''}
          </Text>
        </Group>
        <Table className="cb-m-table" verticalSpacing={6} aria-label="Credit ledger" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th className="cb-m-amount">Amount</Table.Th>
              <Table.Th className="cb-m-amount">Balance</Table.Th>
              {canReverse && <Table.Th w={80} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.entries.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={canReverse ? 5 : 4}>
                  <Empty>No credit entries yet.</Empty>
                </Table.Td>
              </Table.Tr>
            )}
            {s.entries.map((e) => (
              <Table.Tr key={e.id} className={e.reversedBy ? 'cb-m-reversed' : undefined}>
                <Table.Td>
                  <Text size="sm" className="cb-num" style={{ whiteSpace: 'nowrap' }}>
                    {dateTimeLabel(e.createdAt, shop.timezone, shop.locale)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" fw={500} className="cb-m-strike">
                      {KIND_LABELS[e.kind]}
                      {e.paymentMethod && e.kind === 'repayment' ? ` · ${paidBy(e.paymentMethod)}` : ''}
                    </Text>
                    {e.reversedBy && (
                      <Badge size="xs" color="gray" variant="outline">
                        Reversed
                      </Badge>
                    )}
                  </Group>
                  {(e.reference || e.note) && (
                    <Text size="xs" c="dimmed">
                      {[e.reference && `Ref. ${e.reference}`, e.note].filter(Boolean).join(' · ')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className="cb-m-amount">
                  <Text size="sm" fw={600} className="cb-num cb-m-strike" c={e.amountMinor < 0 ? 'green.8' : undefined}>
                    {signed(m, e.amountMinor)}
                  </Text>
                </Table.Td>
                <Table.Td className="cb-m-amount">
                  <Text size="sm" c="dimmed" className="cb-num">
                    {e.balanceAfterMinor === null ? '—' : m(e.balanceAfterMinor)}
                  </Text>
                </Table.Td>
                {canReverse && (
                  <Table.Td>
                    {e.kind !== 'reversal' && !e.reversedBy && e.kind !== 'sale' && (
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setReversing(e)}>
                        Reverse
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt={6}>
          Credit sales are corrected by refunding the sale (Sales tab), which writes the matching entry here.
        </Text>
      </div>

      <RepaymentDialog customer={repaying ? { customerId, name: s.name, balanceMinor: s.balanceMinor } : null} onClose={() => setRepaying(false)} />
      <ReminderDialog customer={reminding ? { customerId, name: s.name } : null} onClose={() => setReminding(false)} />
      <ReverseEntryDialog entry={reversing} onClose={() => setReversing(null)} />
    </Stack>
  );
}

function ReverseEntryDialog({ entry, onClose }: { entry: CreditEntry | null; onClose: () => void }) {
  return (
    <Modal opened={!!entry} onClose={onClose} title="Reverse a credit entry" centered>
      {entry && <ReverseForm entry={entry} onClose={onClose} />}
    </Modal>
  );
}

function ReverseForm({ entry, onClose }: { entry: CreditEntry; onClose: () => void }) {
  const m = useMoney();
  const [reason, setReason] = useState('');
  const reverse = useCommand('counter.creditReverse');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const out = await reverse.run({ entryId: entry.id, reason });
    if (out) onClose();
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Row label={KIND_LABELS[entry.kind]} value={signed(m, entry.amountMinor)} strong />
        {entry.kind === 'repayment' && entry.paymentMethod === 'cash' && (
          <Alert color="blue" variant="light">
            <Text size="sm">The {m(-entry.amountMinor)} taken in cash is paid back out of today’s drawer.</Text>
          </Alert>
        )}
        <Divider />
        <Textarea label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(reverse.error, 'reason')} autosize minRows={2} data-autofocus required />
        <ApiErrorAlert error={reverse.error} title="Not reversed" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={reverse.loading} disabled={reason.trim().length < 3}>
            Reverse entry
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
