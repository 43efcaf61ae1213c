// Closing this register's day: the Z report preview, a bill-and-coin counter (one row per
// denomination, a running total, the difference to the expected cash), a note, and
// "Close the day" after a confirmation that says the day is then locked. Afterwards: the
// close as recorded and the Z report PDF.
import { useState, type KeyboardEvent } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, TextInput, Textarea, ThemeIcon } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { create } from 'zustand';
import type { OpOutput } from '@shared/api/contract';
import type { DayClose } from '@shared/api/ops/counter-money';
import { api } from '../../../api/client';
import { toApiCallError } from '../../../api/errors';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { AlertIcon } from '../../../components/icons';
import { notifyApiError } from '../../../components/notify';
import { CheckIcon, PdfIcon } from '../icons';
import { useShop } from '../shop';
import { dateTimeLabel, dayLabel, Panel, Row, useCommand, useMoney } from './common';
import { downloadBase64 } from './download';
import { ZReportView } from './ZReportView';

type Draft = OpOutput<'counter.dayCloseDraft'>;

/** What has been counted so far, per day, kept while the cashier looks at other tabs. */
const useCounts = create<{ byDay: Record<string, Record<number, string>>; set: (day: string, value: number, text: string) => void; clear: (day: string) => void }>((set) => ({
  byDay: {},
  set: (day, value, text) => set((s) => ({ byDay: { ...s.byDay, [day]: { ...s.byDay[day], [value]: text } } })),
  clear: (day) =>
    set((s) => {
      const next = { ...s.byDay };
      delete next[day];
      return { byDay: next };
    }),
}));

const EMPTY: Record<number, string> = {};

function parseCount(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (t === '') return 0;
  return /^\d{1,6}$/.test(t) ? Number(t) : null;
}

