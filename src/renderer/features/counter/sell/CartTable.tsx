// The lines of the sale. Click or ↑↓ (with the search box empty) selects a line;
// + and − change its quantity, Del removes it, Enter opens it (price, discount, note).
// A problem with a line (the live rules or the core's answer) shows under it.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ActionIcon, Badge, Group, ScrollArea, Table, Text, TextInput, Tooltip } from '@mantine/core';
import type { SaleTotals } from '@shared/counter';
import { money, parseQuantity, percentText, quantityText } from '../format';
import { EditIcon, MinusIcon, PlusIcon, TrashIcon } from '../icons';
import { useShop } from '../shop';
import { useCart, type CartItem } from './cart-store';
import { problemAt, useSellProblem } from './finalise';

interface CartTableProps {
  totals: SaleTotals | null;
  /** The live rules' problem, when it is about a line. */
  lineIssue: { lineIndex: number; message: string } | null;
  locked: boolean;
  onEdit: (index: number) => void;
  /** Focus goes back to the search box after a click on a cart control. */
  onDone: () => void;
}

export function CartTable({ totals, lineIssue, locked, onEdit, onDone }: CartTableProps) {
  const shop = useShop();
  const items = useCart((s) => s.items);
  const selected = useCart((s) => s.selected);
  const { select, bump, remove, setQuantity } = useCart.getState();
  const problem = useSellProblem((s) => s.problem);
  const viewport = useRef<HTMLDivElement>(null);

  // Keep the selected line in view.
  useEffect(() => {
    viewport.current?.querySelector<HTMLElement>(`[data-line="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected, items.length]);

  if (items.length === 0) {
    return (
      <div className="cb-cart-empty">
        <Text fw={600}>The cart is empty</Text>
        <Text size="sm" c="dimmed">
          Scan a barcode, search for a product or press a quick key to start a sale.
        </Text>
      </div>
    );
  }

  return (
    <ScrollArea className="cb-cart-scroll" viewportRef={viewport} type="auto" offsetScrollbars>
      <Table className="cb-cart" verticalSpacing={6} horizontalSpacing="sm" stickyHeader aria-label="Cart" data-testid="cart">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={34}>#</Table.Th>
            <Table.Th>Item</Table.Th>
            <Table.Th w={136} ta="center">
              Quantity
            </Table.Th>
            <Table.Th w={112} ta="right">
              Total
            </Table.Th>
            <Table.Th w={64} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item, index) => {
            const line = totals?.lines[index];
            const message =
              (lineIssue?.lineIndex === index ? lineIssue.message : undefined) ??
              (problem && problemAt(problem, `lines.${index}`, true) ? problem.error.message : undefined);
            const isSelected = index === selected;
            return (
              <CartRow
                key={item.key}
                item={item}
                index={index}
                selected={isSelected}
                locked={locked}
                message={message}
                lineTotal={line ? money(line.totalMinor, shop.currency, shop.locale) : '—'}
                lineDiscount={line && line.lineDiscountMinor > 0 ? line.lineDiscountMinor : 0}
                onSelect={() => select(index)}
                onBump={(u) => {
                  bump(index, u);
                  onDone();
                }}
                onQuantity={(q) => setQuantity(index, q)}
                onRemove={() => {
                  remove(index);
                  onDone();
                }}
                onEdit={() => onEdit(index)}
                onDone={onDone}
              />
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

interface CartRowProps {
  item: CartItem;
  index: number;
  selected: boolean;
  locked: boolean;
  message: string | undefined;
  lineTotal: string;
  lineDiscount: number;
  onSelect: () => void;
  onBump: (units: 1 | -1) => void;
  onQuantity: (quantityMilli: number) => void;
  onRemove: () => void;
  onEdit: () => void;
  onDone: () => void;
}

function CartRow({ item, index, selected, locked, message, lineTotal, lineDiscount, onSelect, onBump, onQuantity, onRemove, onEdit, onDone }: CartRowProps) {
  const shop = useShop();
  const priceChanged = item.catalogPriceMinor !== undefined && item.catalogPriceMinor !== item.unitPriceMinor;
  const keep = (e: { preventDefault: () => void }): void => e.preventDefault();
  return (
    <>
      <Table.Tr
        data-line={index}
        data-selected={selected || undefined}
        data-invalid={message ? true : undefined}
        className="cb-cart-row"
        onClick={onSelect}
        onDoubleClick={onEdit}
        aria-selected={selected}
      >
        <Table.Td c="dimmed" className="cb-num">
          {index + 1}
        </Table.Td>
        <Table.Td>
          <Text size="sm" fw={600} lh={1.25} lineClamp={2}>
            {item.name}
          </Text>
          <Group gap={6} mt={2}>
            <Text size="xs" c="dimmed" className="cb-num">
              {money(item.unitPriceMinor, shop.currency, shop.locale)}
              {item.unit === 'each' ? ' each' : ` / ${item.unit}`}
              {item.sku ? ` · ${item.sku}` : ''}
            </Text>
            {item.discount && (
              <Badge size="xs" variant="light" color="grape">
                −{item.discount.kind === 'percent' ? percentText(item.discount.bp) : money(item.discount.amountMinor, shop.currency, shop.locale)}
                {lineDiscount > 0 && item.discount.kind === 'percent' ? ` (${money(lineDiscount, shop.currency, shop.locale)})` : ''}
              </Badge>
            )}
            {priceChanged && (
              <Tooltip label={`Catalogue price ${money(item.catalogPriceMinor!, shop.currency, shop.locale)}: a manager approves the change at finalise.`}>
                <Badge size="xs" variant="light" color="orange">
                  Price changed
                </Badge>
              </Tooltip>
            )}
            {item.note && (
              <Text size="xs" c="dimmed" fs="italic" truncate maw={220}>
                {item.note}
              </Text>
            )}
          </Group>
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap" justify="center">
            <ActionIcon variant="default" size={34} aria-label={`One less ${item.name}`} disabled={locked} onMouseDown={keep} onClick={() => onBump(-1)}>
              <MinusIcon size={16} />
            </ActionIcon>
            <QuantityInput item={item} locked={locked} onCommit={onQuantity} onDone={onDone} />
            <ActionIcon variant="default" size={34} aria-label={`One more ${item.name}`} disabled={locked} onMouseDown={keep} onClick={() => onBump(1)}>
              <PlusIcon size={16} />
            </ActionIcon>
          </Group>
        </Table.Td>
        <Table.Td ta="right" className="cb-num">
          <Text size="sm" fw={700}>
            {lineTotal}
          </Text>
        </Table.Td>
        <Table.Td>
          <Group gap={2} wrap="nowrap" justify="flex-end">
            <ActionIcon variant="subtle" color="gray" aria-label={`Change ${item.name}`} disabled={locked} onClick={onEdit}>
              <EditIcon size={16} />
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${item.name}`} disabled={locked} onMouseDown={keep} onClick={onRemove}>
              <TrashIcon size={16} />
            </ActionIcon>
          </Group>
        </Table.Td>
      </Table.Tr>
      {message && (
        <Table.Tr className="cb-cart-issue">
          <Table.Td />
          <Table.Td colSpan={4}>
            <Text size="xs" c="red.8" fw={500} role="alert" data-testid={`line-issue-${index}`}>
              {message}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

/** The quantity typed in place: committed on Enter or when leaving the field; a typo stays visible with its message, the line keeps its quantity. */
function QuantityInput({ item, locked, onCommit, onDone }: { item: CartItem; locked: boolean; onCommit: (q: number) => void; onDone: () => void }) {
  const shown = quantityText(item.quantityMilli);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const commit = (): boolean => {
    if (draft === null) return true;
    const parsed = parseQuantity(draft);
    if (!parsed.ok) {
      setError(parsed.message);
      return false;
    }
    onCommit(parsed.value);
    setDraft(null);
    setError(null);
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      if (commit()) onDone();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setDraft(null);
      setError(null);
      onDone();
    }
  };

  return (
    <Tooltip label={error} opened={!!error} color="red" withArrow position="bottom">
      <TextInput
        size="sm"
        w={56}
        value={draft ?? shown}
        disabled={locked}
        onChange={(e) => {
          setDraft(e.currentTarget.value);
          setError(null);
        }}
        onFocus={(e) => e.currentTarget.select()}
        onBlur={() => commit()}
        onKeyDown={onKeyDown}
        error={!!error}
        aria-label={`Quantity of ${item.name}`}
        inputMode="decimal"
        styles={{ input: { textAlign: 'center', fontVariantNumeric: 'tabular-nums', fontWeight: 600 } }}
      />
    </Tooltip>
  );
}
