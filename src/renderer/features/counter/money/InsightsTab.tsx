// Counter › Insights (managers): for a period of days, when the shop is busy (heatmap),
// what sells, how people pay, where the money goes (expenses by category) and who the
// regular customers are; then exports. While the insight tables are being rebuilt the
// core answers UNAVAILABLE: the screen shows the rebuild's progress and retries.
import { memo, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Progress, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { Insights } from '@shared/api/ops/counter-money';
import type { OpOutput } from '@shared/api/contract';
import { api } from '../../../api/client';
import { useApiQuery } from '../../../api/hooks';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { formatRelativeTime } from '../../../lib/time';
import { methodLabel, quantityText } from '../format';
import { useShop } from '../shop';
import { dayLabel, Empty, Figure, Panel, Swatch, useMoney, useShopToday } from './common';
import { ExportPanel } from './ExportPanel';
import { Toggle } from './Toggle';
import { Heatmap } from './Heatmap';
import { lastDays, PeriodPicker, type Period } from './PeriodPicker';

const PRESETS = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
] as const;

const METHOD_COLORS = { cash: 'var(--mantine-color-green-6)', card: 'var(--mantine-color-blue-6)', mobile_money: 'var(--mantine-color-teal-6)', customer_credit: 'var(--mantine-color-orange-6)' } as const;

