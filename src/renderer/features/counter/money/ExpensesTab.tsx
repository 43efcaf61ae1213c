// Counter › Expenses: a quick entry form on the left (amount, description with the
// category its keyword rules suggest, paid from the drawer or elsewhere) and the
// period's expenses on the right with totals per category, edit and void. Managers
// keep the categories (name, colour, keyword rules).
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { ActionIcon, Badge, Button, Collapse, Group, Menu, SegmentedControl, Select, Skeleton, Stack, Table, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Expense, ExpenseCategory } from '@shared/api/ops/counter-money';
import { fieldError } from '../../../api/errors';
import { useApiQuery } from '../../../api/hooks';
import { useCan } from '../../../api/session-store';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { parseAmount, shopTime } from '../format';
import { DotsIcon, EditIcon, TagIcon, TrashIcon } from '../icons';
import { useShop } from '../shop';
import { CategoriesDialog } from './CategoriesDialog';
import { CategorySelect, NONE } from './CategorySelect';
import { dayLabel, Empty, LockedAlert, Panel, Swatch, useCommand, useMoney, useShopToday } from './common';
import { EditExpenseDialog, VoidExpenseDialog } from './ExpenseDialogs';
import { lastDays, PeriodPicker, type Period } from './PeriodPicker';

const PRESETS = [
  { days: 1, label: 'Today' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
] as const;

export default function ExpensesTab() {
  const today = useShopToday();
  const [period, setPeriod] = useState<Period>(() => lastDays(today, 1));
  const [categoryFilter, setCategoryFilter] = useState<string | null>(null);
  const [managing, setManaging] = useState(false);
  const canManage = useCan('counter.insights');
  const categories = useApiQuery('counter.expenseCategories', {}, { refetchOnData: ['expenseCategories'] });

  return (
    <div className="cb-m-split">
      <ExpenseForm categories={categories.data ?? []} today={today} />
      <ExpenseList
        period={period}
        onPeriod={setPeriod}
        today={today}
        categoryFilter={categoryFilter}
        onCategoryFilter={setCategoryFilter}
        categories={categories.data ?? []}
        onManage={canManage ? () => setManaging(true) : undefined}
      />
      <CategoriesDialog opened={managing} onClose={() => setManaging(false)} />
    </div>
  );
}

// ---------------------------------------------------------------------------- entry form

function ExpenseForm({ categories, today }: { categories: readonly ExpenseCategory[]; today: string }) {
  const shop = useShop();
  const m = useMoney();
  const amountRef = useRef<HTMLInputElement>(null);
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [paidFrom, setPaidFrom] = useState<'cash' | 'other'>('cash');
  const [more, setMore] = useState(false);
  const [vendor, setVendor] = useState('');
  const [reference, setReference] = useState('');
  const [day, setDay] = useState('');
  const [amountProblem, setAmountProblem] = useState<string | null>(null);
  const create = useCommand('counter.expenseCreate');

  const [debounced] = useDebouncedValue(description.trim(), 200);
  const suggestion = useApiQuery('counter.suggestCategory', { description: debounced }, { refetchOnData: ['expenseCategories'] });
  const suggested = debounced ? (suggestion.data?.suggestion ?? null) : null;
  const value = picked ?? suggested?.categoryId ?? NONE;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const parsed = parseAmount(amount, shop.currency);
    setAmountProblem(parsed.ok ? null : parsed.message);
    if (!parsed.ok) return;
    const out = await create.run({
      amountMinor: parsed.value,
      description,
      ...(picked !== null ? { categoryId: picked === NONE ? '' : picked } : {}),
      paidFrom,
      ...(vendor.trim() ? { vendor: vendor.trim() } : {}),
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(day && day !== today ? { day } : {}),
    });
    if (!out) return;
    notifications.show({
      color: 'green',
      title: 'Expense recorded',
      message: `${m(out.amountMinor)} · ${out.description}${out.categoryName ? ` · ${out.categoryName}` : ''}${out.paidFrom === 'cash' ? ' (taken from the drawer)' : ''}`,
      autoClose: 4000,
    });
    setAmount('');
    setDescription('');
    setPicked(null);
    setVendor('');
    setReference('');
    amountRef.current?.focus();
  };

  const err = (path: string): string | undefined => fieldError(create.error, path);

  return (
    <Panel id="expense-entry" title="Record an expense" description="Cash expenses come out of this register’s drawer.">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Record an expense">
        <Stack gap="sm">
          <TextInput
            ref={amountRef}
            label={`Amount (${shop.currency})`}
            placeholder="0.00"
            size="md"
            inputMode="decimal"
            value={amount}
            onChange={(e) => {
              setAmount(e.currentTarget.value);
              setAmountProblem(null);
            }}
            error={amountProblem ?? err('amountMinor')}
            styles={{ input: { fontVariantNumeric: 'tabular-nums', fontWeight: 600 } }}
            data-autofocus
            required
          />
          <TextInput
            label="What was it for?"
            placeholder="Fuel for the delivery bike"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={err('description')}
            maxLength={500}
            required
          />
          <CategorySelect
            categories={categories}
            value={value}
            onChange={setPicked}
            error={err('categoryId')}
            description={
              picked === null && suggested ? (
                <span data-testid="category-suggestion">
                  Suggested from “{suggested.keyword}”
                </span>
              ) : picked !== null ? (
                <UnstyledButton onClick={() => setPicked(null)} className="cb-link-button" fz="xs">
                  Use the suggestion again
                </UnstyledButton>
              ) : (
                'Suggested from the description as you type'
              )
            }
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="expense-paid-from">
              Paid from
            </Text>
            <SegmentedControl
              fullWidth
              aria-labelledby="expense-paid-from"
              value={paidFrom}
              onChange={(v) => setPaidFrom(v === 'other' ? 'other' : 'cash')}
              data={[
                { value: 'cash', label: 'Drawer cash' },
                { value: 'other', label: 'Bank, mobile, other' },
              ]}
            />
          </div>
          <UnstyledButton onClick={() => setMore((v) => !v)} className="cb-link-button" fz="sm" aria-expanded={more} w="fit-content" px={4}>
            {more ? '− Fewer details' : '+ Vendor, reference, earlier day'}
          </UnstyledButton>
          <Collapse expanded={more}>
            <Stack gap="sm">
              <Group grow align="flex-start">
                <TextInput label="Vendor" value={vendor} onChange={(e) => setVendor(e.currentTarget.value)} maxLength={200} error={err('vendor')} />
                <TextInput label="Receipt / reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)} maxLength={100} error={err('reference')} />
              </Group>
              <TextInput type="date" label="Day" description="Leave as today unless it was spent earlier." value={day || today} max={today} onChange={(e) => setDay(e.currentTarget.value)} error={err('day')} w={200} />
            </Stack>
          </Collapse>
          <LockedAlert error={create.error} />
          {create.error?.code !== 'LOCKED' && <ApiErrorAlert error={create.error} title="Not recorded" />}
          <Button type="submit" size="md" loading={create.loading} fullWidth>
            Record expense
          </Button>
        </Stack>
      </form>
    </Panel>
  );
}

