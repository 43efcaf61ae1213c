// Changing one line: quantity, unit price (a price other than the catalogue's needs a
// manager at finalise), a line discount (percentage or amount) and a note.
import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import type { DiscountInput } from '@shared/api/ops/counter-sales';
import { amountInput, money, parseAmount, parsePercent, parseQuantity, percentInput, percentText, quantityText } from '../format';
import { useShop } from '../shop';
import { useCart, type CartItem } from './cart-store';

interface LineDialogProps {
  index: number | null;
  onClose: () => void;
}

export function LineDialog({ index, onClose }: LineDialogProps) {
  const item = useCart((s) => (index === null ? undefined : s.items[index]));
  return (
    <Modal opened={index !== null && !!item} onClose={onClose} title={item ? `Line ${(index ?? 0) + 1}: ${item.name}` : 'Line'} centered size="md">
      {item && index !== null && <LineForm key={item.key} item={item} index={index} onClose={onClose} />}
    </Modal>
  );
}

type DiscountKind = 'none' | 'percent' | 'amount';

function LineForm({ item, index, onClose }: { item: CartItem; index: number; onClose: () => void }) {
  const shop = useShop();
  const [quantity, setQuantity] = useState(quantityText(item.quantityMilli));
  const [price, setPrice] = useState(amountInput(item.unitPriceMinor, shop.currency));
  const [kind, setKind] = useState<DiscountKind>(item.discount?.kind ?? 'none');
  const [discount, setDiscount] = useState(
    item.discount ? (item.discount.kind === 'percent' ? percentInput(item.discount.bp) : amountInput(item.discount.amountMinor, shop.currency)) : '',
  );
  const [note, setNote] = useState(item.note ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const q = parseQuantity(quantity);
    if (!q.ok) found.quantity = q.message;
    // Negative figures go through: the counter rules then say exactly what is wrong.
    const p = parseAmount(price, shop.currency, true);
    if (!p.ok) found.price = p.message;
    let d: DiscountInput | undefined;
    if (kind === 'percent') {
      const r = parsePercent(discount);
      if (!r.ok) found.discount = r.message;
      else d = { kind: 'percent', bp: r.value };
    } else if (kind === 'amount') {
      const r = parseAmount(discount, shop.currency, true);
      if (!r.ok) found.discount = r.message;
      else d = { kind: 'amount', amountMinor: r.value };
    }
    setErrors(found);
    if (Object.keys(found).length > 0 || !q.ok || !p.ok) return;
    useCart.getState().updateItem(index, { quantityMilli: q.value, unitPriceMinor: p.value, discount: d, note: note.trim() || undefined });
    onClose();
  };

  const limit = shop.discountLimitBp;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={`Quantity${item.unit !== 'each' ? ` (${item.unit})` : ''}`} value={quantity} onChange={(e) => setQuantity(e.currentTarget.value)} error={errors.quantity} inputMode="decimal" data-autofocus size="md" />
          <TextInput
            label={`Unit price (${shop.currency})`}
            value={price}
            onChange={(e) => setPrice(e.currentTarget.value)}
            error={errors.price}
            inputMode="decimal"
            size="md"
            description={item.catalogPriceMinor !== undefined ? `Catalogue: ${money(item.catalogPriceMinor, shop.currency, shop.locale)}` : undefined}
          />
        </Group>
        <div>
          <Text size="sm" fw={500} mb={4}>
            Line discount
          </Text>
          <Group gap="sm" align="flex-start" wrap="nowrap">
            <SegmentedControl
              value={kind}
              onChange={(v) => setKind(v as DiscountKind)}
              data={[
                { value: 'none', label: 'None' },
                { value: 'percent', label: '%' },
                { value: 'amount', label: shop.currency },
              ]}
              aria-label="Discount type"
            />
            {kind !== 'none' && (
              <TextInput
                style={{ flex: 1 }}
                value={discount}
                onChange={(e) => setDiscount(e.currentTarget.value)}
                error={errors.discount}
                placeholder={kind === 'percent' ? '10' : '50.00'}
                aria-label={kind === 'percent' ? 'Discount in percent' : `Discount in ${shop.currency}`}
                inputMode="decimal"
              />
            )}
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            A cashier may give up to {percentText(limit)} on a line; more needs a manager's PIN at finalise.
          </Text>
        </div>
        <TextInput label="Note on the line" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} placeholder="Optional: shown on the invoice" />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit">Save line</Button>
        </Group>
      </Stack>
    </form>
  );
}
