// Adding or changing a product: price in the shop currency's major units ("12.50"), tax
// rate in percent, barcode, SKU, category, unit, favourite and quick key.
import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { Product } from '@shared/api/ops/counter-sales';
import { newId } from '@shared/ids';
import { fieldError } from '../../api/errors';
import { useApiCall } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { amountInput, parseAmount, parsePercent, percentInput } from '../counter/format';
import { useShop } from '../counter/shop';

const UNITS = [
  { value: 'each', label: 'Each (pieces)' },
  { value: 'kg', label: 'Kilogram' },
  { value: 'g', label: 'Gram' },
  { value: 'l', label: 'Litre' },
  { value: 'm', label: 'Metre' },
];

export function ProductDialog({ product, onClose }: { product: Product | 'new' | null; onClose: () => void }) {
  const editing = product && product !== 'new' ? product : null;
  return (
    <Modal opened={!!product} onClose={onClose} title={editing ? `Change ${editing.name}` : 'New product'} size="lg" centered>
      {product && <ProductForm key={editing?.id ?? 'new'} product={editing} onClose={onClose} />}
    </Modal>
  );
}

function ProductForm({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const shop = useShop();
  const create = useApiCall('counter.createProduct');
  const update = useApiCall('counter.updateProduct');
  const call = product ? update : create;
  const [id] = useState(newId);
  const [name, setName] = useState(product?.name ?? '');
  const [price, setPrice] = useState(product ? amountInput(product.priceMinor, shop.currency) : '');
  const [tax, setTax] = useState(percentInput(product?.taxRateBp ?? shop.defaultTaxRateBp));
  const [barcode, setBarcode] = useState(product?.barcode ?? '');
  const [sku, setSku] = useState(product?.sku ?? '');
  const [category, setCategory] = useState(product?.category ?? '');
  const [unit, setUnit] = useState<Product['unit']>(product?.unit ?? 'each');
  const [favourite, setFavourite] = useState(product?.favourite ?? false);
  const [quickKey, setQuickKey] = useState(product?.quickKey ? String(product.quickKey) : '');
  const [local, setLocal] = useState<Record<string, string>>({});

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const p = parseAmount(price, shop.currency);
    if (!p.ok) errors.priceMinor = p.message;
    const t = parsePercent(tax);
    if (!t.ok) errors.taxRateBp = t.message;
    let key: number | null = null;
    if (quickKey.trim()) {
      if (!/^\d{1,2}$/.test(quickKey.trim())) errors.quickKey = 'Quick keys are 1 to 99.';
      else key = Number(quickKey.trim());
    }
    setLocal(errors);
    if (!p.ok || !t.ok || Object.keys(errors).length > 0) return;
    const fields = { name, sku, barcode, priceMinor: p.value, taxRateBp: t.value, category, unit, favourite: favourite || key !== null, quickKey: key };
    const out = product ? await update.run({ productId: product.id, ...fields }) : await create.run({ id, ...fields, quickKey: key ?? undefined });
    if (out) onClose();
  };

  const err = (path: string): string | undefined => local[path] ?? fieldError(call.error, path);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} required data-autofocus maxLength={200} />
        <SimpleGrid cols={3} spacing="sm">
          <TextInput label={`Price (${shop.currency})`} description={shop.taxMode === 'inclusive' ? 'Including tax' : 'Before tax'} value={price} onChange={(e) => setPrice(e.currentTarget.value)} error={err('priceMinor')} inputMode="decimal" placeholder="12.50" required />
          <TextInput label="Tax rate (%)" description={`Shop default ${percentInput(shop.defaultTaxRateBp)}%`} value={tax} onChange={(e) => setTax(e.currentTarget.value)} error={err('taxRateBp')} inputMode="decimal" />
          <Select label="Sold by" description="Unit of the quantity" data={UNITS} value={unit} onChange={(v) => v && setUnit(v as Product['unit'])} allowDeselect={false} />
        </SimpleGrid>
        <SimpleGrid cols={3} spacing="sm">
          <TextInput label="Barcode" value={barcode} onChange={(e) => setBarcode(e.currentTarget.value)} error={err('barcode')} maxLength={64} ff="monospace" />
          <TextInput label="SKU" value={sku} onChange={(e) => setSku(e.currentTarget.value)} error={err('sku')} maxLength={64} />
          <TextInput label="Category" value={category} onChange={(e) => setCategory(e.currentTarget.value)} error={err('category')} maxLength={80} />
        </SimpleGrid>
        <Group align="flex-end" gap="lg">
          <TextInput label="Quick key" description="1 to 12 also answer to Shift+F1…F12" value={quickKey} onChange={(e) => setQuickKey(e.currentTarget.value)} error={err('quickKey')} w={220} inputMode="numeric" />
          <Checkbox label="Favourite (a button on the Sell tab)" checked={favourite || !!quickKey.trim()} onChange={(e) => setFavourite(e.currentTarget.checked)} mb={8} />
        </Group>
        <ApiErrorAlert error={call.error} title="Not saved" />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={call.loading}>
            {product ? 'Save' : 'Add product'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