// ---------------------------------------------------------------------------- list

interface ExpenseListProps {
  period: Period;
  onPeriod: (p: Period) => void;
  today: string;
  categoryFilter: string | null;
  onCategoryFilter: (id: string | null) => void;
  categories: readonly ExpenseCategory[];
  onManage: (() => void) | undefined;
}

function ExpenseList({ period, onPeriod, today, categoryFilter, onCategoryFilter, categories, onManage }: ExpenseListProps) {
  const shop = useShop();
  const m = useMoney();
  const list = useApiQuery(
    'counter.expenseList',
    { from: period.from, to: period.to, ...(categoryFilter !== null ? { categoryId: categoryFilter === NONE ? '' : categoryFilter } : {}) },
    { refetchOn: ['data.changed'] },
  );
  const [editing, setEditing] = useState<Expense | null>(null);
  const [voiding, setVoiding] = useState<Expense | null>(null);
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const oneDay = period.from === period.to;

  const byCategory = useMemo(() => {
    const map = new Map<string, { id: string; name: string; color: string; total: number; count: number }>();
    for (const e of items) {
      const key = e.categoryId || NONE;
      const row = map.get(key) ?? { id: key, name: e.categoryName || 'Uncategorised', color: e.categoryColor, total: 0, count: 0 };
      row.total += e.amountMinor;
      row.count += 1;
      map.set(key, row);
    }
    return [...map.values()].sort((a, b) => b.total - a.total);
  }, [items]);
  const cashTotal = items.filter((e) => e.paidFrom === 'cash').reduce((s, e) => s + e.amountMinor, 0);
  const shownTotal = items.reduce((s, e) => s + e.amountMinor, 0);
  const max = byCategory[0]?.total ?? 0;
  const periodText = oneDay ? (period.from === today ? 'today' : dayLabel(period.from, shop.locale)) : `${dayLabel(period.from, shop.locale, false)} – ${dayLabel(period.to, shop.locale)}`;

  return (
    <Panel
      id="expense-list"
      title="Expenses"
      description={`Spent ${periodText}`}
      actions={
        <>
          <Select
            aria-label="Category filter"
            placeholder="All categories"
            size="xs"
            clearable
            w={170}
            data={[...categories.map((c) => ({ value: c.id, label: c.name })), { value: NONE, label: 'Uncategorised' }]}
            value={categoryFilter}
            onChange={onCategoryFilter}
          />
          {onManage && (
            <Button size="xs" variant="default" leftSection={<TagIcon size={14} />} onClick={onManage}>
              Categories
            </Button>
          )}
        </>
      }
    >
      <Group mb="sm">
        <PeriodPicker value={period} onChange={onPeriod} today={today} presets={PRESETS} />
      </Group>
      <ApiErrorAlert error={list.error} title="Could not load the expenses" onRetry={list.refetch} />
      {list.loading && !list.data ? (
        <Skeleton height={220} />
      ) : (
        <Stack gap="md">
          <Group gap="xl" align="flex-start" wrap="wrap">
            <div>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" className="cb-m-caps">
                Total
              </Text>
              <Text fw={800} size="28px" className="cb-num" data-testid="expenses-total" lh={1.15}>
                {m(list.data?.totalMinor ?? 0)}
              </Text>
              <Text size="xs" c="dimmed">
                {list.data?.count ?? 0} {list.data?.count === 1 ? 'expense' : 'expenses'} · {m(cashTotal)} from the drawer
                {list.data?.truncated ? ` (first ${items.length} shown)` : ''}
              </Text>
            </div>
            {byCategory.length > 0 && (
              <Stack gap={6} style={{ flex: 1, minWidth: 240 }} aria-label="Totals per category" role="list">
                {byCategory.map((c) => (
                  <div key={c.id} role="listitem">
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                        <Swatch color={c.color} />
                        <Text size="sm" truncate>
                          {c.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          ×{c.count}
                        </Text>
                      </Group>
                      <Text size="sm" fw={600} className="cb-num">
                        {m(c.total)}
                      </Text>
                    </Group>
                    <div className="cb-m-bar" aria-hidden>
                      <span style={{ width: `${max > 0 ? Math.max(2, (100 * c.total) / max) : 0}%`, background: c.color || undefined }} />
                    </div>
                  </div>
                ))}
              </Stack>
            )}
          </Group>

          <Table.ScrollContainer minWidth={620}>
            <Table className="cb-m-table" verticalSpacing={7} highlightOnHover aria-label="Expenses list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={oneDay ? 70 : 120}>{oneDay ? 'Time' : 'Day'}</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th>Category</Table.Th>
                  <Table.Th>Paid from</Table.Th>
                  <Table.Th className="cb-m-amount">Amount</Table.Th>
                  <Table.Th w={40} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Empty>No expenses {periodText}.</Empty>
                    </Table.Td>
                  </Table.Tr>
                )}
                {items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <Text size="sm" c="dimmed" className="cb-num">
                        {oneDay ? shopTime(e.createdAt, shop.timezone, shop.locale) : dayLabel(e.day, shop.locale, false)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {e.description}
                      </Text>
                      {(e.vendor || e.reference) && (
                        <Text size="xs" c="dimmed">
                          {[e.vendor, e.reference && `Ref. ${e.reference}`].filter(Boolean).join(' · ')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Swatch color={e.categoryColor} />
                        <Text size="sm" c={e.categoryName ? undefined : 'dimmed'}>
                          {e.categoryName || 'Uncategorised'}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={e.paidFrom === 'cash' ? 'green' : 'gray'} radius="sm">
                        {e.paidFrom === 'cash' ? 'Drawer cash' : 'Other'}
                      </Badge>
                    </Table.Td>
                    <Table.Td className="cb-m-amount">
                      <Text size="sm" fw={700} className="cb-num">
                        {m(e.amountMinor)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <Tooltip label="Correct or void" openDelay={400}>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${e.description}`}>
                              <DotsIcon size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<EditIcon size={14} />} onClick={() => setEditing(e)}>
                            Correct…
                          </Menu.Item>
                          <Menu.Item color="red" leftSection={<TrashIcon size={14} />} onClick={() => setVoiding(e)}>
                            Void…
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              {items.length > 1 && (
                <Table.Tfoot>
                  <Table.Tr>
                    <Table.Td colSpan={4}>
                      <Text size="sm" fw={600}>
                        Total shown
                      </Text>
                    </Table.Td>
                    <Table.Td className="cb-m-amount">
                      <Text size="sm" fw={800} className="cb-num">
                        {m(shownTotal)}
                      </Text>
                    </Table.Td>
                    <Table.Td />
                  </Table.Tr>
                </Table.Tfoot>
              )}
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      <EditExpenseDialog expense={editing} categories={categories} today={today} onClose={() => setEditing(null)} />
      <VoidExpenseDialog expense={voiding} onClose={() => setVoiding(null)} />
    </Panel>
  );
}
