import { Button, CloseButton, Group, Paper, Select, TextInput } from '@mantine/core';
import { useApiQuery } from '../../api/hooks';
import { humanize } from './format';

export interface AuditFilterState {
  resourceType: string | null;
  /** Set from an entry's "Show this record's history". */
  resourceId: string | null;
  /** null: anyone; '' is the system. */
  userId: string | null;
  action: string;
  /** 'YYYY-MM-DD' from date inputs ('' = open). */
  fromDate: string;
  toDate: string;
}

export const EMPTY_FILTERS: AuditFilterState = { resourceType: null, resourceId: null, userId: null, action: '', fromDate: '', toDate: '' };

// Select values cannot be '' (that is "nothing chosen"), so the system user gets a stand-in.
const SYSTEM_VALUE = '__system__';

interface AuditFiltersProps {
  value: AuditFilterState;
  onChange: (next: AuditFilterState) => void;
}

export function AuditFilters({ value, onChange }: AuditFiltersProps) {
  const options = useApiQuery('audit.filterOptions', {}, { refetchOn: ['data.changed'] });
  const set = (patch: Partial<AuditFilterState>): void => onChange({ ...value, ...patch });
  const resourceTypes = (options.data?.resourceTypes ?? []).map((t) => ({ value: t, label: humanize(t) }));
  const users = (options.data?.users ?? []).map((u) => ({ value: u.id === '' ? SYSTEM_VALUE : u.id, label: u.name }));
  const userValue = value.userId === null ? null : value.userId === '' ? SYSTEM_VALUE : value.userId;
  const active = JSON.stringify(value) !== JSON.stringify(EMPTY_FILTERS);

  return (
    <Paper withBorder p="md" component="section" aria-label="Filter the audit log">
      <Group align="flex-end" gap="sm">
        <Select
          label="Record type"
          placeholder="All"
          data={resourceTypes}
          value={value.resourceType}
          onChange={(v) => set({ resourceType: v, resourceId: v === value.resourceType ? value.resourceId : null })}
          clearable
          searchable
          w={180}
        />
        <Select
          label="Person"
          placeholder="Anyone"
          data={users}
          value={userValue}
          onChange={(v) => set({ userId: v === null ? null : v === SYSTEM_VALUE ? '' : v })}
          clearable
          searchable
          w={180}
        />
        <TextInput
          label="Action"
          placeholder="e.g. sale. or review.acquire"
          value={value.action}
          onChange={(e) => set({ action: e.currentTarget.value })}
          w={200}
        />
        <TextInput label="From" type="date" value={value.fromDate} onChange={(e) => set({ fromDate: e.currentTarget.value })} w={150} />
        <TextInput label="To" type="date" value={value.toDate} onChange={(e) => set({ toDate: e.currentTarget.value })} w={150} />
        {value.resourceId && (
          <TextInput
            label="Record"
            value={value.resourceId}
            readOnly
            w={200}
            rightSection={<CloseButton aria-label="Show all records" onClick={() => set({ resourceId: null })} />}
          />
        )}
        <Button variant="default" disabled={!active} onClick={() => onChange(EMPTY_FILTERS)}>
          Clear filters
        </Button>
      </Group>
    </Paper>
  );
}
