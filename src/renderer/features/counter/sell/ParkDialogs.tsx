// Park (F8): the cart is saved on this device under a label and the counter is free for
// the next customer. Parked sales (F9): resume one (the current cart is parked first) or
// discard it.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import type { ParkedSale } from '@shared/api/ops/counter-sales';
import { api } from '../../../api/client';
import { toApiCallError } from '../../../api/errors';
import { useApiQuery } from '../../../api/hooks';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import type { ApiCallError } from '../../../api/client';
import { money, shopTime } from '../format';
import { useShop } from '../shop';
import { cartLines, useCart } from './cart-store';

/** Parks the current cart (same saleId: parking it again replaces the parked copy). */
export async function parkCart(label: string): Promise<ParkedSale> {
  const s = useCart.getState();
  const parked = await api().call('counter.park', {
    saleId: s.saleId,
    lines: cartLines(s.items),
    ...(s.saleDiscount ? { saleDiscount: s.saleDiscount } : {}),
    ...(s.customer ? { customerId: s.customer.id } : {}),
    label: label.trim(),
    ...(s.note.trim() ? { note: s.note.trim() } : {}),
  });
  useCart.getState().clear();
  return parked;
}

export function ParkDialog({ opened, onClose, onParked }: { opened: boolean; onClose: () => void; onParked: (p: ParkedSale) => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Park this sale" centered size="sm">
      {opened && <ParkForm onClose={onClose} onParked={onParked} />}
    </Modal>
  );
}

function ParkForm({ onClose, onParked }: { onClose: () => void; onParked: (p: ParkedSale) => void }) {
  const resumedLabel = useCart((s) => s.resumedLabel);
  const customer = useCart((s) => s.customer);
  const [label, setLabel] = useState(resumedLabel ?? customer?.name ?? '');
  const [error, setError] = useState<ApiCallError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      onParked(await parkCart(label));
    } catch (thrown) {
      setError(toApiCallError(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <TextInput
          data-autofocus
          size="md"
          label="Label"
          description="So you find it again: a name, a table, 'lady in red'. Empty: the first item."
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          maxLength={100}
        />
        <ApiErrorAlert error={error} title="Not parked" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Park
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ParkedDialog({ opened, onClose, onResumed }: { opened: boolean; onClose: () => void; onResumed: (label: string) => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Parked sales on this register" centered size="xl">
      {opened && <ParkedList onResumed={onResumed} />}
    </Modal>
  );
}

function ParkedList({ onResumed }: { onResumed: (label: string) => void }) {
  const shop = useShop();
  const parked = useApiQuery('counter.parked', {}, { refetchOnData: ['sales'] });
  const saleId = useCart((s) => s.saleId);
  const cartHasLines = useCart((s) => s.items.length > 0);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const list = (parked.data ?? []).filter((p) => p.id !== saleId);
  const firstResume = useRef<HTMLButtonElement>(null);
  const hasList = list.length > 0;
  // The list arrives after the dialog opened: Enter then resumes the oldest parked sale.
  useEffect(() => {
    if (hasList) firstResume.current?.focus();
  }, [hasList]);

  const resume = async (p: ParkedSale): Promise<void> => {
    setBusy(p.id);
    setError(null);
    try {
      if (useCart.getState().items.length > 0) await parkCart(useCart.getState().resumedLabel ?? '');
      // keep: the parked copy stays until this sale is finalised (or parked again, or discarded).
      const cart = await api().call('counter.resume', { saleId: p.id, keep: true });
      useCart.getState().load(cart);
      onResumed(cart.label);
    } catch (thrown) {
      setError(toApiCallError(thrown));
    } finally {
      setBusy(null);
    }
  };

  const discard = async (p: ParkedSale): Promise<void> => {
    setBusy(p.id);
    setError(null);
    try {
      await api().call('counter.discardParked', { saleId: p.id });
      parked.refetch();
    } catch (thrown) {
      setError(toApiCallError(thrown));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="sm">
      <ApiErrorAlert error={parked.error ?? error} title="That did not work" onRetry={parked.error ? parked.refetch : undefined} />
      {list.length === 0 ? (
        <Text c="dimmed" size="sm" py="md">
          {parked.loading ? 'Loading…' : 'No parked sales on this register.'}
        </Text>
      ) : (
        <Table verticalSpacing="sm" highlightOnHover aria-label="Parked sales">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Label</Table.Th>
              <Table.Th>Customer</Table.Th>
              <Table.Th>Parked</Table.Th>
              <Table.Th ta="right">Items</Table.Th>
              <Table.Th ta="right">Total</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((p, i) => (
              <Table.Tr key={p.id}>
                <Table.Td fw={600}>{p.label}</Table.Td>
                <Table.Td>{p.customerName || <Text span size="sm" c="dimmed">Walk-in</Text>}</Table.Td>
                <Table.Td>
                  {shopTime(p.updatedAt, shop.timezone, shop.locale)} · {p.cashierName}
                </Table.Td>
                <Table.Td ta="right">{p.lineCount}</Table.Td>
                <Table.Td ta="right" className="cb-num" fw={600}>
                  {money(p.totalMinor, p.currency, shop.locale)}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    {confirming === p.id ? (
                      <Button size="xs" color="red" onClick={() => void discard(p)} disabled={!!busy}>
                        Yes, discard it
                      </Button>
                    ) : (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setConfirming(p.id)} disabled={!!busy}>
                        Discard…
                      </Button>
                    )}
                    <Button size="xs" ref={i === 0 ? firstResume : undefined} onClick={() => void resume(p)} loading={busy === p.id} disabled={!!busy && busy !== p.id}>
                      {cartHasLines ? 'Park current & resume' : 'Resume'}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