export default function InsightsTab() {
  const shop = useShop();
  const today = useShopToday();
  const [period, setPeriod] = useState<Period>(() => lastDays(today, 30));
  const insights = useApiQuery('counter.insights', { from: period.from, to: period.to });
  const [status, setStatus] = useState<OpOutput<'counter.insightsStatus'> | null>(null);
  const building = insights.error?.code === 'UNAVAILABLE';
  const { refetch } = insights;

  // While the aggregates are rebuilt: show how far along, and ask again once ready.
  useEffect(() => {
    if (!building) return;
    const timer = window.setInterval(() => {
      api()
        .call('counter.insightsStatus', {})
        .then((s) => {
          setStatus(s);
          if (s.state === 'ready') refetch();
        })
        .catch(() => undefined);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [building, refetch]);

  const data = insights.data;
  const pct = status && status.totalDays > 0 ? Math.floor((100 * status.doneDays) / status.totalDays) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" gap="sm">
        <PeriodPicker value={period} onChange={setPeriod} today={today} presets={PRESETS} />
        <Group gap="xs">
          {data && (
            <Text size="xs" c="dimmed" data-testid="insights-period" data-from={data.from} data-to={data.to}>
              {dayLabel(data.from, shop.locale, false)} – {dayLabel(data.to, shop.locale)} · {data.timeZone} · {data.tookMs} ms
            </Text>
          )}
          <Button size="xs" variant="default" onClick={refetch} loading={insights.loading}>
            Refresh
          </Button>
        </Group>
      </Group>

      {building ? (
        <Alert color="blue" variant="light" title="Insights are being prepared">
          <Text size="sm">{insights.error?.message}</Text>
          {pct !== null && <Progress mt="sm" value={pct} animated aria-label="Preparing insights" />}
        </Alert>
      ) : (
        <ApiErrorAlert error={insights.error} title="Could not load the insights" onRetry={refetch} />
      )}

      {!data ? (
        <Skeleton height={480} radius="md" visible={insights.loading || building} />
      ) : (
        <InsightsBody data={data} />
      )}

      <ExportPanel period={period} today={today} />
    </Stack>
  );
}

function InsightsBody({ data }: { data: Insights }) {
  const m = useMoney();
  const repeatShare = data.customerCount > 0 ? Math.round((100 * data.repeatCustomerCount) / data.customerCount) : 0;
  return (
    <>
      <div className="cb-m-figures">
        <Figure label="Net takings" value={m(data.netRevenueMinor)} note={`${m(data.revenueMinor)} sold − ${m(data.refundsMinor)} refunded`} testId="insights-net" />
        <Figure label="Sales" value={data.salesCount.toLocaleString()} note={`${data.walkInSalesCount.toLocaleString()} walk-in`} testId="insights-sales" />
        <Figure label="Average sale" value={m(data.averageTicketMinor)} />
        <Figure label="Refunds" value={data.refundsCount.toLocaleString()} note={m(data.refundsMinor)} color={data.refundsCount ? 'red.8' : undefined} />
        <Figure label="Expenses" value={m(data.expensesTotalMinor)} note={`${data.expensesByCategory.length} ${data.expensesByCategory.length === 1 ? 'category' : 'categories'}`} />
        <Figure label="Customers" value={data.customerCount.toLocaleString()} note={`${repeatShare}% came back`} />
      </div>

      <Panel id="heatmap" title="When the shop is busy" description="Sales by weekday and hour of the day.">
        <Heatmap insights={data} />
      </Panel>

      <div className="cb-m-insights">
        <TopProducts data={data} />
        <Stack gap="md">
          <PaymentMix data={data} />
          <ExpensesByCategory data={data} />
        </Stack>
      </div>

      <Customers data={data} />
    </>
  );
}

function Bar({ share, color }: { share: number; color?: string }) {
  return (
    <div className="cb-m-bar" aria-hidden>
      <span style={{ width: `${Math.max(share > 0 ? 1.5 : 0, Math.min(100, share))}%`, background: color }} />
    </div>
  );
}

function TopProducts({ data }: { data: Insights }) {
  const m = useMoney();
  const [by, setBy] = useState<'revenue' | 'quantity'>('revenue');
  const rows = by === 'revenue' ? data.topProductsByRevenue : data.topProductsByQuantity;
  const max = rows.reduce((x, p) => Math.max(x, by === 'revenue' ? p.revenueMinor : p.quantityMilli), 0);
  return (
    <Panel
      id="top-products"
      title="Top products"
      actions={
        <Toggle
          label="Rank by"
          value={by}
          onChange={setBy}
          data={[
            { value: 'revenue', label: 'Takings' },
            { value: 'quantity', label: 'Quantity' },
          ]}
        />
      }
    >
      <Table className="cb-m-table" verticalSpacing={6} aria-label="Top products">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={28}>#</Table.Th>
            <Table.Th>Product</Table.Th>
            <Table.Th className="cb-m-amount">Qty</Table.Th>
            <Table.Th className="cb-m-amount">Takings</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Empty>Nothing sold in this period.</Empty>
              </Table.Td>
            </Table.Tr>
          )}
          {rows.map((p, i) => (
            <Table.Tr key={p.key}>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {i + 1}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500} lineClamp={1}>
                  {p.name}
                </Text>
                <Bar share={max > 0 ? (100 * (by === 'revenue' ? p.revenueMinor : p.quantityMilli)) / max : 0} />
              </Table.Td>
              <Table.Td className="cb-m-amount">{quantityText(p.quantityMilli)}</Table.Td>
              <Table.Td className="cb-m-amount">
                <Text span size="sm" fw={600} className="cb-num">
                  {m(p.revenueMinor)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Panel>
  );
}

function PaymentMix({ data }: { data: Insights }) {
  const m = useMoney();
  const rows = [...data.paymentMix].sort((a, b) => b.amountMinor - a.amountMinor);
  return (
    <Panel id="payment-mix" title="How customers pay">
      <Stack gap="sm" role="list" aria-label="Payment mix">
        {rows.every((r) => r.amountMinor === 0) && <Empty>No payments in this period.</Empty>}
        {rows
          .filter((r) => r.amountMinor !== 0 || r.count > 0)
          .map((r) => (
            <div key={r.method} role="listitem">
              <Group justify="space-between" gap="xs" wrap="nowrap" mb={3}>
                <Group gap={6} wrap="nowrap">
                  <Swatch color={METHOD_COLORS[r.method]} />
                  <Text size="sm">{r.method === 'customer_credit' ? 'Customer credit' : methodLabel(r.method)}</Text>
                  <Badge size="xs" variant="light" color="gray">
                    {(r.shareBp / 100).toFixed(r.shareBp % 100 === 0 ? 0 : 1)}%
                  </Badge>
                </Group>
                <Text size="sm" fw={600} className="cb-num">
                  {m(r.amountMinor)}
                </Text>
              </Group>
              <Bar share={r.shareBp / 100} color={METHOD_COLORS[r.method]} />
            </div>
          ))}
      </Stack>
    </Panel>
  );
}

function ExpensesByCategory({ data }: { data: Insights }) {
  const m = useMoney();
  const max = data.expensesByCategory.reduce((x, c) => Math.max(x, c.amountMinor), 0);
  return (
    <Panel id="expenses-by-category" title="Expenses by category" description={`${m(data.expensesTotalMinor)} in this period`}>
      <Stack gap="sm" role="list" aria-label="Expenses by category">
        {data.expensesByCategory.length === 0 && <Empty>No expenses in this period.</Empty>}
        {data.expensesByCategory.map((c) => (
          <div key={c.categoryId || 'none'} role="listitem">
            <Group justify="space-between" gap="xs" wrap="nowrap" mb={3}>
              <Group gap={6} wrap="nowrap">
                <Swatch color={c.color} />
                <Text size="sm">{c.name}</Text>
                <Text size="xs" c="dimmed">
                  ×{c.count}
                </Text>
              </Group>
              <Text size="sm" fw={600} className="cb-num">
                {m(c.amountMinor)}
              </Text>
            </Group>
            <Bar share={max > 0 ? (100 * c.amountMinor) / max : 0} color={c.color} />
          </div>
        ))}
      </Stack>
    </Panel>
  );
}

/** The "last purchase" column's clock: one for the whole table, a minute apart (the column counts days). */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

function Customers({ data }: { data: Insights }) {
  const m = useMoney();
  const now = useMinuteClock();
  return (
    <Panel
      id="customers"
      title="Customers"
      description={`${data.customerCount} named ${data.customerCount === 1 ? 'customer' : 'customers'} bought in this period, ${data.repeatCustomerCount} more than once; ${data.walkInSalesCount} sales were walk-ins.`}
    >
      <Table.ScrollContainer minWidth={720}>
        <Table className="cb-m-table" verticalSpacing={6} aria-label="Customer metrics">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Customer</Table.Th>
              <Table.Th className="cb-m-amount">Visits</Table.Th>
              <Table.Th className="cb-m-amount">Spent (period)</Table.Th>
              <Table.Th className="cb-m-amount">Average sale</Table.Th>
              <Table.Th>Last purchase</Table.Th>
              <Table.Th className="cb-m-amount">Lifetime value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.customers.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Empty>No named customers bought in this period.</Empty>
                </Table.Td>
              </Table.Tr>
            )}
            {data.customers.map((c) => (
              <CustomerRow key={c.customerId} customer={c} money={m} now={now} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Panel>
  );
}

/**
 * One customer (up to 100 of them): plain elements with the table's own classes rather
 * than a Mantine component per cell and per text, and one clock for the table rather than
 * a timer per row. Mounting the rows is most of the time between the answer and the
 * figures on screen, and it shares the main thread with the other windows of the app.
 */
const CustomerRow = memo(function CustomerRow({ customer: c, money: m, now }: { customer: Insights['customers'][number]; money: (minor: number) => string; now: number }) {
  const last = c.lastPurchaseAt ?? c.allTime.lastPurchaseAt;
  return (
    <tr className={Table.classes.tr} data-with-row-border>
      <td className={Table.classes.td}>
        <span className="cb-m-strong">{c.name || 'Customer not on this device'}</span>
      </td>
      <td className={`${Table.classes.td} cb-m-amount`}>{c.visits}</td>
      <td className={`${Table.classes.td} cb-m-amount`}>
        <span className="cb-num cb-m-bold">{m(c.lifetimeValueMinor)}</span>
      </td>
      <td className={`${Table.classes.td} cb-m-amount`}>{m(c.averageTicketMinor)}</td>
      <td className={Table.classes.td}>{last === null ? '—' : <time dateTime={new Date(last).toISOString()}>{formatRelativeTime(last, now)}</time>}</td>
      <td className={`${Table.classes.td} cb-m-amount`}>
        {m(c.allTime.valueMinor)}
        <div className="cb-m-note">
          {c.allTime.visits} {c.allTime.visits === 1 ? 'visit' : 'visits'}
        </div>
      </td>
    </tr>
  );
});
