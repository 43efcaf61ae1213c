// Counter › Drawer & close: this register's drawer (float, cash in and out, expected
// cash) next to the day close (Z report, bill and coin count, close), and the shop's
// day over every register below. A past day can be looked at (and closed, if forgotten).
import { Alert, Badge, Button, Group, Skeleton, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { addDays } from '@shared/dates';
import { useApiQuery } from '../../../api/hooks';
import { useCan } from '../../../api/session-store';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { AlertIcon } from '../../../components/icons';
import { useShop } from '../shop';
import { dateTimeLabel, dayLabel, Empty, Panel, useMoney, useShopToday } from './common';
import { CloseDayPanel, ZReportPanel } from './DayClosePanel';
import { DrawerPanel } from './DrawerPanel';

export default function DrawerTab() {
  const shop = useShop();
  const today = useShopToday();
  const [picked, setPicked] = useState<string | null>(null);
  const day = picked ?? today;
  const isToday = day === today;
  const canClose = useCan('counter.close_day');
  const canDrawer = useCan('counter.drawer');
  const drawer = useApiQuery('counter.drawerState', { day }, { refetchOn: ['data.changed'] });
  const draft = useApiQuery('counter.dayCloseDraft', { day }, { refetchOn: ['data.changed'] });

  return (
    <div>
      <Group justify="space-between" align="flex-end" mb="md" gap="sm">
        <Group gap="sm" align="flex-end">
          <TextInput type="date" label="Day" value={day} max={today} onChange={(e) => e.currentTarget.value && setPicked(e.currentTarget.value)} w={170} />
          <Button variant="default" onClick={() => setPicked(addDays(day, -1))} aria-label="Previous day">
            ‹
          </Button>
          <Button variant="default" onClick={() => setPicked(addDays(day, 1) >= today ? null : addDays(day, 1))} disabled={isToday} aria-label="Next day">
            ›
          </Button>
          <Button variant={isToday ? 'light' : 'default'} onClick={() => setPicked(null)}>
            Today
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {draft.data ? `${draft.data.registerName} · ` : ''}
          {dayLabel(day, shop.locale)}
        </Text>
      </Group>
      <ApiErrorAlert error={drawer.error} title="Could not load the drawer" onRetry={drawer.refetch} />
      <ApiErrorAlert error={draft.error} title="Could not load the day’s report" onRetry={draft.refetch} />

      <div className="cb-m-drawer">
        <div className="cb-m-column">
          {canDrawer && <DrawerPanel state={drawer.data} loading={drawer.loading} editable={isToday && !drawer.data?.closed} />}
          {canClose && draft.data && <CloseDayPanel key={day} draft={draft.data} isToday={isToday} />}
        </div>
        <div className="cb-m-column">
          {canClose && (draft.data ? <ZReportPanel draft={draft.data} /> : <Skeleton height={520} radius="md" visible={draft.loading} />)}
          {canClose && <ShopDay day={day} />}
        </div>
      </div>
    </div>
  );
}

function ShopDay({ day }: { day: string }) {
  const shop = useShop();
  const m = useMoney();
  const report = useApiQuery('counter.shopDayReport', { day }, { refetchOn: ['data.changed'] });
  const r = report.data;

  return (
    <Panel id="shop-day" title="The shop’s day" description="Every register’s close added up, and the registers that sold but have not closed.">
      <ApiErrorAlert error={report.error} title="Could not load the shop’s day" onRetry={report.refetch} />
      {!r ? (
        <Skeleton height={120} visible={report.loading} />
      ) : (
        <>
          {r.missing.length > 0 && (
            <Alert color="orange" variant="light" icon={<AlertIcon />} mb="sm" title={`${r.missing.length} ${r.missing.length === 1 ? 'register has' : 'registers have'} not closed`} data-testid="shop-day-missing">
              <Text size="sm">{r.missing.map((x) => `${x.name} (${x.salesCount} ${x.salesCount === 1 ? 'sale' : 'sales'})`).join(', ')}</Text>
            </Alert>
          )}
          <Table className="cb-m-table" verticalSpacing={6} aria-label="Registers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Register</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th className="cb-m-amount">Sales</Table.Th>
                <Table.Th className="cb-m-amount">Takings</Table.Th>
                <Table.Th className="cb-m-amount">Cash counted</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.registers.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Empty>No registers.</Empty>
                  </Table.Td>
                </Table.Tr>
              )}
              {r.registers.map((x) => (
                <Table.Tr key={x.deviceId}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {x.name}
                      {x.code && (
                        <Text span size="xs" c="dimmed" fw={400}>
                          {' '}
                          {x.code}
                        </Text>
                      )}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {x.close ? (
                      <Group gap={6} wrap="nowrap">
                        <Badge color="gray" variant="light" radius="sm" style={{ flexShrink: 0 }}>
                          Closed
                        </Badge>
                        <Text size="xs" c="dimmed" truncate>
                          {x.close.closedByName} · {dateTimeLabel(x.close.closedAt, shop.timezone, shop.locale)}
                        </Text>
                      </Group>
                    ) : x.salesCount > 0 ? (
                      <Badge color="orange" variant="light" radius="sm">
                        Not closed
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        No sales
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className="cb-m-amount">{x.close?.salesCount ?? x.salesCount}</Table.Td>
                  <Table.Td className="cb-m-amount">{x.close ? m(x.close.salesTotalMinor - x.close.refundsTotalMinor) : '—'}</Table.Td>
                  <Table.Td className="cb-m-amount">
                    {x.close ? <CashCell counted={x.close.countedCashMinor} expected={x.close.expectedCashMinor} difference={x.close.differenceMinor} /> : '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            {r.registers.some((x) => x.close) && (
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Td>
                    <Text size="sm" fw={700}>
                      All closed registers
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.complete ? (
                      <Badge color="green" variant="light" radius="sm">
                        Complete
                      </Badge>
                    ) : (
                      <Badge color="orange" variant="light" radius="sm">
                        Incomplete
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td className="cb-m-amount">{r.totals.salesCount}</Table.Td>
                  <Table.Td className="cb-m-amount">{m(r.totals.salesTotalMinor - r.totals.refundsTotalMinor)}</Table.Td>
                  <Table.Td className="cb-m-amount">
                    <CashCell counted={r.totals.countedCashMinor} expected={r.totals.expectedCashMinor} difference={r.totals.differenceMinor} />
                  </Table.Td>
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </>
      )}
    </Panel>
  );
}

/** Counted cash, and under it the difference to the expected cash (short in red, over in orange). */
function CashCell({ counted, expected, difference }: { counted: number; expected: number; difference: number }) {
  const m = useMoney();
  return (
    <>
      <Text span size="sm" className="cb-num">
        {m(counted)}
      </Text>
      <Text size="xs" c={difference < 0 ? 'red.8' : difference > 0 ? 'orange.8' : 'green.8'} title={`Expected ${m(expected)}`}>
        {difference === 0 ? 'balanced' : `${difference < 0 ? 'short' : 'over'} ${m(Math.abs(difference))}`}
      </Text>
    </>
  );
}
