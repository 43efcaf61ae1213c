// A two- or three-way switch for the Insights panels ("Sales | Takings"). Not Mantine's
// SegmentedControl: its sliding indicator measures itself with a forced layout whenever
// the page around it changes size, and the Insights body changes size with every period
// (two of them doubled the time from the answer to the figures on screen).
import { Button } from '@mantine/core';

export function Toggle<T extends string>({ value, onChange, data, label }: { value: T; onChange: (value: T) => void; data: readonly { value: T; label: string }[]; label: string }) {
  return (
    <div role="radiogroup" aria-label={label}>
      <Button.Group>
        {data.map((d) => (
          <Button key={d.value} size="compact-xs" variant={d.value === value ? 'filled' : 'default'} role="radio" aria-checked={d.value === value} onClick={() => onChange(d.value)}>
            {d.label}
          </Button>
        ))}
      </Button.Group>
    </div>
  );
}
