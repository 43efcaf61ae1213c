// Sales by weekday and hour (shop time zone) as a CSS grid: darker = busier. The busiest
// hour is outlined; each cell says its figures on hover.
import { useState } from 'react';
import { Group, Stack, Text } from '@mantine/core';
import type { Insights } from '@shared/api/ops/counter-money';
import { useMoney } from './common';
import { Toggle } from './Toggle';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LEVELS = ['var(--mantine-color-gray-1)', 'var(--mantine-color-ledger-1)', 'var(--mantine-color-ledger-3)', 'var(--mantine-color-ledger-5)', 'var(--mantine-color-ledger-7)', 'var(--mantine-color-ledger-9)'];

const hh = (h: number): string => `${String(h).padStart(2, '0')}:00`;

export function Heatmap({ insights }: { insights: Insights }) {
  const m = useMoney();
  const [metric, setMetric] = useState<'count' | 'total'>('count');
  const value = (c: { count: number; totalMinor: number }): number => (metric === 'count' ? c.count : Math.max(0, c.totalMinor));
  const max = insights.heatmap.reduce((mx, row) => row.reduce((x, c) => Math.max(x, value(c)), mx), 0);
  const level = (v: number): number => (v <= 0 || max === 0 ? 0 : Math.max(1, Math.ceil((5 * v) / max)));
  const peak = insights.peak;
  const summary = peak && peak.count > 0 ? `Busiest: ${WEEKDAYS[peak.weekday]} ${hh(peak.hour)}–${hh((peak.hour + 1) % 24)}, ${peak.count} sales, ${m(peak.totalMinor)}` : 'No sales in this period';

  return (
    <Stack gap="xs">
      <Group justify="space-between" gap="xs">
        <Text size="sm" c="dimmed" data-testid="heatmap-peak">
          {summary}
        </Text>
        <Toggle
          label="Heatmap shows"
          value={metric}
          onChange={setMetric}
          data={[
            { value: 'count', label: 'Sales' },
            { value: 'total', label: 'Takings' },
          ]}
        />
      </Group>
      <div className="cb-m-heat" role="img" aria-label={`Sales by weekday and hour. ${summary}.`}>
        <span />
        {Array.from({ length: 24 }, (_, h) => (
          <span key={h} className="cb-m-heat-hour">
            {h % 3 === 0 ? String(h).padStart(2, '0') : ''}
          </span>
        ))}
        {insights.heatmap.map((row, d) => (
          <Row key={d} day={d} row={row} level={(c) => level(value(c))} peak={peak && peak.count > 0 && peak.weekday === d ? peak.hour : -1} money={m} />
        ))}
      </div>
      <Group gap={6} justify="flex-end">
        <Text size="xs" c="dimmed">
          Fewer
        </Text>
        <span className="cb-m-heat-legend" aria-hidden>
          {LEVELS.map((c) => (
            <span key={c} style={{ background: c }} />
          ))}
        </span>
        <Text size="xs" c="dimmed">
          More {metric === 'count' ? 'sales' : 'takings'}
        </Text>
      </Group>
    </Stack>
  );
}

function Row({
  day,
  row,
  level,
  peak,
  money,
}: {
  day: number;
  row: { count: number; totalMinor: number }[];
  level: (c: { count: number; totalMinor: number }) => number;
  peak: number;
  money: (minor: number) => string;
}) {
  return (
    <>
      <span className="cb-m-heat-day">{WEEKDAYS[day]}</span>
      {row.map((c, h) => (
        <span
          key={h}
          className="cb-m-heat-cell"
          data-peak={h === peak || undefined}
          style={{ background: LEVELS[level(c)] }}
          title={`${WEEKDAYS[day]} ${hh(h)}–${hh((h + 1) % 24)}: ${c.count} ${c.count === 1 ? 'sale' : 'sales'}, ${money(c.totalMinor)}`}
        />
      ))}
    </>
  );
}
