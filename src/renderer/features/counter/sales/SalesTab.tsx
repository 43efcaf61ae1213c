// The Sales tab: the day's finalised sales of this register (or every register), newest
// first, in a virtualised list that pages on as it scrolls; a sale opens in a drawer with
// its receipt, invoice, credit notes and Refund.
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Badge, Button, Group, Skeleton, Switch, Text, TextInput } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { SaleSummary } from '@shared/api/ops/counter-sales';
import { addDays } from '@shared/dates';
import { api, type ApiCallError } from '../../../api/client';
import { toApiCallError } from '../../../api/errors';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { methodLabel, money, shopDay, shopTime } from '../format';
import { ReceiptIcon, SearchIcon } from '../icons';
import { useShop } from '../shop';
import { SaleDrawer } from './SaleDrawer';

const PAGE = 50;
const ROW_HEIGHT = 52;

interface Filter {
  day: string;
  deviceId?: 'all';
}

interface Pages {
  key: string;
  items: SaleSummary[];
  next: string | null;
  loading: boolean;
  error: ApiCallError | null;
}

const sameSummary = (a: SaleSummary, b: SaleSummary): boolean =>
  (Object.keys(b) as (keyof SaleSummary)[]).every((k) => (k === 'methods' ? a.methods.join() === b.methods.join() : a[k] === b[k])) && Object.keys(a).length === Object.keys(b).length;

/**
 * A refreshed page with the objects of the rows that did not change, so that their cells
 * (memoised on the sale) do not render again when a new sale moves them down.
 */
function keepUnchanged(before: SaleSummary[], after: SaleSummary[]): SaleSummary[] {
  const old = new Map(before.map((s) => [s.id, s]));
  return after.map((s) => {
    const was = old.get(s.id);
    return was && sameSummary(was, s) ? was : s;
  });
}

/** The list for a filter: first page at once, more on demand, refreshed after every write. */
function useSalePages(filter: Filter): Pages & { loadMore: () => void; reload: () => void } {
  const key = JSON.stringify(filter);
  const [pages, setPages] = useState<Pages>({ key, items: [], next: null, loading: true, error: null });
  const latest = useRef(0);
  const loaded = useRef(0);

  const fetchPage = useCallback(
    async (cursor: string | null, limit: number) => {
      const call = ++latest.current;
      // A refresh of a list on screen (after a write) keeps showing it as it is: flagging it
      // as loading would re-render every row once more for nothing, while the cashier's
      // window (the same main thread when opened from it) is busy with the sale.
      setPages((p) => (p.key !== key ? { key, items: [], next: null, loading: true, error: null } : cursor === null && p.items.length > 0 ? p : { ...p, loading: true }));
      try {
        const out = await api().call('counter.sales', { ...(JSON.parse(key) as Filter), limit, ...(cursor ? { cursor } : {}) });
        if (call !== latest.current) return;
        setPages((p) => {
          const items = cursor && p.key === key ? [...p.items, ...out.items] : p.key === key ? keepUnchanged(p.items, out.items) : out.items;
          loaded.current = items.length;
          return { key, items, next: out.nextCursor, loading: false, error: null };
        });
      } catch (e) {
        if (call !== latest.current) return;
        setPages((p) => ({ ...p, key, loading: false, error: toApiCallError(e) }));
      }
    },
    [key],
  );

  const reload = useCallback(() => void fetchPage(null, Math.min(200, Math.max(PAGE, loaded.current))), [fetchPage]);

  useEffect(() => {
    loaded.current = 0;
    void fetchPage(null, PAGE);
    const client = api();
    const offData = client.on('data.changed', (p) => {
      if (p.collections.some((c) => c === 'sales' || c === 'creditNotes')) reload();
    });
    let dropped = false;
    const offConn = client.onConnection((s) => {
      if (s === 'closed') dropped = true;
      if (s === 'open' && dropped) {
        dropped = false;
        reload();
      }
    });
    return () => {
      offData();
      offConn();
    };
  }, [fetchPage, reload]);

  const current = pages.key === key ? pages : { key, items: [], next: null, loading: true, error: null };
  const loadMore = useCallback(() => {
    if (current.next && !current.loading) void fetchPage(current.next, PAGE);
  }, [current.next, current.loading, fetchPage]);
  return { ...current, loadMore, reload };
}

