// The catalogue (Counter › Products, catalog.manage): search, add and change products,
// take them off sale and back.
import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, Menu, Skeleton, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Product } from '@shared/api/ops/counter-sales';
import { useApiCall, useApiQuery } from '../../api/hooks';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { money, percentText } from '../counter/format';
import { DotsIcon, EditIcon, PlusIcon, SearchIcon, StarIcon } from '../counter/icons';
import { useShop } from '../counter/shop';
import { ProductDialog } from './ProductDialog';

const LIMIT = 50;

export default function ProductsTab() {
  const shop = useShop();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 150);
  const [includeInactive, setIncludeInactive] = useState(false);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const products = useApiQuery('counter.products', { query: debounced, includeInactive, limit: LIMIT }, { refetchOnData: ['products'] });
  const deactivate = useApiCall('counter.deactivateProduct');
  const update = useApiCall('counter.updateProduct');
  const items = products.data?.items ?? [];

  const setActive = async (p: Product, active: boolean): Promise<void> => {
    const out = active ? await update.run({ productId: p.id, active: true }) : await deactivate.run({ productId: p.id });
    if (out) notifications.show({ color: active ? 'green' : 'gray', message: active ? `${p.name} is on sale again.` : `${p.name} is off sale (kept for history).`, autoClose: 3000 });
  };

  return (
    <div>
      <Group justify="space-between" mb="sm" align="flex-end">
        <Group gap="sm" align="flex-end">
          <TextInput
            leftSection={<SearchIcon size={16} />}
            placeholder="Name, SKU, barcode or category"
            aria-label="Search products"
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            w={320}
            data-autofocus
          />
          <Switch label="Show products off sale" checked={includeInactive} onChange={(e) => setIncludeInactive(e.currentTarget.checked)} mb={8} />
        </Group>
        <Button leftSection={<PlusIcon size={16} />} onClick={() => setEditing('new')}>
          New product
        </Button>
      </Group>
      <ApiErrorAlert error={products.error} title="Could not load the products" onRetry={products.refetch} />
      <ApiErrorAlert error={deactivate.error ?? update.error} title="Not changed" />
      {products.loading ? (
        <Skeleton height={240} />
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing={8} highlightOnHover withTableBorder aria-label="Products" bg="var(--mantine-color-body)">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Product</Table.Th>
                <Table.Th>SKU</Table.Th>
                <Table.Th>Barcode</Table.Th>
                <Table.Th>Category</Table.Th>
                <Table.Th ta="right">Price</Table.Th>
                <Table.Th ta="right">Tax</Table.Th>
                <Table.Th ta="center">Quick key</Table.Th>
                <Table.Th w={90} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" ta="center" py="lg">
                      {debounced ? `No product matches "${debounced}".` : 'No products yet. Add the first one with "New product".'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((p) => (
                <Table.Tr key={p.id} style={{ opacity: p.active ? 1 : 0.6 }}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {p.favourite && (
                        <Tooltip label="Favourite: on the Sell tab's quick keys">
                          <span style={{ color: 'var(--mantine-color-yellow-6)', display: 'inline-flex' }}>
                            <StarIcon size={15} />
                          </span>
                        </Tooltip>
                      )}
                      <Text size="sm" fw={600}>
                        {p.name}
                      </Text>
                      {!p.active && (
                        <Badge size="xs" color="gray" variant="light">
                          Off sale
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {p.sku}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {p.barcode}
                    </Text>
                  </Table.Td>
                  <Table.Td>{p.category}</Table.Td>
                  <Table.Td ta="right" className="cb-num" fw={600}>
                    {money(p.priceMinor, p.currency || shop.currency, shop.locale)}
                    {p.unit !== 'each' && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        / {p.unit}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{percentText(p.taxRateBp)}</Table.Td>
                  <Table.Td ta="center">{p.quickKey ?? ''}</Table.Td>
                  <Table.Td>
                    <Group gap={2} justify="flex-end" wrap="nowrap">
                      <ActionIcon variant="subtle" color="gray" aria-label={`Change ${p.name}`} onClick={() => setEditing(p)}>
                        <EditIcon size={16} />
                      </ActionIcon>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`More for ${p.name}`}>
                            <DotsIcon size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {p.active ? (
                            <Menu.Item color="red" onClick={() => void setActive(p, false)}>
                              Take off sale
                            </Menu.Item>
                          ) : (
                            <Menu.Item onClick={() => void setActive(p, true)}>Put back on sale</Menu.Item>
                          )}
                        </Menu.Dropdown>
                      </Menu>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {items.length >= LIMIT && (
        <Text size="xs" c="dimmed" mt={6}>
          Showing the first {LIMIT} matches: search to narrow them down.
        </Text>
      )}
      <ProductDialog product={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
