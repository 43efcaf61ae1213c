// Correcting and voiding an expense. Both are refused for a closed day (LOCKED); a
// manager can then approve the correction with their PIN (recorded in the audit log).
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Paper, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Expense, ExpenseCategory } from '@shared/api/ops/counter-money';
import type { OpInput } from '@shared/api/contract';
import { fieldError } from '../../../api/errors';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { amountInput, parseAmount } from '../format';
import { useShop } from '../shop';
import { CategorySelect, NONE } from './CategorySelect';
import { dayLabel, LockedAlert, Row, Swatch, useCommand, useMoney } from './common';

export function EditExpenseDialog({ expense, categories, today, onClose }: { expense: Expense | null; categories: readonly ExpenseCategory[]; today: string; onClose: () => void }) {
  return (
    <Modal opened={!!expense} onClose={onClose} title="Correct an expense" centered size="md">
      {expense && <EditForm key={expense.id} expense={expense} categories={categories} today={today} onClose={onClose} />}
    </Modal>
  );
}

function EditForm({ expense, categories, today, onClose }: { expense: Expense; categories: readonly ExpenseCategory[]; today: string; onClose: () => void }) {
  const shop = useShop();
  const [amount, setAmount] = useState(amountInput(expense.amountMinor, shop.currency));
  const [description, setDescription] = useState(expense.description);
  const [category, setCategory] = useState(expense.categoryId || NONE);
  const [paidFrom, setPaidFrom] = useState(expense.paidFrom);
  const [vendor, setVendor] = useState(expense.vendor);
  const [reference, setReference] = useState(expense.reference);
  const [day, setDay] = useState(expense.day);
  const [amountProblem, setAmountProblem] = useState<string | null>(null);
  const update = useCommand('counter.expenseUpdate');

  const input = (): OpInput<'counter.expenseUpdate'> | null => {
    const parsed = parseAmount(amount, shop.currency);
    setAmountProblem(parsed.ok ? null : parsed.message);
    if (!parsed.ok) return null;
    return { id: expense.id, amountMinor: parsed.value, description, categoryId: category === NONE ? '' : category, paidFrom, vendor, reference, day };
  };

  const save = async (e: FormEvent | null, withOverride = false): Promise<void> => {
    e?.preventDefault();
    const i = input();
    if (!i) return;
    const out = await update.run(i, withOverride ? { needsApproval: true, askFirst: `Correct the expense “${expense.description}” of ${expense.day}, a closed day.` } : { needsApproval: true });
    if (out) {
      notifications.show({ color: 'green', message: 'The expense was corrected.', autoClose: 3000 });
      onClose();
    }
  };

  const err = (path: string): string | undefined => fieldError(update.error, path);
  const archived = expense.categoryId && !categories.some((c) => c.id === expense.categoryId) ? { id: expense.categoryId, name: expense.categoryName || 'Unknown', color: expense.categoryColor } : null;

  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={`Amount (${shop.currency})`} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} inputMode="decimal" error={amountProblem ?? err('amountMinor')} data-autofocus />
          <TextInput type="date" label="Day" value={day} max={today} onChange={(e) => e.currentTarget.value && setDay(e.currentTarget.value)} error={err('day')} />
        </Group>
        <TextInput label="What was it for?" value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={err('description')} maxLength={500} />
        <CategorySelect categories={categories} value={category} onChange={setCategory} error={err('categoryId')} archived={archived} />
        <div>
          <Text size="sm" fw={500} mb={4} id="edit-paid-from">
            Paid from
          </Text>
          <SegmentedControl
            fullWidth
            aria-labelledby="edit-paid-from"
            value={paidFrom}
            onChange={(v) => setPaidFrom(v === 'other' ? 'other' : 'cash')}
            data={[
              { value: 'cash', label: 'Drawer cash' },
              { value: 'other', label: 'Bank, mobile, other' },
            ]}
          />
        </div>
        <Group grow align="flex-start">
          <TextInput label="Vendor" value={vendor} onChange={(e) => setVendor(e.currentTarget.value)} maxLength={200} />
          <TextInput label="Receipt / reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)} maxLength={100} />
        </Group>
        {expense.paidFrom === 'cash' && (
          <Text size="xs" c="dimmed">
            The drawer follows the correction: the old cash-out is reversed and the new amount taken out, both as ledger entries.
          </Text>
        )}
        <LockedAlert error={update.error} onOverride={() => void save(null, true)} busy={update.loading} />
        {update.error?.code !== 'LOCKED' && <ApiErrorAlert error={update.error} title="Not corrected" />}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.loading}>
            Save correction
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function VoidExpenseDialog({ expense, onClose }: { expense: Expense | null; onClose: () => void }) {
  return (
    <Modal opened={!!expense} onClose={onClose} title="Void an expense" centered size="md">
      {expense && <VoidForm key={expense.id} expense={expense} onClose={onClose} />}
    </Modal>
  );
}

function VoidForm({ expense, onClose }: { expense: Expense; onClose: () => void }) {
  const shop = useShop();
  const m = useMoney();
  const [reason, setReason] = useState('');
  const voiding = useCommand('counter.expenseVoid');

  const submit = async (e: FormEvent | null, withOverride = false): Promise<void> => {
    e?.preventDefault();
    const out = await voiding.run(
      { id: expense.id, reason },
      withOverride ? { needsApproval: true, askFirst: `Void the expense “${expense.description}” of ${expense.day}, a closed day.` } : { needsApproval: true },
    );
    if (out) {
      notifications.show({ color: 'gray', message: `Voided: ${expense.description} (${m(expense.amountMinor)}).`, autoClose: 3000 });
      onClose();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Paper withBorder p="sm" radius="md" bg="gray.0">
          <Row label={<strong>{expense.description}</strong>} value={m(expense.amountMinor)} strong />
          <Group gap={6} mt={4}>
            <Swatch color={expense.categoryColor} />
            <Text size="xs" c="dimmed">
              {expense.categoryName || 'Uncategorised'} · {dayLabel(expense.day, shop.locale)} · {expense.paidFrom === 'cash' ? 'drawer cash' : 'paid otherwise'}
            </Text>
          </Group>
        </Paper>
        {expense.paidFrom === 'cash' && (
          <Alert color="blue" variant="light">
            <Text size="sm">{m(expense.amountMinor)} goes back into the drawer’s expected cash (a reversal entry).</Text>
          </Alert>
        )}
        <Textarea label="Reason" placeholder="Entered twice, wrong shop…" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(voiding.error, 'reason')} autosize minRows={2} data-autofocus required />
        <LockedAlert error={voiding.error} onOverride={() => void submit(null, true)} busy={voiding.loading} />
        {voiding.error?.code !== 'LOCKED' && <ApiErrorAlert error={voiding.error} title="Not voided" />}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Keep it
          </Button>
          <Button type="submit" color="red" loading={voiding.loading} disabled={reason.trim().length < 3}>
            Void expense
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
