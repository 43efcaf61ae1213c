// Refund part or all of a sale as a credit note: choose lines and quantities (or
// everything left), a reason and how the money goes back. The credit note id is made
// here once, so a retry after a dropped connection can never refund twice. Over the
// shop's refund limit a manager approves with their PIN. Then: the credit note receipt.
import { useMemo, useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Paper, SegmentedControl, Stack, Table, Text, TextInput, Textarea, ThemeIcon, Title } from '@mantine/core';
import type { CreditNote, OpOutputSale } from './types';
import { computeCreditNote, tryCounter } from '@shared/counter';
import { newId } from '@shared/ids';
import { PAYMENT_METHODS, type PaymentMethod } from '@shared/schema/fields';
import { api, type ApiCallError } from '../../../api/client';
import { fieldError, toApiCallError } from '../../../api/errors';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { requestManagerOverride, type Override } from '../../../components/ManagerOverrideDialog';
import { ReceiptView } from '../documents/ReceiptView';
import { methodLabel, money, parseQuantity, quantityText } from '../format';
import { CheckIcon } from '../icons';
import { useShop } from '../shop';

interface RefundDialogProps {
  detail: OpOutputSale;
  onClose: () => void;
  onDone: (creditNoteId: string) => void;
}

export function RefundDialog({ detail, onClose, onDone }: RefundDialogProps) {
  const [note, setNote] = useState<CreditNote | null>(null);
  return (
    <Modal opened onClose={onClose} title={note ? `Credit note ${note.number}` : `Refund from ${detail.sale.invoiceNumber}`} size={note ? 'lg' : 'xl'} centered>
      {note ? (
        <RefundDone note={note} onClose={onClose} />
      ) : (
        <RefundForm
          detail={detail}
          onCancel={onClose}
          onRecorded={(n) => {
            setNote(n);
            onDone(n.id);
          }}
        />
      )}
    </Modal>
  );
}

