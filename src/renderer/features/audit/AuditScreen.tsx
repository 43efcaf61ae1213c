import { useState } from 'react';
import { Grid } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { OpInput } from '@shared/api/contract';
import { AREA_LABELS } from '../../app/areas';
import { Page } from '../../components/Page';
import { AuditEntryPanel } from './AuditEntryPanel';
import { AuditFilters, EMPTY_FILTERS, type AuditFilterState } from './AuditFilters';
import { AuditList } from './AuditList';
import { ChainStatusCard } from './ChainStatusCard';
import { dayEndMs, dayStartMs } from './format';
import { useAuditLog } from './useAuditLog';

function toListInput(filters: AuditFilterState): Omit<OpInput<'audit.list'>, 'cursor' | 'limit'> {
  const action = filters.action.trim();
  const from = dayStartMs(filters.fromDate);
  const to = dayEndMs(filters.toDate);
  return {
    ...(filters.resourceType ? { resourceType: filters.resourceType } : {}),
    ...(filters.resourceId ? { resourceId: filters.resourceId } : {}),
    ...(filters.userId !== null ? { userId: filters.userId } : {}),
    ...(action ? { action } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

export function AuditScreen() {
  const [filters, setFilters] = useState<AuditFilterState>(EMPTY_FILTERS);
  // Typing in the action box waits for a pause before the list reloads.
  const [action] = useDebouncedValue(filters.action, 300);
  const log = useAuditLog(toListInput({ ...filters, action }));
  const [selectedId, setSelectedId] = useState<string | null>(null);

  return (
    <Page title={AREA_LABELS.audit} description="A tamper-evident record of every change: who made it, when, and what changed.">
      <ChainStatusCard />
      <AuditFilters value={filters} onChange={setFilters} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <AuditList log={log} selectedId={selectedId} onSelect={setSelectedId} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <AuditEntryPanel
            id={selectedId}
            onShowHistory={(resourceType, resourceId) => setFilters({ ...EMPTY_FILTERS, resourceType, resourceId })}
          />
        </Grid.Col>
      </Grid>
    </Page>
  );
}