export default function SalesTab() {
  const shop = useShop();
  const today = shopDay(Date.now(), shop.timezone);
  const [day, setDay] = useState(today);
  const [allRegisters, setAllRegisters] = useState(false);
  const [openSale, setOpenSale] = useState<string | null>(null);
  const [find, setFind] = useState('');
  const [findError, setFindError] = useState<ApiCallError | null>(null);
  const [active, setActive] = useState(-1);
  const filter: Filter = allRegisters ? { day, deviceId: 'all' } : { day };
  const list = useSalePages(filter);
  const scroller = useRef<HTMLDivElement>(null);

  // The virtualizer's functions are not memoisable; this component is not compiled (as AuditList).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: list.items.length + (list.next ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? -1;
  const { loadMore } = list;
  useEffect(() => {
    if (lastIndex >= list.items.length - 1) loadMore();
  }, [lastIndex, list.items.length, loadMore]);

  useEffect(() => {
    if (active < 0) return;
    virtualizer.scrollToIndex(active, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.focus());
  }, [active, virtualizer]);

  const onListKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.min(Math.max((a < 0 ? -1 : a) + (e.key === 'ArrowDown' ? 1 : -1), 0), list.items.length - 1));
    } else if (e.key === 'Home') {
      e.preventDefault();
      setActive(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      setActive(list.items.length - 1);
    }
  };

  const findSale = async (): Promise<void> => {
    if (!find.trim()) return;
    setFindError(null);
    try {
      const sale = await api().call('counter.saleByNumber', { invoiceNumber: find.trim() });
      setOpenSale(sale.id);
    } catch (e) {
      setFindError(toApiCallError(e));
    }
  };

  const openRow = useCallback((index: number, saleId: string) => {
    setActive(index);
    setOpenSale(saleId);
  }, []);

  const total = list.items.reduce((s, i) => s + i.totalMinor, 0);
  const complete = !list.next && !list.loading;

  return (
    <div>
      <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
        <Group gap="sm" align="flex-end">
          <TextInput type="date" label="Day" value={day} max={today} onChange={(e) => e.currentTarget.value && setDay(e.currentTarget.value)} w={170} />
          <Button variant="default" onClick={() => setDay(addDays(day, -1))} aria-label="Previous day">
            ‹
          </Button>
          <Button variant="default" onClick={() => setDay(addDays(day, 1))} disabled={day >= today} aria-label="Next day">
            ›
          </Button>
          <Button variant={day === today ? 'light' : 'default'} onClick={() => setDay(today)}>
            Today
          </Button>
          <Switch label="All registers" checked={allRegisters} onChange={(e) => setAllRegisters(e.currentTarget.checked)} mb={8} ml="xs" />
        </Group>
        <TextInput
          label="Find an invoice"
          placeholder="CS-A1-000123"
          leftSection={<SearchIcon size={16} />}
          value={find}
          onChange={(e) => {
            setFind(e.currentTarget.value);
            setFindError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void findSale();
            }
          }}
          error={findError?.message}
          w={260}
        />
      </Group>

      <Group justify="space-between" mb={6}>
        <Text size="sm" c="dimmed" role="status">
          {list.loading && list.items.length === 0
            ? 'Loading…'
            : complete
              ? `${list.items.length} ${list.items.length === 1 ? 'sale' : 'sales'} · ${money(total, shop.currency, shop.locale)}`
              : `${list.items.length}+ sales (more load as you scroll)`}
        </Text>
        <Text size="xs" c="dimmed">
          ↑↓ to move · Enter to open
        </Text>
      </Group>
      <ApiErrorAlert error={list.error} title="Could not load the sales" onRetry={list.reload} />

      <div ref={scroller} className="cb-sales-list" role="grid" aria-label={`Sales of ${day}`} aria-rowcount={list.items.length} onKeyDown={onListKey}>
        <div className="cb-sales-grid cb-sales-header" role="row">
          <span role="columnheader">Time</span>
          <span role="columnheader">Invoice</span>
          <span role="columnheader">Customer</span>
          <span role="columnheader">Cashier</span>
          <span role="columnheader">Paid by</span>
          <span role="columnheader" style={{ textAlign: 'right' }}>
            Lines
          </span>
          <span role="columnheader" style={{ textAlign: 'right' }}>
            Total
          </span>
        </div>
        {list.items.length === 0 && !list.loading && (
          <Group justify="center" py={48} gap="xs">
            <ReceiptIcon />
            <Text c="dimmed">No sales {allRegisters ? 'on any register' : 'on this register'} on {day}.</Text>
          </Group>
        )}
        {list.items.length === 0 && list.loading && <Skeleton height={ROW_HEIGHT * 4} m="sm" />}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualItems.map((v) => {
            const sale = list.items[v.index];
            if (!sale) {
              return (
                <div key="more" className="cb-sale-row cb-sales-grid" style={{ height: v.size, transform: `translateY(${v.start}px)` }}>
                  <Text size="sm" c="dimmed" style={{ gridColumn: '1 / -1' }}>
                    Loading more…
                  </Text>
                </div>
              );
            }
            return (
              <SaleRow
                key={sale.id}
                sale={sale}
                index={v.index}
                start={v.start}
                size={v.size}
                tabbable={v.index === Math.max(active, 0)}
                active={v.index === active}
                timeZone={shop.timezone}
                locale={shop.locale}
                onOpen={openRow}
                onFocusRow={setActive}
              />
            );
          })}
        </div>
      </div>

      <SaleDrawer saleId={openSale} onClose={() => setOpenSale(null)} />
    </div>
  );
}