function RefundForm({ detail, onCancel, onRecorded }: { detail: OpOutputSale; onCancel: () => void; onRecorded: (n: CreditNote) => void }) {
  const shop = useShop();
  const { sale, creditNotes, lines } = detail;
  const m = (minor: number): string => money(minor, sale.currency, shop.locale);
  const [creditNoteId] = useState(newId);
  const [everything, setEverything] = useState(false);
  const [quantities, setQuantities] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const [method, setMethod] = useState<PaymentMethod>(sale.payments[0]?.method ?? 'cash');
  const [reference, setReference] = useState('');
  const [restock, setRestock] = useState(true);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [busy, setBusy] = useState(false);

  const parsed = useMemo(() => {
    const out: { lineIndex: number; quantityMilli: number }[] = [];
    const problems: Record<number, string> = {};
    for (const [k, text] of Object.entries(quantities)) {
      if (!text.trim()) continue;
      const q = parseQuantity(text);
      if (!q.ok) problems[Number(k)] = q.message;
      else if (q.value !== 0) out.push({ lineIndex: Number(k), quantityMilli: q.value });
    }
    return { lines: out.sort((a, b) => a.lineIndex - b.lineIndex), problems };
  }, [quantities]);

  const request = everything ? ('all' as const) : parsed.lines;
  const preview = useMemo(
    () =>
      tryCounter(() =>
        computeCreditNote({
          sale: { currency: sale.currency, taxMode: sale.taxMode, lines: sale.lines, roundingMinor: sale.roundingMinor },
          previous: creditNotes,
          lines: request,
        }),
      ),
    [sale, creditNotes, request],
  );

  const submit = async (event: FormEvent | null, override?: Override): Promise<void> => {
    event?.preventDefault();
    if (Object.keys(parsed.problems).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const out = await api().call('counter.refund', {
        creditNoteId,
        saleId: sale.id,
        lines: request,
        reason,
        refundMethod: method,
        ...(reference.trim() ? { reference: reference.trim() } : {}),
        restock,
        ...(override ? { override } : {}),
      });
      onRecorded(out.creditNote);
    } catch (thrown) {
      const e = toApiCallError(thrown);
      setError(e);
      if (e.code === 'FORBIDDEN' && e.issues?.some((i) => i.path === 'override')) {
        setBusy(false);
        const approved = await requestManagerOverride(e.message);
        if (approved) return submit(null, approved);
      }
    } finally {
      setBusy(false);
    }
  };

  const lineError = (i: number): string | undefined => parsed.problems[i] ?? fieldError(error, `lines.${i}.quantityMilli`);
  const anyRemaining = lines.some((l) => l.remainingMilli > 0);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="md">
        <Group justify="space-between">
          <Checkbox label="Refund everything not yet refunded" checked={everything} onChange={(e) => setEverything(e.currentTarget.checked)} disabled={!anyRemaining} />
          <Text size="sm" c="dimmed">
            Sold {m(sale.totalMinor)}
            {detail.refundedMinor > 0 ? ` · already refunded ${m(detail.refundedMinor)}` : ''}
          </Text>
        </Group>
        <Table verticalSpacing={6} withTableBorder aria-label="Lines to refund">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Item</Table.Th>
              <Table.Th ta="right">Sold</Table.Th>
              <Table.Th ta="right">Left</Table.Th>
              <Table.Th w={200}>Refund</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sale.lines.map((l, i) => {
              const state = lines[i];
              const remaining = state?.remainingMilli ?? 0;
              return (
                <Table.Tr key={l.lineId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {l.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {m(l.totalMinor)} for {quantityText(l.quantityMilli)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{quantityText(l.quantityMilli)}</Table.Td>
                  <Table.Td ta="right">{quantityText(remaining)}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap" align="flex-start">
                      <TextInput
                        size="xs"
                        w={90}
                        placeholder="0"
                        aria-label={`Quantity of ${l.name} to refund`}
                        value={everything ? quantityText(remaining) : (quantities[i] ?? '')}
                        disabled={everything || remaining === 0}
                        onChange={(e) => {
                          const value = e.currentTarget.value;
                          setQuantities((q) => ({ ...q, [i]: value }));
                        }}
                        error={lineError(i)}
                        inputMode="decimal"
                      />
                      <Button size="compact-xs" variant="subtle" disabled={everything || remaining === 0} onClick={() => setQuantities((q) => ({ ...q, [i]: quantityText(remaining) }))}>
                        All {quantityText(remaining)}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>

        <Group align="flex-start" grow>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Money goes back by
            </Text>
            <SegmentedControl
              value={method}
              onChange={(v) => setMethod(v as PaymentMethod)}
              data={PAYMENT_METHODS.map((p) => ({ value: p, label: p === 'customer_credit' ? 'Credit' : methodLabel(p), disabled: p === 'customer_credit' && !sale.customerId }))}
              aria-label="Refund method"
            />
            {fieldError(error, 'refundMethod') && (
              <Text size="xs" c="red.8">
                {fieldError(error, 'refundMethod')}
              </Text>
            )}
          </Stack>
          {(method === 'card' || method === 'mobile_money') && <TextInput label="Reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)} maxLength={100} />}
        </Group>
        <Textarea label="Reason" placeholder="Damaged, wrong size, changed mind…" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(error, 'reason')} autosize minRows={2} required />
        <Checkbox label="Put the items back in stock" checked={restock} onChange={(e) => setRestock(e.currentTarget.checked)} />

        <Paper withBorder p="sm" radius="md" bg="gray.0">
          {preview.ok ? (
            <Group justify="space-between">
              <Text fw={600}>To refund ({methodLabel(method).toLowerCase()})</Text>
              <Text fw={800} size="xl" className="cb-num" data-testid="refund-total">
                {m(preview.value.totalMinor)}
              </Text>
            </Group>
          ) : (
            <Text size="sm" c={request === 'all' || request.length > 0 ? 'red.8' : 'dimmed'}>
              {request !== 'all' && request.length === 0 ? 'Enter the quantity to refund on one or more lines.' : preview.error.message}
            </Text>
          )}
        </Paper>
        <ApiErrorAlert error={error} title="Not refunded" />
        {error?.code === 'UNAVAILABLE' && (
          <Alert color="yellow" variant="light">
            The connection dropped. Press Refund again: it is sent with the same credit note id, so it is never recorded twice.
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={busy} disabled={!preview.ok}>
            Refund {preview.ok ? m(preview.value.totalMinor) : ''}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RefundDone({ note, onClose }: { note: CreditNote; onClose: () => void }) {
  const shop = useShop();
  return (
    <Stack gap="md">
      <Group gap="sm">
        <ThemeIcon size={40} radius="xl" color="green" variant="light">
          <CheckIcon size={24} />
        </ThemeIcon>
        <div>
          <Title order={3} className="cb-num" data-testid="credit-note">
            {note.number}
          </Title>
          <Text size="sm" c="dimmed">
            {note.kind === 'void' ? 'Void' : 'Refund'} of {note.saleInvoiceNumber}: {money(note.totalMinor, note.currency, shop.locale)} back by{' '}
            {note.refunds.map((r) => methodLabel(r.method).toLowerCase()).join(', ') || 'nothing'}
          </Text>
        </div>
      </Group>
      <ReceiptView doc={{ creditNoteId: note.id }} pdfLabel="Credit note PDF" />
      <Group justify="flex-end">
        <Button onClick={onClose} data-autofocus>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
