// The right-hand side of the Sell tab: customer, live totals (tax per rate), split
// payments with quick amounts, change due, and Finalise.
import { useEffect, useRef } from 'react';
import { ActionIcon, Alert, Button, CloseButton, Divider, Group, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { PAYMENT_METHODS, type PaymentMethod } from '@shared/schema/fields';
import { AlertIcon } from '../../../components/icons';
import { amountInput, cashRoundUps, methodLabel, money, percentText } from '../format';
import { CardIcon, CashIcon, CreditIcon, PhoneIcon, TagIcon, TrashIcon, UserIcon, WifiOffIcon } from '../icons';
import { useShop } from '../shop';
import { Shortcut } from '../Shortcut';
import { useCart } from './cart-store';
import { problemAt, retryPending, useSellProblem } from './finalise';
import type { LiveSale } from './live';

export const METHOD_KEYS: Record<PaymentMethod, { code: string; label: string }> = {
  cash: { code: 'KeyC', label: 'Alt+C' },
  card: { code: 'KeyK', label: 'Alt+K' },
  mobile_money: { code: 'KeyM', label: 'Alt+M' },
  customer_credit: { code: 'KeyR', label: 'Alt+R' },
};

const SHORT_LABELS: Record<PaymentMethod, string> = { cash: 'Cash', card: 'Card', mobile_money: 'Mobile', customer_credit: 'Credit' };

const METHOD_ICONS: Record<PaymentMethod, (p: { size?: number }) => React.JSX.Element> = {
  cash: CashIcon,
  card: CardIcon,
  mobile_money: PhoneIcon,
  customer_credit: CreditIcon,
};

interface PayPanelProps {
  live: LiveSale;
  locked: boolean;
  /** The payment row whose amount field should take the focus (after Alt+C…). */
  focusPayment: string | null;
  onFocused: () => void;
  onAddPayment: (method: PaymentMethod) => void;
  onCustomer: () => void;
  onDiscount: () => void;
  onFinalise: () => void;
}

export function PayPanel({ live, locked, focusPayment, onFocused, onAddPayment, onCustomer, onDiscount, onFinalise }: PayPanelProps) {
  const shop = useShop();
  const customer = useCart((s) => s.customer);
  const saleDiscount = useCart((s) => s.saleDiscount);
  const payments = useCart((s) => s.payments);
  const items = useCart((s) => s.items);
  // Not the pending request itself: a change of it must not re-render this panel (see useLockShown).
  const interrupted = useCart((s) => !!s.pending?.interrupted);
  const problem = useSellProblem((s) => s.problem);
  const retrying = useSellProblem((s) => s.retrying);
  const { updatePayment, removePayment, setCustomer } = useCart.getState();
  const { totals, summary } = live;
  const m = (minor: number): string => money(minor, shop.currency, shop.locale);
  const customerProblem = problemAt(problem, 'customerId');
  const discountProblem = problemAt(problem, 'saleDiscount') ?? (live.totalsIssue?.field === 'saleDiscount' ? live.totalsIssue.message : undefined);

  return (
    <Stack gap="sm" className="cb-pay">
      {/* Customer */}
      <Paper withBorder radius="md" px="sm" py={8} className="cb-panel">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <UnstyledButton onClick={onCustomer} disabled={locked} className="cb-customer" aria-label={customer ? `Customer: ${customer.name}. Change` : 'Choose a customer'}>
            <Group gap="sm" wrap="nowrap">
              <UserIcon size={20} />
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} truncate data-testid="cart-customer">
                  {customer ? customer.name : 'Walk-in customer'}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {customer ? customer.phone || 'Customer chosen' : 'Choose a customer for credit or an invoice'}
                </Text>
              </div>
            </Group>
          </UnstyledButton>
          <Group gap={4} wrap="nowrap">
            {customer && <CloseButton aria-label="Remove the customer" onClick={() => setCustomer(null)} disabled={locked} />}
            <Shortcut keys="F3" />
          </Group>
        </Group>
        {customerProblem && (
          <Text size="xs" c="red.8" mt={6} role="alert">
            {problem?.error.message}
          </Text>
        )}
      </Paper>

      {/* Totals */}
      <Paper withBorder radius="md" p="sm" className="cb-panel" aria-label="Totals" role="region">
        <Stack gap={4}>
          <Row label="Subtotal" value={totals ? m(totals.subtotalMinor) : '—'} />
          <Group justify="space-between" gap="xs">
            <UnstyledButton onClick={onDiscount} disabled={locked || items.length === 0} className="cb-link-button">
              <Group gap={6}>
                <TagIcon size={15} />
                <Text size="sm">{saleDiscount ? `Sale discount ${saleDiscount.kind === 'percent' ? percentText(saleDiscount.bp) : ''}` : 'Add sale discount'}</Text>
                <Shortcut keys="F4" />
              </Group>
            </UnstyledButton>
            <Text size="sm" className="cb-num" c={totals && totals.discountMinor > 0 ? 'grape.8' : 'dimmed'}>
              {totals && totals.discountMinor > 0 ? `−${m(totals.discountMinor)}` : m(0)}
            </Text>
          </Group>
          {discountProblem && (
            <Text size="xs" c="red.8" role="alert">
              {discountProblem}
            </Text>
          )}
          {totals?.taxBreakdown.map((t) => (
            <Row key={t.rateBp} dim label={`${shop.taxMode === 'inclusive' ? 'Incl. tax' : 'Tax'} ${percentText(t.rateBp)} on ${m(t.taxableMinor)}`} value={m(t.taxMinor)} />
          ))}
          {totals && totals.roundingMinor !== 0 && <Row dim label="Cash rounding" value={m(totals.roundingMinor)} />}
          <Divider my={4} />
          <Group justify="space-between" align="center" wrap="nowrap">
            <div>
              <Text fw={700} size="lg" lh={1.2}>
                Total
              </Text>
              <Text size="xs" c="dimmed">
                {shop.taxMode === 'inclusive' ? 'Prices include tax' : 'Tax added to prices'}
              </Text>
            </div>
            <Text fw={800} className="cb-num cb-total" data-testid="sale-total">
              {totals ? m(totals.totalMinor) : '—'}
            </Text>
          </Group>
        </Stack>
      </Paper>

      {/* Payments */}
      <Paper withBorder radius="md" p="sm" className="cb-panel cb-pay-payments" role="region" aria-label="Payment">
        <div className="cb-method-grid">
          {PAYMENT_METHODS.map((method) => {
            const Icon = METHOD_ICONS[method];
            return (
              <UnstyledButton
                key={method}
                className="cb-method"
                disabled={locked || items.length === 0}
                onClick={() => onAddPayment(method)}
                aria-keyshortcuts={METHOD_KEYS[method].label}
                aria-label={`Pay by ${methodLabel(method).toLowerCase()}`}
              >
                <Icon size={22} />
                <span className="cb-method-label">{SHORT_LABELS[method]}</span>
                <Shortcut keys={METHOD_KEYS[method].label} />
              </UnstyledButton>
            );
          })}
        </div>
        {payments.length === 0 && items.length > 0 && (
          <Text size="xs" c="dimmed" mt="sm" ta="center">
            Choose how the customer pays; the amount still due is filled in. Add more methods to split the payment.
          </Text>
        )}
        {payments.length > 0 && (
          <Stack gap="xs" mt="sm" className="cb-payment-rows">
            {payments.map((p, index) => (
              <PaymentRowView
                key={p.key}
                index={index}
                rowKey={p.key}
                method={p.method}
                amountText={p.amountText}
                reference={p.reference}
                dueMinor={summary ? summary.dueMinor + (live.applied.get(p.key) ?? 0) : 0}
                issue={live.paymentIssues.get(p.key) ?? (problemAt(problem, `payments.${index}`, true) ? problem?.error.message : undefined)}
                locked={locked}
                autoFocus={focusPayment === p.key}
                onFocused={onFocused}
                onChange={(patch) => updatePayment(p.key, patch)}
                onRemove={() => removePayment(p.key)}
              />
            ))}
          </Stack>
        )}
        {live.paymentsIssue && (
          <Text size="xs" c="red.8" mt={6}>
            {live.paymentsIssue}
          </Text>
        )}
      </Paper>

      {summary && summary.paidMinor > 0 && (
        <div className={summary.dueMinor > 0 ? 'cb-balance cb-balance-due' : 'cb-balance cb-balance-change'} role="status">
          <Group justify="space-between" gap="xs">
            <Text size="sm">Paid</Text>
            <Text size="sm" className="cb-num">
              {m(summary.paidMinor)}
            </Text>
          </Group>
          {summary.dueMinor > 0 ? (
            <Group justify="space-between" gap="xs">
              <Text fw={700}>Still due</Text>
              <Text fw={800} className="cb-num cb-balance-amount" data-testid="still-due">
                {m(summary.dueMinor)}
              </Text>
            </Group>
          ) : (
            <Group justify="space-between" gap="xs">
              <Text fw={700}>Change due</Text>
              <Text fw={800} className="cb-num cb-balance-amount" data-testid="change-due">
                {m(summary.changeDueMinor)}
              </Text>
            </Group>
          )}
        </div>
      )}

      {interrupted && (
        <Alert color="yellow" variant="light" icon={<WifiOffIcon />} title="Waiting for the connection" role="status">
          <Text size="sm">
            The connection dropped while this sale was being finalised. The cart is kept and locked; it is sent again with the same sale number as soon as the core answers, so it can
            never be charged twice.
          </Text>
          <Button size="xs" mt="xs" variant="white" color="yellow.9" onClick={() => void retryPending()} loading={retrying}>
            Try again now
          </Button>
        </Alert>
      )}
      {problem && !interrupted && (
        <Alert color={problem.error.code === 'LOCKED' ? 'orange' : 'red'} variant="light" icon={<AlertIcon />} title={problemTitle(problem.error.code)} role="alert" data-testid="sell-problem">
          <Text size="sm">{problem.error.message}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            Nothing was saved; the cart is kept as it is.
          </Text>
        </Alert>
      )}

      <Button
        size="xl"
        className="cb-finalise"
        onClick={onFinalise}
        disabled={items.length === 0}
        loading={locked && !interrupted}
        aria-keyshortcuts="Control+Enter F12"
        rightSection={<Shortcut keys="Ctrl+Enter" inverse />}
        fullWidth
      >
        Finalise sale
      </Button>
    </Stack>
  );
}