interface SaleRowProps {
  sale: SaleSummary;
  index: number;
  start: number;
  size: number;
  tabbable: boolean;
  active: boolean;
  timeZone: string;
  locale: string | undefined;
  onOpen: (index: number, saleId: string) => void;
  onFocusRow: (index: number) => void;
}

/**
 * One sale of the list. A new sale moves every row down, so each visible row renders
 * again after every sale (its index and offset change): that render is only the row's
 * element, whose cells (SaleCells) depend on the sale alone and are not rendered again.
 * The cells are plain elements (./counter.css .cb-sale-cell), not a Mantine Text each.
 * This keeps the list's update short, in a manager's window and in a list opened on a
 * register's own window.
 */
const SaleRow = memo(function SaleRow({ sale, index, start, size, tabbable, active, timeZone, locale, onOpen, onFocusRow }: SaleRowProps) {
  return (
    <button
      type="button"
      data-index={index}
      role="row"
      tabIndex={tabbable ? 0 : -1}
      className="cb-sale-row cb-sales-grid"
      data-active={active || undefined}
      style={{ height: size, transform: `translateY(${start}px)` }}
      onClick={() => onOpen(index, sale.id)}
      onFocus={() => onFocusRow(index)}
      aria-label={`${sale.invoiceNumber}, ${money(sale.totalMinor, sale.currency, locale)}`}
    >
      <SaleCells sale={sale} timeZone={timeZone} locale={locale} />
    </button>
  );
});

const SaleCells = memo(function SaleCells({ sale, timeZone, locale }: { sale: SaleSummary; timeZone: string; locale: string | undefined }) {
  return (
    <>
      <span className="cb-sale-cell cb-num" data-dim role="gridcell">
        {shopTime(sale.createdAt, timeZone, locale)}
      </span>
      <span className="cb-sale-cell cb-num" data-weight="600" role="gridcell">
        {sale.invoiceNumber}
      </span>
      <span className="cb-sale-cell" data-dim={sale.customerName ? undefined : true} role="gridcell">
        {sale.customerName || 'Walk-in'}
      </span>
      <span className="cb-sale-cell" role="gridcell">
        {sale.cashierName}
      </span>
      <Group gap={4} role="gridcell" wrap="nowrap">
        {sale.methods.map((m) => (
          <Badge key={m} size="sm" variant="light" color={m === 'cash' ? 'green' : m === 'card' ? 'blue' : m === 'mobile_money' ? 'teal' : 'orange'} radius="sm">
            {m === 'customer_credit' ? 'Credit' : methodLabel(m)}
          </Badge>
        ))}
      </Group>
      <span className="cb-sale-cell" data-dim data-right role="gridcell">
        {sale.lineCount}
      </span>
      <span className="cb-sale-cell cb-num" data-weight="700" data-right role="gridcell">
        {money(sale.totalMinor, sale.currency, locale)}
      </span>
    </>
  );
});
