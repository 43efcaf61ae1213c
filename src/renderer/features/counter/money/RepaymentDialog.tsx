// Taking a credit repayment: the amount (the full balance is one click), how it was paid
// and a reference. More than is owed is refused by the core with the exact amount owed,
// unless the cashier keeps the extra as an advance (a deposit for later credit sales).
import { useState, type FormEvent, type ReactNode } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { fieldError } from '../../../api/errors';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { amountInput, parseAmount } from '../format';
import { CardIcon, CashIcon, PhoneIcon } from '../icons';
import { useShop } from '../shop';
import { Row, useCommand, useMoney } from './common';

export interface RepaymentCustomer {
  customerId: string;
  name: string;
  balanceMinor: number;
}

type Method = 'cash' | 'card' | 'mobile_money';

export function RepaymentDialog({ customer, onClose }: { customer: RepaymentCustomer | null; onClose: () => void }) {
  return (
    <Modal opened={!!customer} onClose={onClose} title={customer ? `Repayment from ${customer.name}` : 'Repayment'} centered size="md">
      {customer && <RepaymentForm key={customer.customerId} customer={customer} onClose={onClose} />}
    </Modal>
  );
}

function RepaymentForm({ customer, onClose }: { customer: RepaymentCustomer; onClose: () => void }) {
  const shop = useShop();
  const m = useMoney();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [advance, setAdvance] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const repay = useCommand('counter.creditRepayment');

  const parsed = parseAmount(amount, shop.currency);
  const owed = customer.balanceMinor;
  const over = parsed.ok && parsed.value > Math.max(0, owed);
  const refused = repay.error?.code === 'VALIDATION' && !!repay.error.issues?.some((i) => i.path === 'amountMinor');
  const after = parsed.ok ? owed - parsed.value : owed;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    const out = await repay.run({
      customerId: customer.customerId,
      amountMinor: parsed.value,
      method,
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
      advance: advance && over,
    });
    if (!out) return;
    notifications.show({
      color: 'green',
      title: `Received ${m(parsed.value)} from ${customer.name}`,
      message: out.balanceMinor > 0 ? `Still owes ${m(out.balanceMinor)}.` : out.balanceMinor < 0 ? `Paid ${m(-out.balanceMinor)} in advance.` : 'Nothing owed any more.',
      autoClose: 5000,
    });
    onClose();
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Paper withBorder radius="md" p="sm" bg="gray.0">
          <Row label="Owes now" value={owed >= 0 ? m(owed) : `${m(-owed)} in advance`} strong testId="repay-owed" />
          {parsed.ok && parsed.value > 0 && <Row dim label="After this repayment" value={after >= 0 ? m(after) : `${m(-after)} in advance`} />}
        </Paper>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={`Amount received (${shop.currency})`}
            size="md"
            inputMode="decimal"
            value={amount}
            onChange={(e) => {
              setAmount(e.currentTarget.value);
              setProblem(null);
              repay.reset();
            }}
            error={problem ?? (refused ? undefined : fieldError(repay.error, 'amountMinor'))}
            styles={{ input: { fontVariantNumeric: 'tabular-nums', fontWeight: 600 } }}
            data-autofocus
          />
          {owed > 0 && (
            <Button variant="light" size="md" onClick={() => setAmount(amountInput(owed, shop.currency))}>
              All {m(owed)}
            </Button>
          )}
        </Group>
        <div>
          <Text size="sm" fw={500} mb={4} id="repay-method">
            Paid by
          </Text>
          <SegmentedControl
            fullWidth
            aria-labelledby="repay-method"
            value={method}
            onChange={(v) => setMethod(v as Method)}
            data={[
              { value: 'cash', label: <MethodLabel icon={<CashIcon size={16} />} text="Cash" /> },
              { value: 'card', label: <MethodLabel icon={<CardIcon size={16} />} text="Card" /> },
              { value: 'mobile_money', label: <MethodLabel icon={<PhoneIcon size={16} />} text="Mobile money" /> },
            ]}
          />
          {method === 'cash' && (
            <Text size="xs" c="dimmed" mt={4}>
              Goes into this register’s drawer.
            </Text>
          )}
        </div>
        {method !== 'cash' && <TextInput label={method === 'card' ? 'Card slip / approval code' : 'Transaction code'} value={reference} onChange={(e) => setReference(e.currentTarget.value)} maxLength={100} />}
        <TextInput label="Note" placeholder="Optional" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
        {refused && repay.error ? (
          <Alert color="orange" variant="light" title="More than is owed" role="alert" data-testid="overpay-message">
            <Text size="sm">{repay.error.message}</Text>
            <Checkbox mt="sm" label="Keep the extra as an advance payment" checked={advance} onChange={(e) => setAdvance(e.currentTarget.checked)} />
          </Alert>
        ) : (
          over && (
            <Checkbox
              label={`Keep the extra ${parsed.ok ? m(parsed.value - Math.max(0, owed)) : ''} as an advance payment`}
              description="Otherwise a payment over the balance is refused."
              checked={advance}
              onChange={(e) => setAdvance(e.currentTarget.checked)}
            />
          )
        )}
        {!refused && <ApiErrorAlert error={repay.error} title="Not recorded" />}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={repay.loading}>
            Record repayment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function MethodLabel({ icon, text }: { icon: ReactNode; text: string }) {
  return (
    <Group gap={6} justify="center" wrap="nowrap">
      {icon}
      <span>{text}</span>
    </Group>
  );
}
