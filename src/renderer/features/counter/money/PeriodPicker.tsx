// A period of shop days: quick presets ("Today", "7 days"…) or two dates.
import { Group, SegmentedControl, TextInput } from '@mantine/core';
import { addDays } from '@shared/dates';

export interface Period {
  from: string;
  to: string;
}

export interface Preset {
  /** Days back from today, today included (1 = today only). */
  days: number;
  label: string;
}

/** The period of `days` days ending today. */
export function lastDays(today: string, days: number): Period {
  return { from: addDays(today, -(days - 1)), to: today };
}

/** Which preset a period is, or 'custom'. */
export function presetOf(period: Period, today: string, presets: readonly Preset[]): string {
  const p = presets.find((x) => period.to === today && period.from === addDays(today, -(x.days - 1)));
  return p ? String(p.days) : 'custom';
}

export function PeriodPicker({
  value,
  onChange,
  today,
  presets,
  label = 'Period',
}: {
  value: Period;
  onChange: (p: Period) => void;
  today: string;
  presets: readonly Preset[];
  label?: string;
}) {
  const current = presetOf(value, today, presets);
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <SegmentedControl
        aria-label={label}
        value={current}
        onChange={(v) => {
          if (v !== 'custom') onChange(lastDays(today, Number(v)));
        }}
        data={[...presets.map((p) => ({ value: String(p.days), label: p.label })), { value: 'custom', label: 'Dates', disabled: current !== 'custom' }]}
      />
      <TextInput
        type="date"
        size="sm"
        aria-label="From"
        w={150}
        value={value.from}
        max={value.to}
        onChange={(e) => {
          const from = e.currentTarget.value;
          if (from) onChange({ from, to: from > value.to ? from : value.to });
        }}
      />
      <TextInput
        type="date"
        size="sm"
        aria-label="To"
        w={150}
        value={value.to}
        min={value.from}
        max={today}
        onChange={(e) => {
          const to = e.currentTarget.value;
          if (to) onChange({ from: value.from > to ? to : value.from, to });
        }}
      />
    </Group>
  );
}
