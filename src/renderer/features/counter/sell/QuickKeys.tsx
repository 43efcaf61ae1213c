// Favourite products as big buttons; quick keys 1 to 12 also answer to Shift+F1..F12.
import { Group, Skeleton, Text, UnstyledButton } from '@mantine/core';
import type { Product } from '@shared/api/ops/counter-sales';
import { money } from '../format';
import { useShop } from '../shop';
import { Shortcut } from '../Shortcut';

export const QUICK_KEY_COUNT = 12;

/** "Shift+F3" for quick key 3; null when the key has no F-key. */
export function quickKeyShortcut(quickKey: number | undefined): string | null {
  return quickKey !== undefined && quickKey >= 1 && quickKey <= QUICK_KEY_COUNT ? `Shift+F${quickKey}` : null;
}

interface QuickKeysProps {
  products: Product[] | undefined;
  disabled: boolean;
  onAdd: (product: Product) => void;
}

export function QuickKeys({ products, disabled, onAdd }: QuickKeysProps) {
  const shop = useShop();
  if (!products) {
    return (
      <div className="cb-quick-grid">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} height={58} radius="md" />
        ))}
      </div>
    );
  }
  if (products.length === 0) {
    return (
      <Text size="sm" c="dimmed" className="cb-quick-empty">
        No favourites yet. Mark products as favourites (with a quick key number) in Products to get buttons here.
      </Text>
    );
  }
  return (
    <nav aria-label="Quick keys" className="cb-quick-grid">
      {products.map((p) => {
        const shortcut = quickKeyShortcut(p.quickKey);
        return (
          <UnstyledButton
            key={p.id}
            className="cb-quick-key"
            disabled={disabled}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onAdd(p)}
            aria-keyshortcuts={shortcut ?? undefined}
            aria-label={`${p.name}, ${money(p.priceMinor, shop.currency, shop.locale)}`}
          >
            <Text size="sm" fw={600} lineClamp={2} lh={1.2}>
              {p.name}
            </Text>
            <Group justify="space-between" gap={4} wrap="nowrap" mt={4}>
              <Text size="xs" c="dimmed" className="cb-num">
                {money(p.priceMinor, shop.currency, shop.locale)}
              </Text>
              {shortcut ? <Shortcut keys={`⇧F${p.quickKey}`} /> : p.quickKey ? <Text size="xs" c="dimmed">#{p.quickKey}</Text> : null}
            </Group>
          </UnstyledButton>
        );
      })}
    </nav>
  );
}
