// The discount on the whole sale (F4): a percentage or an amount, spread over the lines
// by the counter rules. More than the shop's limit needs a manager at finalise.
import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import type { DiscountInput } from '@shared/api/ops/counter-sales';
import { amountInput, parseAmount, parsePercent, percentInput, percentText } from '../format';
import { useShop } from '../shop';

interface SaleDiscountDialogProps {
  opened: boolean;
  current: DiscountInput | null;
  onClose: () => void;
  onSave: (discount: DiscountInput | null) => void;
}

export function SaleDiscountDialog({ opened, current, onClose, onSave }: SaleDiscountDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Discount on the whole sale" centered size="sm">
      {opened && <DiscountForm current={current} onClose={onClose} onSave={onSave} />}
    </Modal>
  );
}

function DiscountForm({ current, onClose, onSave }: Omit<SaleDiscountDialogProps, 'opened'>) {
  const shop = useShop();
  const [kind, setKind] = useState<'percent' | 'amount'>(current?.kind ?? 'percent');
  const [value, setValue] = useState(current ? (current.kind === 'percent' ? percentInput(current.bp) : amountInput(current.amountMinor, shop.currency)) : '');
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!value.trim()) return onSave(null);
    if (kind === 'percent') {
      const r = parsePercent(value);
      if (!r.ok) return setError(r.message);
      onSave({ kind: 'percent', bp: r.value });
    } else {
      const r = parseAmount(value, shop.currency, true);
      if (!r.ok) return setError(r.message);
      onSave({ kind: 'amount', amountMinor: r.value });
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <SegmentedControl
          fullWidth
          value={kind}
          onChange={(v) => {
            setKind(v as 'percent' | 'amount');
            setError(null);
          }}
          data={[
            { value: 'percent', label: 'Percentage' },
            { value: 'amount', label: `Amount (${shop.currency})` },
          ]}
        />
        <TextInput
          data-autofocus
          size="md"
          label={kind === 'percent' ? 'Discount (%)' : `Discount (${shop.currency})`}
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setError(null);
          }}
          error={error}
          inputMode="decimal"
          placeholder={kind === 'percent' ? '5' : '100.00'}
        />
        <Text size="xs" c="dimmed">
          Up to {percentText(shop.discountLimitBp)} without a manager. Leave empty to remove the discount.
        </Text>
        <Group justify="space-between" mt="xs">
          <Button variant="subtle" color="red" onClick={() => onSave(null)} disabled={!current}>
            Remove discount
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Apply</Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