/** The day's Z report (a preview until the day is closed) with what to check first. */
export function ZReportPanel({ draft }: { draft: Draft }) {
  const shop = useShop();
  return (
    <Panel
      id="z-report"
      title={draft.close ? 'Z report' : 'Z report (preview)'}
      description={`${draft.registerName} · ${dayLabel(draft.day, shop.locale)}`}
      actions={
        draft.close ? (
          <Badge color="gray" variant="filled" radius="sm">
            Closed
          </Badge>
        ) : (
          <Badge color="green" variant="light" radius="sm">
            Open
          </Badge>
        )
      }
    >
      <Stack gap="md">
        {draft.warnings.length > 0 && !draft.close && (
          <Alert color="yellow" variant="light" icon={<AlertIcon />} title="Check before closing">
            <Stack gap={4}>
              {draft.warnings.map((w) => (
                <Text key={w} size="sm">
                  {w}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        <ZReportView report={draft.report} />
      </Stack>
    </Panel>
  );
}

/** Counting the drawer and closing the day; once closed, the close as recorded and its PDF. */
export function CloseDayPanel({ draft, isToday }: { draft: Draft; isToday: boolean }) {
  const shop = useShop();
  if (draft.close) {
    return (
      <Panel id="day-close" title="Day closed" description={`${draft.registerName} · ${dayLabel(draft.day, shop.locale)}`}>
        <ClosedSummary close={draft.close} />
      </Panel>
    );
  }
  return (
    <Panel id="day-close" title={isToday ? 'Count and close the day' : `Count and close ${dayLabel(draft.day, shop.locale)}`} description="Count the bills and coins in the drawer, then close: the day is locked.">
      <CashCount draft={draft} />
    </Panel>
  );
}

function CashCount({ draft }: { draft: Draft }) {
  const shop = useShop();
  const m = useMoney();
  const counts = useCounts((s) => s.byDay[draft.day] ?? EMPTY);
  const setCount = useCounts((s) => s.set);
  const clearCounts = useCounts((s) => s.clear);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const close = useCommand('counter.closeDay');

  const rows = draft.denominations.map((d) => {
    const count = parseCount(counts[d.valueMinor]);
    return { ...d, text: counts[d.valueMinor] ?? '', count, subtotal: (count ?? 0) * d.valueMinor };
  });
  const invalid = rows.some((r) => r.count === null);
  const counted = rows.reduce((s, r) => s + r.subtotal, 0);
  const touched = rows.some((r) => r.text.trim() !== '');
  const expected = draft.report.cash.expectedCashMinor;
  const difference = counted - expected;
  const state = !touched ? 'none' : difference === 0 ? 'balanced' : difference < 0 ? 'short' : 'over';

  const doClose = async (): Promise<void> => {
    const out = await close.run({
      day: draft.day,
      counts: rows.filter((r) => (r.count ?? 0) > 0).map((r) => ({ valueMinor: r.valueMinor, count: r.count ?? 0 })),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    setConfirming(false);
    if (out) {
      clearCounts(draft.day);
      notifications.show({ color: 'green', title: 'Day closed', message: `${dayLabel(out.day, shop.locale)} is closed on ${out.registerName}.`, autoClose: 5000 });
    }
  };

  const label = (valueMinor: number, kind: string): string => `${m(valueMinor)} ${kind}s`;

  return (
    <div>
      <div className="cb-m-count" role="group" aria-label="Bills and coins">
        <span className="cb-m-count-head">Bill / coin</span>
        <span className="cb-m-count-head" style={{ textAlign: 'right' }}>
          Count
        </span>
        <span className="cb-m-count-head" style={{ textAlign: 'right' }}>
          Subtotal
        </span>
        {rows.map((r) => (
          <CountRow
            key={r.valueMinor}
            value={m(r.valueMinor)}
            kind={r.kind}
            text={r.text}
            invalid={r.count === null}
            subtotal={r.count === null ? '—' : m(r.subtotal)}
            ariaLabel={`Count of ${label(r.valueMinor, r.kind)}`}
            onChange={(t) => setCount(draft.day, r.valueMinor, t)}
          />
        ))}
      </div>

      <Stack gap={4} mt="md">
        <Row label="Counted" value={m(counted)} strong testId="counted-cash" />
        <Row label="Expected" value={m(expected)} />
      </Stack>
      <div className="cb-m-difference" data-state={state} role="status" aria-live="polite" data-testid="cash-difference" style={{ marginTop: 8 }}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={700}>
            {state === 'none' ? 'Not counted yet' : state === 'balanced' ? 'Balanced' : state === 'short' ? 'Short' : 'Over'}
          </Text>
          <Text className="cb-m-difference-amount">{state === 'none' ? '—' : state === 'balanced' ? m(0) : `${difference < 0 ? '−' : '+'}${m(Math.abs(difference))}`}</Text>
        </Group>
      </div>

      <Textarea
        mt="sm"
        label="Note"
        placeholder={state === 'short' || state === 'over' ? 'Why the count differs, if known' : 'Optional'}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={1}
        maxLength={1000}
      />
      <ApiErrorAlert error={close.error} title="The day was not closed" />
      <Button mt="md" size="md" fullWidth color="dark" onClick={() => setConfirming(true)} disabled={invalid}>
        Close the day…
      </Button>

      <Modal opened={confirming} onClose={() => setConfirming(false)} title={`Close ${dayLabel(draft.day, shop.locale)}?`} centered>
        <Stack gap="sm">
          <Paper withBorder p="sm" radius="md">
            <Row label="Expected cash" value={m(expected)} />
            <Row label="Counted cash" value={m(counted)} />
            <Row strong label="Difference" value={difference === 0 ? m(0) : `${difference < 0 ? '−' : '+'}${m(Math.abs(difference))}`} color={difference < 0 ? 'red.8' : difference > 0 ? 'orange.8' : 'green.8'} />
          </Paper>
          {!touched && (
            <Alert color="yellow" variant="light">
              <Text size="sm">Nothing has been counted: the day closes with {m(0)} counted.</Text>
            </Alert>
          )}
          <Text size="sm">
            Closing writes the Z report and <strong>locks the day</strong> on {draft.registerName}: its sales, refunds, expenses and drawer entries can no longer be
            changed. Corrections go into the next open day (a manager can approve an exception).
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Keep counting
            </Button>
            <Button color="dark" onClick={() => void doClose()} loading={close.loading} data-autofocus>
              Close and lock the day
            </Button>
          </Group>
        </Stack>
      </Modal>
    </div>
  );
}

/** Enter in a count moves to the next bill or coin. */
function focusNextOnEnter(e: KeyboardEvent<HTMLInputElement>): void {
  if (e.key !== 'Enter') return;
  e.preventDefault();
  const all = [...(e.currentTarget.closest('[role="group"]')?.querySelectorAll('input') ?? [])];
  all[all.indexOf(e.currentTarget) + 1]?.focus();
}

function CountRow(props: {
  value: string;
  kind: 'note' | 'coin';
  text: string;
  invalid: boolean;
  subtotal: string;
  ariaLabel: string;
  onChange: (text: string) => void;
}) {
  return (
    <>
      <Text size="sm" fw={600} className="cb-num">
        {props.value} <span className="cb-m-count-kind">{props.kind === 'note' ? 'bill' : 'coin'}</span>
      </Text>
      <TextInput
        size="xs"
        inputMode="numeric"
        placeholder="0"
        aria-label={props.ariaLabel}
        value={props.text}
        error={props.invalid}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        onFocus={(e) => e.currentTarget.select()}
        onKeyDown={focusNextOnEnter}
        styles={{ input: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}
      />
      <Text size="sm" className="cb-m-count-sub" c={props.text.trim() ? undefined : 'dimmed'}>
        {props.subtotal}
      </Text>
    </>
  );
}

function ClosedSummary({ close }: { close: DayClose }) {
  const shop = useShop();
  const m = useMoney();
  const [busy, setBusy] = useState(false);
  const d = close.differenceMinor;

  const pdf = async (): Promise<void> => {
    setBusy(true);
    try {
      const out = await api().call('counter.zReportPdf', { dayCloseId: close.id });
      downloadBase64(out.fileName, out.base64, 'application/pdf');
    } catch (e) {
      notifyApiError(toApiCallError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="day-closed">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon size={36} radius="xl" color="green" variant="light">
            <CheckIcon size={20} />
          </ThemeIcon>
          <div>
            <Text fw={700}>Closed and locked</Text>
            <Text size="xs" c="dimmed">
              by {close.closedByName || 'someone'} · {dateTimeLabel(close.closedAt, shop.timezone, shop.locale)}
            </Text>
          </div>
        </Group>
        <Button variant="default" size="xs" leftSection={<PdfIcon size={16} />} onClick={() => void pdf()} loading={busy}>
          Z report PDF
        </Button>
      </Group>
      <Stack gap={2} mt="sm">
        <Row label="Expected cash" value={m(close.expectedCashMinor)} />
        <Row label="Counted cash" value={m(close.countedCashMinor)} testId="closed-counted" />
        <Row strong label={d === 0 ? 'Balanced' : d < 0 ? 'Short' : 'Over'} value={d === 0 ? m(0) : `${d < 0 ? '−' : '+'}${m(Math.abs(d))}`} color={d < 0 ? 'red.8' : d > 0 ? 'orange.8' : 'green.8'} testId="closed-difference" />
        {close.note && (
          <Text size="sm" mt={4}>
            “{close.note}”
          </Text>
        )}
      </Stack>
    </div>
  );
}
