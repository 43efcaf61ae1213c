// Counter › Credit: who owes the shop, how much and since when, with the reminders sent.
// A row opens the customer's statement; "Take repayment" and "Remind" work from the row
// or the statement. Customers who asked for no reminders are marked and never reminded.
import { useMemo, useState } from 'react';
import { Badge, Button, Group, SegmentedControl, Select, Skeleton, Table, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { OwingCustomer } from '@shared/api/ops/counter-money';
import { useApiQuery } from '../../../api/hooks';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { RelativeTime } from '../../../components/RelativeTime';
import { SearchIcon } from '../icons';
import { useShop } from '../shop';
import { dayLabel, Empty, Figure, Panel, useMoney } from './common';
import { ageColor, ageText } from './credit-format';
import { ReminderDialog } from './ReminderDialog';
import { RepaymentDialog } from './RepaymentDialog';
import { StatementDrawer } from './StatementDrawer';

type Sort = 'amount' | 'age' | 'name';

export default function CreditTab() {
  const shop = useShop();
  const m = useMoney();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const [minAge, setMinAge] = useState<string>('0');
  const [sort, setSort] = useState<Sort>('amount');
  const [open, setOpen] = useState<string | null>(null);
  const [repaying, setRepaying] = useState<OwingCustomer | null>(null);
  const [reminding, setReminding] = useState<OwingCustomer | null>(null);
  const owing = useApiQuery(
    'counter.creditOwing',
    { ...(debounced ? { search: debounced } : {}), ...(minAge !== '0' ? { minAgeDays: Number(minAge) } : {}) },
    { refetchOn: ['data.changed'] },
  );
  const all = owing.data;

  const rows = useMemo(() => {
    const list = [...(all?.customers ?? [])];
    if (sort === 'age') list.sort((a, b) => b.ageDays - a.ageDays || b.balanceMinor - a.balanceMinor);
    else if (sort === 'name') list.sort((a, b) => a.name.localeCompare(b.name));
    else list.sort((a, b) => b.balanceMinor - a.balanceMinor);
    return list;
  }, [all, sort]);

  const oldest = rows.reduce((max, c) => Math.max(max, c.ageDays), 0);
  const overdue = rows.filter((c) => c.ageDays >= 30);

  return (
    <div>
      <div className="cb-m-figures" style={{ marginBottom: 'var(--mantine-spacing-md)' }}>
        <Figure label="Owed to the shop" value={m(all?.totalOwedMinor ?? 0)} testId="credit-total-owed" note={debounced || minAge !== '0' ? 'Customers in this list' : 'All customers'} />
        <Figure label="Customers who owe" value={all?.count ?? 0} />
        <Figure label="Oldest debt" value={rows.length ? ageText(oldest) : '—'} color={rows.length && oldest >= 7 ? `${ageColor(oldest)}.8` : undefined} />
        <Figure label="Owing 30 days or more" value={overdue.length} note={overdue.length ? m(overdue.reduce((s, c) => s + c.balanceMinor, 0)) : 'None'} color={overdue.length ? 'orange.8' : undefined} />
      </div>

      <Panel id="credit-owing" title="Who owes" description="Repayments settle the oldest debt first; the age is that of the oldest unpaid part.">
        <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
          <Group gap="sm" align="flex-end">
            <TextInput leftSection={<SearchIcon size={16} />} placeholder="Name or phone" aria-label="Search customers who owe" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={240} />
            <Select
              aria-label="Owing for at least"
              w={170}
              value={minAge}
              onChange={(v) => setMinAge(v ?? '0')}
              allowDeselect={false}
              data={[
                { value: '0', label: 'Any age' },
                { value: '7', label: '7 days or more' },
                { value: '30', label: '30 days or more' },
                { value: '60', label: '60 days or more' },
              ]}
            />
          </Group>
          <Group gap={8} align="center">
            <Text size="sm" c="dimmed">
              Sort by
            </Text>
            <SegmentedControl
              size="xs"
              aria-label="Sort by"
              value={sort}
              onChange={(v) => setSort(v as Sort)}
              data={[
                { value: 'amount', label: 'Amount' },
                { value: 'age', label: 'Age' },
                { value: 'name', label: 'Name' },
              ]}
            />
          </Group>
        </Group>
        <ApiErrorAlert error={owing.error} title="Could not load who owes" onRetry={owing.refetch} />
        {owing.loading && !all ? (
          <Skeleton height={200} />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table className="cb-m-table" verticalSpacing={8} aria-label="Customers who owe">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th className="cb-m-amount">Owes</Table.Th>
                  <Table.Th>Owing for</Table.Th>
                  <Table.Th>Last reminder</Table.Th>
                  <Table.Th w={220} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Empty>{debounced || minAge !== '0' ? 'Nobody in this list owes anything.' : 'Nobody owes the shop anything.'}</Empty>
                    </Table.Td>
                  </Table.Tr>
                )}
                {rows.map((c) => (
                  <Table.Tr key={c.customerId} className="cb-m-clickable" onClick={() => setOpen(c.customerId)}>
                    <Table.Td>
                      <UnstyledButton onClick={() => setOpen(c.customerId)} aria-label={`Statement of ${c.name}`}>
                        <Text size="sm" fw={600}>
                          {c.name}
                        </Text>
                      </UnstyledButton>
                      <Text size="xs" c="dimmed">
                        {c.phone || 'No phone number'}
                      </Text>
                    </Table.Td>
                    <Table.Td className="cb-m-amount">
                      <Text size="sm" fw={700} className="cb-num">
                        {m(c.balanceMinor)}
                      </Text>
                      {c.creditLimitMinor !== null && (
                        <Text size="xs" c={c.balanceMinor > c.creditLimitMinor ? 'red.8' : 'dimmed'}>
                          limit {m(c.creditLimitMinor)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={ageColor(c.ageDays)} radius="sm">
                        {ageText(c.ageDays)}
                      </Badge>
                      <Text size="xs" c="dimmed" mt={2}>
                        since {dayLabel(c.oldestUnpaidDay, shop.locale, false)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {c.reminderOptOut ? (
                        <Badge variant="outline" color="gray" radius="sm">
                          No reminders (opted out)
                        </Badge>
                      ) : (
                        <>
                          <Text size="sm">
                            <RelativeTime at={c.lastReminderAt} never="Never reminded" />
                          </Text>
                          {c.reminderCount > 0 && (
                            <Text size="xs" c="dimmed">
                              {c.reminderCount} {c.reminderCount === 1 ? 'reminder' : 'reminders'} sent
                            </Text>
                          )}
                        </>
                      )}
                    </Table.Td>
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      <Group gap={6} justify="flex-end" wrap="nowrap">
                        <Tooltip label={c.reminderOptOut ? `${c.name} asked for no reminders` : 'Prepare a reminder'} openDelay={300}>
                          <Button size="xs" variant="default" onClick={() => setReminding(c)} disabled={c.reminderOptOut} aria-label={`Remind ${c.name}`}>
                            Remind
                          </Button>
                        </Tooltip>
                        <Button size="xs" onClick={() => setRepaying(c)} aria-label={`Take repayment from ${c.name}`}>
                          Take repayment
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {all && all.count > rows.length && (
          <Text size="xs" c="dimmed" mt={6}>
            Showing {rows.length} of {all.count}: search to narrow the list.
          </Text>
        )}
      </Panel>

      <StatementDrawer customerId={open} onClose={() => setOpen(null)} />
      <RepaymentDialog customer={repaying ? { customerId: repaying.customerId, name: repaying.name, balanceMinor: repaying.balanceMinor } : null} onClose={() => setRepaying(null)} />
      <ReminderDialog customer={reminding ? { customerId: reminding.customerId, name: reminding.name } : null} onClose={() => setReminding(null)} />
    </div>
  );
}
