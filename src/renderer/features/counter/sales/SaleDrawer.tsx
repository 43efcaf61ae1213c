// One sale: lines (with what is left to refund), totals, payments, credit notes, the
// receipt to reprint, the A4 invoice and Refund (managers: counter.refund).
import { useState } from 'react';
import { Badge, Button, Divider, Drawer, Group, Paper, SegmentedControl, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useApiQuery } from '../../../api/hooks';
import { useCan } from '../../../api/session-store';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { ReceiptView } from '../documents/ReceiptView';
import { methodLabel, money, percentText, quantityText, shopTime } from '../format';
import { RefundIcon } from '../icons';
import { useShop } from '../shop';
import { RefundDialog } from './RefundDialog';

export function SaleDrawer({ saleId, onClose }: { saleId: string | null; onClose: () => void }) {
  return (
    <Drawer opened={!!saleId} onClose={onClose} position="right" size={980} title="Sale" padding="lg">
      {saleId && <SaleDetail key={saleId} saleId={saleId} />}
    </Drawer>
  );
}

function SaleDetail({ saleId }: { saleId: string }) {
  const shop = useShop();
  const detail = useApiQuery('counter.sale', { saleId }, { refetchOn: ['data.changed'] });
  const canRefund = useCan('counter.refund');
  const [refunding, setRefunding] = useState(false);
  const [shown, setShown] = useState<string>('sale');

  if (detail.error && !detail.data) return <ApiErrorAlert error={detail.error} title="Could not load the sale" onRetry={detail.refetch} />;
  if (!detail.data) return <Skeleton height={400} />;
  const { sale, creditNotes, lines, refundedMinor, fullyRefunded } = detail.data;
  const m = (minor: number): string => money(minor, sale.currency, shop.locale);
  const docOptions = [{ value: 'sale', label: sale.invoiceNumber }, ...creditNotes.map((n) => ({ value: n.id, label: n.number }))];
  const shownDoc = shown === 'sale' || !creditNotes.some((n) => n.id === shown) ? { saleId: sale.id } : { creditNoteId: shown };

  return (
    <div className="cb-sale-detail">
      <Group justify="space-between" align="flex-start" mb="md">
        <div>
          <Group gap="sm">
            <Title order={2} size="h3" className="cb-num" data-testid="drawer-invoice">
              {sale.invoiceNumber}
            </Title>
            {fullyRefunded ? (
              <Badge color="red" variant="light">
                Refunded
              </Badge>
            ) : refundedMinor > 0 ? (
              <Badge color="orange" variant="light">
                Partly refunded · {m(refundedMinor)}
              </Badge>
            ) : (
              <Badge color="green" variant="light">
                Paid
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed" mt={2}>
            {sale.day} {shopTime(sale.finalisedAt ?? sale.createdAt, shop.timezone, shop.locale)} · {sale.cashierName} · {sale.customerName || 'Walk-in customer'}
          </Text>
        </div>
        {canRefund && (
          <Button leftSection={<RefundIcon size={16} />} color="red" variant="light" onClick={() => setRefunding(true)} disabled={fullyRefunded}>
            Refund…
          </Button>
        )}
      </Group>

      <div className="cb-detail-grid" style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 400px', gap: 'var(--mantine-spacing-lg)', alignItems: 'start' }}>
        <Stack gap="md">
          <Table verticalSpacing={6} aria-label="Lines" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th ta="right">Qty</Table.Th>
                <Table.Th ta="right">Price</Table.Th>
                <Table.Th ta="right">Discount</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sale.lines.map((l, i) => {
                const state = lines[i];
                return (
                  <Table.Tr key={l.lineId}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {l.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {[l.sku, `tax ${percentText(l.taxRateBp)}`, state && state.refundedMilli > 0 ? `${quantityText(state.refundedMilli)} refunded` : ''].filter(Boolean).join(' · ')}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" className="cb-num">
                      {quantityText(l.quantityMilli)}
                    </Table.Td>
                    <Table.Td ta="right" className="cb-num">
                      {m(l.unitPriceMinor)}
                    </Table.Td>
                    <Table.Td ta="right" className="cb-num" c={l.discountMinor ? undefined : 'dimmed'}>
                      {l.discountMinor ? `−${m(l.discountMinor)}` : '—'}
                    </Table.Td>
                    <Table.Td ta="right" className="cb-num" fw={600}>
                      {m(l.totalMinor)}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>

          <Paper withBorder p="sm" radius="md">
            <Stack gap={4}>
              <Line label="Subtotal" value={m(sale.subtotalMinor)} />
              {sale.discountMinor > 0 && <Line label="Discounts" value={`−${m(sale.discountMinor)}`} />}
              {sale.taxBreakdown.map((t) => (
                <Line key={t.rateBp} dim label={`${sale.taxMode === 'inclusive' ? 'Incl. tax' : 'Tax'} ${percentText(t.rateBp)} on ${m(t.taxableMinor)}`} value={m(t.taxMinor)} />
              ))}
              {sale.roundingMinor !== 0 && <Line dim label="Cash rounding" value={m(sale.roundingMinor)} />}
              <Divider my={4} />
              <Line strong label="Total" value={m(sale.totalMinor)} />
              {sale.payments.map((p, i) => (
                <Line
                  key={i}
                  dim
                  label={`${methodLabel(p.method)}${p.reference ? ` · ${p.reference}` : ''}`}
                  value={p.tenderedMinor !== undefined && p.tenderedMinor !== p.amountMinor ? `${m(p.amountMinor)} (${m(p.tenderedMinor)} tendered)` : m(p.amountMinor)}
                />
              ))}
              {sale.changeDueMinor > 0 && <Line dim label="Change given" value={m(sale.changeDueMinor)} />}
            </Stack>
          </Paper>

          {creditNotes.length > 0 && (
            <div>
              <Text fw={700} mb={6}>
                Credit notes
              </Text>
              <Table verticalSpacing={6} withTableBorder aria-label="Credit notes">
                <Table.Tbody>
                  {creditNotes.map((n) => (
                    <Table.Tr key={n.id}>
                      <Table.Td>
                        <Text size="sm" fw={600} className="cb-num" data-testid="credit-note-number">
                          {n.number}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {n.kind === 'void' ? 'Void' : 'Refund'} · {shopTime(n.createdAt, shop.timezone, shop.locale)} · {n.cashierName} · {n.reason}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right" className="cb-num" fw={600}>
                        −{m(n.totalMinor)}
                      </Table.Td>
                      <Table.Td w={90}>
                        <Button size="compact-xs" variant="subtle" onClick={() => setShown(n.id)}>
                          Show
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </Stack>

        <Stack gap="xs">
          {docOptions.length > 1 && <SegmentedControl size="xs" fullWidth value={'saleId' in shownDoc ? 'sale' : shown} onChange={setShown} data={docOptions} aria-label="Document" />}
          <ReceiptView key={JSON.stringify(shownDoc)} doc={shownDoc} pdfLabel={'saleId' in shownDoc ? 'Invoice PDF' : 'Credit note PDF'} />
        </Stack>
      </div>

      {refunding && (
        <RefundDialog
          detail={detail.data}
          onClose={() => setRefunding(false)}
          onDone={(noteId) => {
            setShown(noteId);
            detail.refetch();
          }}
        />
      )}
    </div>
  );
}

function Line({ label, value, dim, strong }: { label: string; value: string; dim?: boolean; strong?: boolean }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : undefined} c={dim ? 'dimmed' : undefined}>
        {label}
      </Text>
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : undefined} c={dim ? 'dimmed' : undefined} className="cb-num">
        {value}
      </Text>
    </Group>
  );
}
