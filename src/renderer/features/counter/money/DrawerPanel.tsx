// This register's cash drawer for a day: the cash that should be in it and how it adds
// up, the opening float, cash put in or taken out with a reason (a manager signs off
// when the core asks), and the drawer's ledger with reversals.
import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Group, Modal, SegmentedControl, Skeleton, Stack, Switch, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { DrawerMovement } from '@shared/api/ops/counter-money';
import type { OpOutput } from '@shared/api/contract';
import { fieldError } from '../../../api/errors';
import { useCan } from '../../../api/session-store';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { parseAmount, shopTime } from '../format';
import { RefundIcon } from '../icons';
import { useShop } from '../shop';
import { Empty, Panel, Row, signed, useCommand, useMoney } from './common';

type DrawerState = OpOutput<'counter.drawerState'>;

function movementLabel(x: DrawerMovement): string {
  if (x.kind === 'opening_float') return 'Opening float';
  if (x.kind === 'sale_cash') return 'Cash sale';
  if (x.kind === 'refund_cash') return 'Cash refund';
  if (x.kind === 'cash_in') return x.creditEntryId ? 'Credit repayment' : 'Cash in';
  if (x.kind === 'cash_out') return x.expenseId ? 'Expense' : 'Cash out';
  return 'Reversal';
}

const reversible = (x: DrawerMovement): boolean =>
  (x.kind === 'opening_float' || x.kind === 'cash_in' || x.kind === 'cash_out') && !x.reversedBy && !x.expenseId && !x.creditEntryId && !x.saleId && !x.creditNoteId;

