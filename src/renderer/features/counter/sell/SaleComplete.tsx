// After finalising: the invoice number, the change to hand back, the receipt to print and
// the A4 invoice. Enter or Esc (or scanning the next item) starts the next sale.
import { useEffect, useRef, type RefObject } from 'react';
import { Badge, Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { Sale } from '@shared/api/ops/counter-sales';
import { ReceiptView, type ReceiptHandle } from '../documents/ReceiptView';
import { methodLabel, money, shopTime } from '../format';
import { CheckIcon } from '../icons';
import { useShop } from '../shop';
import { Shortcut } from '../Shortcut';

interface SaleCompleteProps {
  sale: Sale;
  receipt: RefObject<ReceiptHandle | null>;
  onNewSale: () => void;
}

export function SaleComplete({ sale, receipt, onNewSale }: SaleCompleteProps) {
  const shop = useShop();
  const next = useRef<HTMLButtonElement>(null);
  const m = (minor: number): string => money(minor, sale.currency, shop.locale);
  useEffect(() => next.current?.focus(), []);

  return (
    <div className="cb-done" role="region" aria-label="Sale complete">
      <Paper withBorder radius="md" p="xl" className="cb-done-summary">
        <Stack gap="lg">
          <Group gap="md" wrap="nowrap">
            <ThemeIcon size={48} radius="xl" color="green" variant="light">
              <CheckIcon size={28} />
            </ThemeIcon>
            <div>
              <Text size="sm" c="dimmed">
                {['Sale complete', shopTime(sale.finalisedAt ?? sale.createdAt, shop.timezone, shop.locale), sale.cashierName].filter(Boolean).join(' · ')}
              </Text>
              <Title order={2} className="cb-num" data-testid="invoice-number">
                {sale.invoiceNumber}
              </Title>
            </div>
          </Group>

          <div className="cb-change-hero" data-testid="done-change">
            <Text size="sm" fw={600} tt="uppercase" c="dimmed" style={{ letterSpacing: '0.05em' }}>
              Change due
            </Text>
            <Text className="cb-num cb-change-hero-amount">{m(sale.changeDueMinor)}</Text>
          </div>

          <Stack gap={6}>
            <Group justify="space-between">
              <Text size="sm">Total</Text>
              <Text size="sm" fw={700} className="cb-num">
                {m(sale.totalMinor)}
              </Text>
            </Group>
            {sale.payments.map((p, i) => (
              <Group key={i} justify="space-between">
                <Text size="sm" c="dimmed">
                  {methodLabel(p.method)}
                  {p.reference ? ` · ${p.reference}` : ''}
                </Text>
                <Text size="sm" c="dimmed" className="cb-num">
                  {p.tenderedMinor !== undefined && p.tenderedMinor !== p.amountMinor ? `${m(p.tenderedMinor)} tendered` : m(p.amountMinor)}
                </Text>
              </Group>
            ))}
            {sale.customerName && (
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  Customer
                </Text>
                <Badge variant="light">{sale.customerName}</Badge>
              </Group>
            )}
          </Stack>

          <Button ref={next} size="xl" fullWidth onClick={onNewSale} rightSection={<Shortcut keys="Enter" inverse />}>
            New sale
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            Enter or Esc starts the next sale; scanning an item does too.
          </Text>
        </Stack>
      </Paper>
      <Paper withBorder radius="md" p="md" className="cb-done-receipt">
        <ReceiptView doc={{ saleId: sale.id }} handle={receipt} printShortcut />
      </Paper>
    </div>
  );
}