function problemTitle(code: string): string {
  if (code === 'LOCKED') return 'The day is closed';
  if (code === 'FORBIDDEN') return 'Needs a manager';
  return 'Not finalised';
}

function Row({ label, value, dim }: { label: string; value: string; dim?: boolean }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size="sm" c={dim ? 'dimmed' : undefined}>
        {label}
      </Text>
      <Text size="sm" className="cb-num" c={dim ? 'dimmed' : undefined}>
        {value}
      </Text>
    </Group>
  );
}

interface PaymentRowViewProps {
  index: number;
  rowKey: string;
  method: PaymentMethod;
  amountText: string;
  reference: string;
  /** What this row would pay exactly (due before it). */
  dueMinor: number;
  issue: string | undefined;
  locked: boolean;
  autoFocus: boolean;
  onFocused: () => void;
  onChange: (patch: { amountText?: string; reference?: string }) => void;
  onRemove: () => void;
}

function PaymentRowView({ index, method, amountText, reference, dueMinor, issue, locked, autoFocus, onFocused, onChange, onRemove }: PaymentRowViewProps) {
  const shop = useShop();
  const amount = useRef<HTMLInputElement>(null);
  const Icon = METHOD_ICONS[method];
  useEffect(() => {
    if (!autoFocus) return;
    amount.current?.focus();
    amount.current?.select();
    onFocused();
  }, [autoFocus, onFocused]);

  const quick = method === 'cash' ? cashRoundUps(dueMinor, shop.currency) : [];
  return (
    <div className="cb-payment-row" data-testid={`payment-${index}`}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Group gap={6} wrap="nowrap" className="cb-payment-method">
          <Icon size={18} />
          <Text size="sm" fw={600}>
            {method === 'customer_credit' ? 'Credit' : methodLabel(method)}
          </Text>
        </Group>
        <TextInput
          ref={amount}
          style={{ flex: 1 }}
          size="sm"
          value={amountText}
          onChange={(e) => onChange({ amountText: e.currentTarget.value })}
          onFocus={(e) => e.currentTarget.select()}
          aria-label={`${methodLabel(method)} amount${method === 'cash' ? ' tendered' : ''}`}
          placeholder={method === 'cash' ? 'Tendered' : 'Amount'}
          inputMode="decimal"
          disabled={locked}
          error={!!issue}
          styles={{ input: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', fontWeight: 600 } }}
        />
        <ActionIcon variant="subtle" color="gray" size="lg" mt={1} aria-label={`Remove payment ${index + 1}`} onClick={onRemove} disabled={locked}>
          <TrashIcon size={16} />
        </ActionIcon>
      </Group>
      {(method === 'card' || method === 'mobile_money') && (
        <TextInput
          size="xs"
          mt={4}
          ml={4}
          placeholder={method === 'card' ? 'Card slip / approval code (optional)' : 'Transaction code (optional)'}
          aria-label={`${methodLabel(method)} reference`}
          value={reference}
          onChange={(e) => onChange({ reference: e.currentTarget.value })}
          disabled={locked}
          maxLength={100}
        />
      )}
      {method === 'cash' && dueMinor > 0 && (
        <Group gap={6} mt={6}>
          <Button size="compact-sm" variant="light" onClick={() => onChange({ amountText: amountInput(dueMinor, shop.currency) })} disabled={locked}>
            Exact
          </Button>
          {quick.map((q) => (
            <Button key={q} size="compact-sm" variant="default" onClick={() => onChange({ amountText: amountInput(q, shop.currency) })} disabled={locked} className="cb-num" aria-label={`${money(q, shop.currency, shop.locale)} tendered`}>
              {amountInput(q, shop.currency)}
            </Button>
          ))}
        </Group>
      )}
      {issue && (
        <Text size="xs" c="red.8" mt={4} role="alert">
          {issue}
        </Text>
      )}
    </div>
  );
}
