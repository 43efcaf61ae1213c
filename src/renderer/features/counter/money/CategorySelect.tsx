// The expense category picker (with colour dots), shared by the quick entry form and the
// edit dialog. NONE is "Uncategorised".
import type { ReactNode } from 'react';
import { Group, Select, Text } from '@mantine/core';
import type { ExpenseCategory } from '@shared/api/ops/counter-money';
import { Swatch } from './common';

export const NONE = '__none__';

interface CategorySelectProps {
  categories: readonly ExpenseCategory[];
  value: string;
  onChange: (value: string) => void;
  label?: string;
  description?: ReactNode;
  error?: string | undefined;
  /** A category no longer active that the value still points at (an old expense). */
  archived?: { id: string; name: string; color: string } | null;
}

export function CategorySelect({ categories, value, onChange, label = 'Category', description, error, archived }: CategorySelectProps) {
  const colors = new Map<string, string>(categories.map((c) => [c.id, c.color]));
  const data = [
    ...categories.map((c) => ({ value: c.id, label: c.name })),
    ...(archived && !colors.has(archived.id) ? [{ value: archived.id, label: `${archived.name} (archived)` }] : []),
    { value: NONE, label: 'Uncategorised' },
  ];
  if (archived) colors.set(archived.id, archived.color);
  return (
    <Select
      label={label}
      description={description}
      data={data}
      value={value}
      onChange={(v) => v && onChange(v)}
      allowDeselect={false}
      searchable
      nothingFoundMessage="No such category"
      error={error}
      leftSection={<Swatch color={colors.get(value) ?? ''} />}
      renderOption={({ option }) => (
        <Group gap={8} wrap="nowrap">
          <Swatch color={colors.get(option.value) ?? ''} />
          <Text size="sm" c={option.value === NONE ? 'dimmed' : undefined}>
            {option.label}
          </Text>
        </Group>
      )}
    />
  );
}
