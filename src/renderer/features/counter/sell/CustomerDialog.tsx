// Choosing the sale's customer (F3): search by name or phone, ↑↓ and Enter, or add a
// new customer on the spot. Needed for a sale on customer credit.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { newId } from '@shared/ids';
import { fieldError } from '../../../api/errors';
import { useApiCall, useApiQuery } from '../../../api/hooks';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { PlusIcon, SearchIcon } from '../icons';
import type { CartCustomer } from './cart-store';

interface CustomerDialogProps {
  opened: boolean;
  onClose: () => void;
  onChoose: (customer: CartCustomer | null) => void;
}

export function CustomerDialog({ opened, onClose, onChoose }: CustomerDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Customer of this sale" centered size="lg">
      {opened && <CustomerPicker onChoose={onChoose} onClose={onClose} />}
    </Modal>
  );
}

function CustomerPicker({ onChoose, onClose }: { onChoose: (c: CartCustomer | null) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 120);
  const [active, setActive] = useState(0);
  const [creating, setCreating] = useState(false);
  const customers = useApiQuery('counter.customers', { query: debounced, limit: 8 }, { refetchOn: ['data.changed'] });
  const items = customers.data?.items ?? [];

  const choose = (c: (typeof items)[number]): void => {
    const chosen: CartCustomer = { id: c.id, name: c.name };
    if (c.phone) chosen.phone = c.phone;
    if (c.creditLimitMinor !== undefined) chosen.creditLimitMinor = c.creditLimitMinor;
    onChoose(chosen);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, items.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const c = items[active];
      if (c) choose(c);
    }
  };

  if (creating) return <NewCustomerForm initialName={query} onCreated={onChoose} onCancel={() => setCreating(false)} />;

  return (
    <Stack gap="sm">
      <TextInput
        data-autofocus
        size="md"
        leftSection={<SearchIcon />}
        placeholder="Name or phone number"
        aria-label="Search customers"
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ApiErrorAlert error={customers.error} title="Could not search the customers" onRetry={customers.refetch} />
      <Stack gap={4} role="listbox" aria-label="Customers" mih={120}>
        {items.length === 0 && !customers.loading && (
          <Text size="sm" c="dimmed" py="sm">
            {debounced ? `No customer matches "${debounced}".` : 'No customers yet.'}
          </Text>
        )}
        {items.map((c, i) => (
          <UnstyledButton key={c.id} role="option" aria-selected={i === active} className="cb-result" data-active={i === active || undefined} onClick={() => choose(c)}>
            <Group justify="space-between" wrap="nowrap">
              <div>
                <Text size="sm" fw={600}>
                  {c.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {[c.phone, c.email].filter(Boolean).join(' · ') || 'No contact details'}
                </Text>
              </div>
              {c.creditLimitMinor !== undefined && (
                <Text size="xs" c="dimmed">
                  Credit limit set
                </Text>
              )}
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
      <Group justify="space-between" mt="xs">
        <Button variant="light" leftSection={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
          New customer
        </Button>
        <Group gap="xs">
          <Button variant="default" onClick={() => onChoose(null)}>
            Walk-in (no customer)
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

function NewCustomerForm({ initialName, onCreated, onCancel }: { initialName: string; onCreated: (c: CartCustomer) => void; onCancel: () => void }) {
  const looksLikePhone = /^[+\d][\d\s-]{5,}$/.test(initialName.trim());
  const [name, setName] = useState(looksLikePhone ? '' : initialName.trim());
  const [phone, setPhone] = useState(looksLikePhone ? initialName.trim() : '');
  const [email, setEmail] = useState('');
  const [id] = useState(newId);
  const create = useApiCall('counter.createCustomer');

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const out = await create.run({ id, name, phone, email });
    if (out) onCreated({ id: out.id, name: out.name, ...(out.phone ? { phone: out.phone } : {}) });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, 'name')} data-autofocus required />
        <Group grow align="flex-start">
          <TextInput label="Phone" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} error={fieldError(create.error, 'phone')} inputMode="tel" />
          <TextInput label="E-mail" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(create.error, 'email')} />
        </Group>
        <Text size="xs" c="dimmed">
          A credit limit can only be set by a manager (People & balances).
        </Text>
        <ApiErrorAlert error={create.error} title="Could not add the customer" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Back
          </Button>
          <Button type="submit" loading={create.loading}>
            Add and choose
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
