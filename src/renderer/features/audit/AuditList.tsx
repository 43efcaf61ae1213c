import { useEffect, useRef, type KeyboardEvent } from 'react';
import { Badge, Box, Button, Center, Group, Loader, Paper, Skeleton, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AuditListItem } from '@shared/api/ops/audit';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatAt, humanize } from './format';
import type { AuditLog } from './useAuditLog';

const ROW_HEIGHT = 64;

interface AuditListProps {
  log: AuditLog;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

const CHANGE_COLOR = { created: 'teal', changed: 'blue', deleted: 'red' } as const;

/** The entries as a virtualised listbox: arrow keys move the selection, older pages load near the end. */
export function AuditList({ log, selectedId, onSelect }: AuditListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { entries, hasMore, loadingMore, loadMore } = log;
  // The Virtualizer hands out functions the React Compiler cannot memoise; this component opts out.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: entries.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : -1;

  // Near the end (or a page that a rare filter left short): fetch older entries.
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= entries.length - 10) loadMore();
  }, [hasMore, loadingMore, lastIndex, entries.length, loadMore]);

  const selectedIndex = entries.findIndex((e) => e.id === selectedId);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 };
    let next: number | undefined;
    if (event.key in moves) next = Math.min(entries.length - 1, Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + moves[event.key]!));
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = entries.length - 1;
    if (next === undefined || next < 0) return;
    event.preventDefault();
    onSelect(entries[next]!.id);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  if (log.loading) return <Skeleton height={420} radius="md" />;
  return (
    <Paper withBorder component="section" aria-label="Entries">
      <ApiErrorAlert error={log.error} title="Could not load the audit log" onRetry={log.refetch} />
      {entries.length === 0 && !hasMore ? (
        <Center h={200}>
          <Text c="dimmed">No entries match these filters.</Text>
        </Center>
      ) : (
        <div
          ref={scrollRef}
          role="listbox"
          aria-label="Audit entries, newest first"
          aria-activedescendant={selectedIndex >= 0 ? `audit-row-${entries[selectedIndex]!.id}` : undefined}
          tabIndex={0}
          onKeyDown={onKeyDown}
          style={{ height: 480, overflowY: 'auto', position: 'relative', outlineOffset: -2 }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const entry = entries[item.index]!;
              return (
                <AuditRow
                  key={entry.id}
                  entry={entry}
                  index={item.index}
                  total={entries.length}
                  selected={entry.id === selectedId}
                  top={item.start}
                  onSelect={() => onSelect(entry.id)}
                />
              );
            })}
          </div>
        </div>
      )}
      {(hasMore || loadingMore) && (
        <Group justify="center" p="xs">
          {loadingMore ? <Loader size="sm" aria-label="Loading older entries" /> : <Button variant="subtle" size="xs" onClick={loadMore}>Load older entries</Button>}
        </Group>
      )}
    </Paper>
  );
}

interface AuditRowProps {
  entry: AuditListItem;
  index: number;
  total: number;
  selected: boolean;
  top: number;
  onSelect: () => void;
}

function AuditRow({ entry, index, total, selected, top, onSelect }: AuditRowProps) {
  return (
    <Box
      id={`audit-row-${entry.id}`}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={total}
      onClick={onSelect}
      px="md"
      py={6}
      style={{
        position: 'absolute',
        top,
        left: 0,
        right: 0,
        height: ROW_HEIGHT,
        cursor: 'pointer',
        borderBottom: '1px solid var(--mantine-color-default-border)',
        background: selected ? 'var(--mantine-primary-color-light)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={600} truncate>
          {entry.action}
        </Text>
        <Text size="xs" c="dimmed" style={{ flexShrink: 0, fontVariantNumeric: 'tabular-nums' }}>
          {formatAt(entry.at)}
        </Text>
      </Group>
      <Group gap={6} wrap="nowrap" mt={2}>
        <Text size="sm" truncate>
          {entry.user.name}
          {entry.overrideBy && ` · approved by ${entry.overrideBy.name}`}
        </Text>
        <Text size="sm" c="dimmed" truncate>
          · {humanize(entry.resourceType)} {entry.resourceId.slice(0, 8)}
        </Text>
        <Badge size="xs" variant="light" color={CHANGE_COLOR[entry.change]} style={{ flexShrink: 0 }}>
          {entry.change}
        </Badge>
        {entry.overrideBy && (
          <Badge size="xs" variant="light" color="orange" style={{ flexShrink: 0 }}>
            override
          </Badge>
        )}
      </Group>
    </Box>
  );
}
