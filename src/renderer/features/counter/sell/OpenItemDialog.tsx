// An open item (Alt+O): a line that is not in the catalogue, typed in with its name,
// price and tax rate (an unknown barcode offers it too).
import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { parseAmount, parsePercent, parseQuantity, percentInput } from '../format';
import { useShop } from '../shop';
import { useCart } from './cart-store';

export function OpenItemDialog({ opened, code, onClose }: { opened: boolean; code: string; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Open item" centered size="md">
      {opened && <OpenItemForm code={code} onClose={onClose} />}
    </Modal>
  );
}

function OpenItemForm({ code, onClose }: { code: string; onClose: () => void }) {
  const shop = useShop();
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [tax, setTax] = useState(percentInput(shop.defaultTaxRateBp));
  const [quantity, setQuantity] = useState('1');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Every line needs a name.';
    // Negative figures go through: the counter rules then say exactly what is wrong.
    const p = parseAmount(price, shop.currency, true);
    if (!p.ok) found.price = p.message;
    const t = parsePercent(tax);
    if (!t.ok) found.tax = t.message;
    const q = parseQuantity(quantity);
    if (!q.ok) found.quantity = q.message;
    setErrors(found);
    if (!p.ok || !t.ok || !q.ok || Object.keys(found).length > 0) return;
    useCart.getState().addOpenItem({ name: name.trim(), ...(code ? { sku: code } : {}), quantityMilli: q.value, unitPriceMinor: p.value, taxRateBp: t.value });
    onClose();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus maxLength={200} description={code ? `Code ${code} is kept on the line.` : undefined} />
        <SimpleGrid cols={3} spacing="sm">
          <TextInput label={`Price (${shop.currency})`} value={price} onChange={(e) => setPrice(e.currentTarget.value)} error={errors.price} inputMode="decimal" placeholder="0.00" />
          <TextInput label="Tax rate (%)" value={tax} onChange={(e) => setTax(e.currentTarget.value)} error={errors.tax} inputMode="decimal" />
          <TextInput label="Quantity" value={quantity} onChange={(e) => setQuantity(e.currentTarget.value)} error={errors.quantity} inputMode="decimal" />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit">Add to the cart</Button>
        </Group>
      </Stack>
    </form>
  );
}
