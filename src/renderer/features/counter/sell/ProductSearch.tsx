// The search-as-you-type box of the Sell tab, which is also where a barcode scanner
// (a keyboard wedge) types. Enter adds: the result chosen with the arrow keys, else the
// product whose barcode or SKU is exactly what was typed, else the best match of a
// name search. "3*" before the code or name sets the quantity.
import { useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { Alert, Anchor, Badge, Button, Group, Kbd, Loader, Paper, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Product } from '@shared/api/ops/counter-sales';
import { api } from '../../../api/client';
import { toApiCallError } from '../../../api/errors';
import { AlertIcon } from '../../../components/icons';
import { money, parseQuantity, quantityText } from '../format';
import { BarcodeIcon } from '../icons';
import { useShop } from '../shop';

export interface SearchHandle {
  focus: (selectAll?: boolean) => void;
  /** Types a character into the box (keys caught elsewhere in the Sell tab, a scanner). */
  type: (text: string) => void;
}

interface ProductSearchProps {
  handle: Ref<SearchHandle>;
  /** Opens the list of every key of the Sell tab. */
  onShowKeys: () => void;
  disabled: boolean;
  onAdd: (product: Product, quantityMilli: number) => void;
  /** Keys the box does not use when it is empty (cart navigation). */
  onEmptyKey: (event: KeyboardEvent<HTMLInputElement>) => boolean;
  /** Type the item in instead (after an unknown barcode: that code). */
  onOpenItem: (code: string) => void;
}

/** "3*bread" -> 3000 and "bread"; "bread" -> 1000 and "bread". */
export function splitQuantity(raw: string): { quantityMilli: number; term: string; quantityError?: string } {
  const m = /^\s*([^*\s]+)\s*\*\s*(.*)$/.exec(raw);
  if (!m) return { quantityMilli: 1000, term: raw.trim() };
  const q = parseQuantity(m[1]!);
  if (!q.ok) return { quantityMilli: 1000, term: m[2]!.trim(), quantityError: q.message };
  return { quantityMilli: q.value, term: m[2]!.trim() };
}

const looksLikeCode = (term: string): boolean => /^[0-9-]{4,}$/.test(term);
const RESULT_LIMIT = 12;

export function ProductSearch({ handle, onShowKeys, disabled, onAdd, onEmptyKey, onOpenItem }: ProductSearchProps) {
  const shop = useShop();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(-1);
  const [message, setMessage] = useState<{ text: string; tone: 'error' | 'info'; code?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [debounced] = useDebouncedValue(query, 90);
  const [results, setResults] = useState<{ term: string; items: Product[] } | null>(null);
  const { term, quantityMilli, quantityError } = splitQuantity(query);
  const debouncedTerm = splitQuantity(debounced).term;

  useImperativeHandle(handle, () => ({
    focus: (selectAll) => {
      input.current?.focus();
      if (selectAll) input.current?.select();
    },
    type: (text) => {
      if (disabled) return;
      setQuery((q) => {
        const el = input.current;
        // Replace a selected text (after an unknown barcode) like typing would.
        if (el && el.selectionStart === 0 && el.selectionEnd === q.length && q.length > 0) return text;
        return q + text;
      });
      setActive(-1);
      setMessage(null);
      input.current?.focus();
    },
  }));

  useEffect(() => {
    if (!debouncedTerm) return;
    let live = true;
    api()
      .call('counter.products', { query: debouncedTerm, limit: RESULT_LIMIT })
      .then((r) => live && setResults({ term: debouncedTerm, items: r.items }))
      .catch(() => live && setResults({ term: debouncedTerm, items: [] }));
    return () => {
      live = false;
    };
  }, [debouncedTerm]);

  const shown = term && results && results.term === debouncedTerm ? results.items : [];
  const open = !!term && (shown.length > 0 || (results?.term === debouncedTerm && debouncedTerm === term));

  const reset = (): void => {
    setQuery('');
    setActive(-1);
    setResults(null);
  };

  const add = (product: Product): void => {
    onAdd(product, quantityMilli);
    setMessage(null);
    reset();
  };

  const submit = async (): Promise<void> => {
    if (quantityError) {
      setMessage({ text: quantityError, tone: 'error' });
      return;
    }
    if (!term) return;
    const chosen = active >= 0 ? shown[active] : undefined;
    if (chosen) return add(chosen);
    setBusy(true);
    try {
      const product = await api().call('counter.productByBarcode', { barcode: term });
      add(product);
    } catch (thrown) {
      const error = toApiCallError(thrown);
      if (error.code !== 'NOT_FOUND') {
        setMessage({ text: error.message, tone: 'error' });
        return;
      }
      // Not a barcode or SKU: a name search picks its best match, a code never guesses.
      let best = shown[0];
      if (!looksLikeCode(term) && !best) {
        best = (await api().call('counter.products', { query: term, limit: 1 }).catch(() => ({ items: [] as Product[] }))).items[0];
      }
      if (best && !looksLikeCode(term)) return add(best);
      setMessage(looksLikeCode(term) ? { text: error.message, tone: 'error', code: term } : { text: `Nothing in the catalogue matches "${term}".`, tone: 'error' });
      // Selected, so the next scan replaces it.
      requestAnimationFrame(() => input.current?.select());
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (!query && onEmptyKey(event)) return;
    if (event.key === 'ArrowDown' && shown.length > 0) {
      event.preventDefault();
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (event.key === 'ArrowUp' && shown.length > 0) {
      event.preventDefault();
      setActive((a) => Math.max(a - 1, -1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!busy) void submit();
    } else if (event.key === 'Escape' && query) {
      event.preventDefault();
      event.stopPropagation();
      reset();
      setMessage(null);
    }
  };

  return (
    <div className="cb-search">
      <TextInput
        ref={input}
        size="lg"
        radius="md"
        value={query}
        disabled={disabled}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setActive(-1);
          setMessage(null);
        }}
        onKeyDown={onKeyDown}
        placeholder="Scan, or search by name, SKU or barcode"
        aria-label="Search products or scan a barcode"
        aria-describedby="cb-search-hint"
        aria-expanded={open}
        aria-controls="cb-search-results"
        aria-activedescendant={active >= 0 ? `cb-result-${active}` : undefined}
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        leftSection={<BarcodeIcon size={22} />}
        rightSectionWidth={busy ? 40 : 64}
        rightSection={busy ? <Loader size="sm" /> : <Kbd size="xs">F2</Kbd>}
        data-autofocus
      />
      <Text id="cb-search-hint" size="xs" c="dimmed" mt={4}>
        Enter adds · ↑↓ choose · <Kbd size="xs">3*</Kbd>code sets the quantity · box empty: ↑↓ + − Del Enter act on the cart ·{' '}
        <Anchor component="button" type="button" size="xs" onClick={onShowKeys} onMouseDown={(e) => e.preventDefault()}>
          All keys
        </Anchor>
      </Text>
      {quantityMilli !== 1000 && term && (
        <Badge className="cb-search-qty" variant="filled" size="lg" radius="sm">
          × {quantityText(quantityMilli)}
        </Badge>
      )}
      {message && (
        <Alert mt="xs" color={message.tone === 'error' ? 'red' : 'blue'} variant="light" icon={<AlertIcon />} role="alert" py={8} data-testid="search-message">
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <span>{message.text}</span>
            {message.code !== undefined && (
              <Button size="compact-xs" variant="white" color="red" onMouseDown={(e) => e.preventDefault()} onClick={() => onOpenItem(message.code ?? '')}>
                Open item…
              </Button>
            )}
          </Group>
        </Alert>
      )}
      {open && (
        <Paper className="cb-search-results" shadow="lg" withBorder radius="md" id="cb-search-results" role="listbox" aria-label="Matching products">
          {shown.length === 0 ? (
            <Text size="sm" c="dimmed" p="sm">
              No product matches "{term}". Press Enter to look it up as a barcode.
            </Text>
          ) : (
            shown.map((p, i) => (
              <UnstyledButton
                key={p.id}
                id={`cb-result-${i}`}
                role="option"
                aria-selected={i === active}
                className="cb-result"
                data-active={i === active || undefined}
                tabIndex={-1}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => add(p)}
              >
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} truncate>
                      {p.name}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {[p.sku && `SKU ${p.sku}`, p.barcode, p.category].filter(Boolean).join(' · ') || 'No code'}
                    </Text>
                  </div>
                  <Text size="sm" fw={600} className="cb-num" style={{ whiteSpace: 'nowrap' }}>
                    {money(p.priceMinor, p.currency || shop.currency, shop.locale)}
                    {p.unit !== 'each' && <Text span size="xs" c="dimmed">{` / ${p.unit}`}</Text>}
                  </Text>
                </Group>
              </UnstyledButton>
            ))
          )}
        </Paper>
      )}
    </div>
  );
}