export function DrawerPanel({ state, loading, editable }: { state: DrawerState | undefined; loading: boolean; editable: boolean }) {
  const shop = useShop();
  const m = useMoney();
  const canDrawer = useCan('counter.drawer');
  const [cashDialog, setCashDialog] = useState<'in' | 'out' | null>(null);
  const [reversing, setReversing] = useState<DrawerMovement | null>(null);
  const [showSales, setShowSales] = useState(false);

  if (!state) return <Skeleton height={420} radius="md" visible={loading} />;
  const c = state.cash;
  const floatEntry = state.movements.find((x) => x.kind === 'opening_float' && !x.reversedBy);
  const shown = state.movements.filter((x) => showSales || (x.kind !== 'sale_cash' && x.kind !== 'refund_cash')).reverse();
  const hidden = state.movements.length - shown.length;
  const otherCashIn = c.cashInMinor - c.creditRepaymentsMinor;

  return (
    <Panel
      id="drawer"
      title="Cash drawer"
      description={state.closed ? 'This day is closed: the drawer is read-only.' : editable ? 'Everything that moved cash in or out of this register today.' : 'A past day: read-only.'}
      actions={
        editable &&
        canDrawer && (
          <>
            <Button size="xs" variant="default" onClick={() => setCashDialog('in')}>
              Cash in
            </Button>
            <Button size="xs" variant="default" onClick={() => setCashDialog('out')}>
              Cash out
            </Button>
          </>
        )
      }
    >
      <Stack gap="md">
        <div className="cb-m-expected">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" className="cb-m-caps">
            Expected in the drawer
          </Text>
          <Text className="cb-num cb-m-expected-amount" data-testid="expected-cash">
            {m(c.expectedCashMinor)}
          </Text>
        </div>

        {editable && canDrawer && !floatEntry && <FloatForm />}

        <Stack gap={2} aria-label="How the expected cash adds up">
          <Row label="Opening float" value={m(c.openingFloatMinor)} testId="drawer-float" />
          <Row label="Cash sales" value={signed(m, c.cashSalesMinor)} />
          {c.cashRefundsMinor !== 0 && <Row label="Cash refunds" value={signed(m, -c.cashRefundsMinor)} color="red.8" />}
          {c.creditRepaymentsMinor !== 0 && <Row label="Credit repayments in cash" value={signed(m, c.creditRepaymentsMinor)} />}
          {otherCashIn !== 0 && <Row label="Cash put in" value={signed(m, otherCashIn)} />}
          {c.cashOutMinor !== 0 && <Row label="Cash taken out" value={signed(m, -c.cashOutMinor)} color="red.8" />}
          {c.cashExpensesMinor !== 0 && <Row label="Expenses paid in cash" value={signed(m, -c.cashExpensesMinor)} color="red.8" />}
          {c.adjustmentsMinor !== 0 && <Row label="Corrections" value={signed(m, c.adjustmentsMinor)} />}
          <Row strong label="Expected cash" value={m(c.expectedCashMinor)} />
        </Stack>

        <div>
          <Group justify="space-between" mb={4}>
            <Text size="sm" fw={600}>
              Drawer entries
            </Text>
            <Switch size="xs" label="Show sales and refunds" checked={showSales} onChange={(e) => setShowSales(e.currentTarget.checked)} />
          </Group>
          <div className="cb-m-entries" role="list" aria-label="Drawer entries">
            {shown.length === 0 && <Empty>{hidden > 0 ? `Only sales and refunds so far (${hidden}).` : 'No cash has moved yet.'}</Empty>}
            {shown.map((x) => (
              <Group key={x.id} className={x.reversedBy ? 'cb-m-entry cb-m-reversed' : 'cb-m-entry'} gap="sm" wrap="nowrap" role="listitem">
                <Text size="xs" c="dimmed" className="cb-num" w={38}>
                  {shopTime(x.createdAt, shop.timezone, shop.locale)}
                </Text>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={500} className="cb-m-strike" truncate>
                      {movementLabel(x)}
                    </Text>
                    {x.reversedBy && (
                      <Badge size="xs" color="gray" variant="outline">
                        Reversed
                      </Badge>
                    )}
                  </Group>
                  {x.reason && x.reason !== 'Opening float' && (
                    <Text size="xs" c="dimmed" truncate title={x.reason}>
                      {x.reason.replace(/^(Expense|Credit repayment): /, '')}
                    </Text>
                  )}
                </div>
                <Text size="sm" fw={600} className="cb-num cb-m-strike" c={x.amountMinor < 0 ? 'red.8' : undefined} style={{ whiteSpace: 'nowrap' }}>
                  {signed(m, x.amountMinor)}
                </Text>
                {editable && canDrawer && (
                  <div style={{ width: 28 }}>
                    {reversible(x) && (
                      <Tooltip label="Reverse this entry" openDelay={300}>
                        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Reverse ${movementLabel(x).toLowerCase()} of ${signed(m, x.amountMinor)}`} onClick={() => setReversing(x)}>
                          <RefundIcon size={15} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </div>
                )}
              </Group>
            ))}
          </div>
        </div>
      </Stack>
      <CashDialog direction={cashDialog} expectedMinor={c.expectedCashMinor} onClose={() => setCashDialog(null)} />
      <ReverseMovementDialog movement={reversing} onClose={() => setReversing(null)} />
    </Panel>
  );
}

function FloatForm() {
  const shop = useShop();
  const m = useMoney();
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const float = useCommand('counter.drawerFloat');

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const parsed = parseAmount(amount, shop.currency);
    setProblem(parsed.ok ? null : parsed.message);
    if (!parsed.ok) return;
    const out = await float.run({ amountMinor: parsed.value });
    if (out) {
      notifications.show({ color: 'green', message: `Opening float of ${m(out.amountMinor)} recorded.`, autoClose: 3000 });
      setAmount('');
    }
  };

  return (
    <Alert color="blue" variant="light" title="Start the day with the opening float" p="sm">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Opening float">
        <Group align="flex-start" gap="xs" wrap="nowrap">
          <TextInput
            aria-label={`Opening float (${shop.currency})`}
            placeholder={`Cash in the drawer (${shop.currency})`}
            inputMode="decimal"
            value={amount}
            onChange={(e) => {
              setAmount(e.currentTarget.value);
              setProblem(null);
            }}
            error={problem ?? fieldError(float.error, 'amountMinor')}
            style={{ flex: 1 }}
          />
          <Button type="submit" loading={float.loading}>
            Record float
          </Button>
        </Group>
        <ApiErrorAlert error={float.error} title="Not recorded" />
      </form>
    </Alert>
  );
}

function CashDialog({ direction, expectedMinor, onClose }: { direction: 'in' | 'out' | null; expectedMinor: number; onClose: () => void }) {
  return (
    <Modal opened={!!direction} onClose={onClose} title="Cash in or out of the drawer" centered>
      {direction && <CashForm initial={direction} expectedMinor={expectedMinor} onClose={onClose} />}
    </Modal>
  );
}

function CashForm({ initial, expectedMinor, onClose }: { initial: 'in' | 'out'; expectedMinor: number; onClose: () => void }) {
  const shop = useShop();
  const m = useMoney();
  const [direction, setDirection] = useState(initial);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const cash = useCommand('counter.drawerCash');

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const parsed = parseAmount(amount, shop.currency);
    setProblem(parsed.ok ? null : parsed.message);
    if (!parsed.ok) return;
    const out = await cash.run({ direction, amountMinor: parsed.value, reason }, { needsApproval: true });
    if (out) {
      notifications.show({ color: 'green', message: `${direction === 'in' ? 'Put in' : 'Taken out'}: ${m(parsed.value)} (${reason.trim()}).`, autoClose: 3000 });
      onClose();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <SegmentedControl
          fullWidth
          aria-label="Direction"
          value={direction}
          onChange={(v) => setDirection(v === 'out' ? 'out' : 'in')}
          data={[
            { value: 'in', label: 'Put cash in' },
            { value: 'out', label: 'Take cash out' },
          ]}
        />
        <TextInput
          label={`Amount (${shop.currency})`}
          inputMode="decimal"
          size="md"
          value={amount}
          onChange={(e) => {
            setAmount(e.currentTarget.value);
            setProblem(null);
          }}
          error={problem ?? fieldError(cash.error, 'amountMinor')}
          description={direction === 'out' ? `${m(expectedMinor)} should be in the drawer.` : undefined}
          data-autofocus
        />
        <Textarea
          label="Reason"
          placeholder={direction === 'in' ? 'Change from the bank' : 'Cash to the safe'}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={fieldError(cash.error, 'reason')}
          autosize
          minRows={2}
        />
        <Text size="xs" c="dimmed">
          Opening the drawer without a sale needs a manager’s approval; a manager signed in approves by doing it.
        </Text>
        <ApiErrorAlert error={cash.error} title="Not recorded" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={cash.loading}>
            {direction === 'in' ? 'Record cash in' : 'Record cash out'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReverseMovementDialog({ movement, onClose }: { movement: DrawerMovement | null; onClose: () => void }) {
  return (
    <Modal opened={!!movement} onClose={onClose} title="Reverse a drawer entry" centered>
      {movement && <ReverseMovementForm movement={movement} onClose={onClose} />}
    </Modal>
  );
}

function ReverseMovementForm({ movement, onClose }: { movement: DrawerMovement; onClose: () => void }) {
  const m = useMoney();
  const [reason, setReason] = useState('');
  const reverse = useCommand('counter.drawerReverse');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const out = await reverse.run({ movementId: movement.id, reason }, { needsApproval: true });
    if (out) onClose();
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Row label={movementLabel(movement)} value={signed(m, movement.amountMinor)} strong />
        <Text size="xs" c="dimmed">
          A reversal entry cancels it; the original stays in the ledger.{movement.kind === 'opening_float' ? ' Then record the right float.' : ''}
        </Text>
        <Textarea label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(reverse.error, 'reason')} autosize minRows={2} data-autofocus />
        <ApiErrorAlert error={reverse.error} title="Not reversed" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={reverse.loading} disabled={reason.trim().length < 3}>
            Reverse entry
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
