// Pieces shared by the money tabs (Expenses, Credit, Drawer & close, Insights): money in
// the shop's currency, the shop's "today", commands that ask a manager when the core
// says so, and small layout parts (a titled card, a figure, a labelled row).
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Group, Paper, Stack, Text, Title, type MantineColor } from '@mantine/core';
import type { OpInput, OpName, OpOutput } from '@shared/api/contract';
import { api, type ApiCallError } from '../../../api/client';
import { isFormError, toApiCallError } from '../../../api/errors';
import { requestManagerOverride } from '../../../components/ManagerOverrideDialog';
import { notifyApiError } from '../../../components/notify';
import { AlertIcon } from '../../../components/icons';
import { money, shopDay } from '../format';
import { useShop } from '../shop';
import './money.css';

/** Formats minor units in the shop's currency and locale. */
export function useMoney(): (minor: number) => string {
  const shop = useShop();
  // A typographic minus in front of the currency ("−KES 18.00"), the same as signed().
  return useCallback((minor: number) => (minor < 0 ? `−${money(-minor, shop.currency, shop.locale)}` : money(minor, shop.currency, shop.locale)), [shop.currency, shop.locale]);
}

/** "+KES 20.00" / "−KES 20.00" for ledger amounts. */
export function signed(text: (minor: number) => string, minor: number): string {
  if (minor > 0) return `+${text(minor)}`;
  if (minor < 0) return `−${text(-minor)}`;
  return text(0);
}

/** The shop's day ('YYYY-MM-DD'), kept current across midnight. */
export function useShopToday(): string {
  const shop = useShop();
  const [today, setToday] = useState(() => shopDay(Date.now(), shop.timezone));
  useEffect(() => {
    const timer = window.setInterval(() => setToday(shopDay(Date.now(), shop.timezone)), 30_000);
    return () => window.clearInterval(timer);
  }, [shop.timezone]);
  return today;
}

/** "Mon 3 Mar 2026" for a 'YYYY-MM-DD' day (no time-zone shift: the day is already the shop's). */
export function dayLabel(day: string, locale?: string, withYear = true): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  try {
    return new Intl.DateTimeFormat(locale || undefined, { weekday: 'short', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(
      Date.UTC(y, m - 1, d),
    );
  } catch {
    return day;
  }
}

/** "3 Mar, 14:05" in the shop's time zone. */
export function dateTimeLabel(epochMs: number, timeZone: string | undefined, locale?: string): string {
  try {
    return new Intl.DateTimeFormat(locale || undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(epochMs);
  } catch {
    return new Date(epochMs).toLocaleString();
  }
}

export interface CommandOptions {
  /** The command takes a manager's sign-off (`override`): asked for when the core answers FORBIDDEN for that path. */
  needsApproval?: boolean;
  /** Ask for the sign-off before the first try (after a LOCKED answer, for a correction of a closed day). */
  askFirst?: string;
}

export interface Command<K extends OpName> {
  /** Resolves to the output, or undefined when it failed or the manager dialog was cancelled. */
  run: (input: OpInput<K>, options?: CommandOptions) => Promise<OpOutput<K> | undefined>;
  /** The last form error (VALIDATION, LOCKED, CONFLICT, FORBIDDEN…) to show inline. */
  error: ApiCallError | null;
  loading: boolean;
  reset: () => void;
}

/**
 * Like useApiCall, plus the manager's sign-off: when the core answers FORBIDDEN with an
 * issue at `override` ("a manager must approve"), the manager dialog opens and the
 * command is sent again with `{ managerId, pin, reason }`.
 */
export function useCommand<K extends OpName>(op: K): Command<K> {
  const [state, setState] = useState<{ error: ApiCallError | null; loading: boolean }>({ error: null, loading: false });

  const run = useCallback(
    async (input: OpInput<K>, options: CommandOptions = {}): Promise<OpOutput<K> | undefined> => {
      const key = options.needsApproval ? 'override' : undefined;
      setState({ error: null, loading: true });
      let payload = input;
      if (key && options.askFirst) {
        const approved = await requestManagerOverride(options.askFirst);
        if (!approved) {
          setState({ error: null, loading: false });
          return undefined;
        }
        payload = { ...payload, [key]: approved } as OpInput<K>;
      }
      for (let attempt = 0; ; attempt++) {
        try {
          const out = await api().call(op, payload);
          setState({ error: null, loading: false });
          return out;
        } catch (thrown) {
          const error = toApiCallError(thrown);
          const managerNeeded = !!key && attempt === 0 && error.code === 'FORBIDDEN' && !!error.issues?.some((i) => i.path === key || i.path.startsWith(`${key}.`));
          if (managerNeeded) {
            const approved = await requestManagerOverride(error.message);
            if (approved) {
              payload = { ...payload, [key]: approved } as OpInput<K>;
              continue;
            }
          }
          if (isFormError(error)) setState({ error, loading: false });
          else {
            notifyApiError(error);
            setState({ error: null, loading: false });
          }
          return undefined;
        }
      }
    },
    [op],
  );
  const reset = useCallback(() => setState({ error: null, loading: false }), []);
  return { ...state, run, reset };
}

/** A closed day refused the change: the core's message, and (when allowed) a way to ask a manager. */
export function LockedAlert({ error, onOverride, busy }: { error: ApiCallError | null; onOverride?: () => void; busy?: boolean }) {
  if (error?.code !== 'LOCKED') return null;
  return (
    <Alert color="orange" variant="light" icon={<AlertIcon />} title="That day is closed" role="alert" data-testid="locked-message">
      <Text size="sm">{error.message}</Text>
      {onOverride && (
        <Button size="xs" mt="sm" variant="white" color="orange.9" onClick={onOverride} loading={busy}>
          Correct it with a manager’s approval
        </Button>
      )}
    </Alert>
  );
}

/** A bordered card with a title, an optional line under it and actions on the right. */
export function Panel({
  title,
  description,
  actions,
  children,
  id,
  className,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  id?: string;
  className?: string;
}) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <Paper withBorder radius="md" p="md" className={className ? `cb-m-panel ${className}` : 'cb-m-panel'} component="section" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start" mb="sm" gap="xs" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={2} size="h5" id={headingId}>
            {title}
          </Title>
          {description && (
            <Text size="xs" c="dimmed" mt={2}>
              {description}
            </Text>
          )}
        </div>
        {actions && (
          <Group gap={6} wrap="nowrap">
            {actions}
          </Group>
        )}
      </Group>
      {children}
    </Paper>
  );
}

/** A headline figure: small caps label, big number, an optional note. */
export function Figure({ label, value, note, color, testId }: { label: string; value: ReactNode; note?: ReactNode; color?: MantineColor; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="sm" className="cb-m-figure">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" className="cb-m-caps">
        {label}
      </Text>
      <Text fw={750} size="xl" className="cb-num" c={color} data-testid={testId} mt={2}>
        {value}
      </Text>
      {note && (
        <Text size="xs" c="dimmed" mt={2}>
          {note}
        </Text>
      )}
    </Paper>
  );
}

/** "label ........ value" on one line. */
export function Row({ label, value, dim, strong, color, testId }: { label: ReactNode; value: ReactNode; dim?: boolean; strong?: boolean; color?: MantineColor; testId?: string }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" className="cb-m-row">
      <Text size="sm" c={dim ? 'dimmed' : undefined} fw={strong ? 700 : undefined}>
        {label}
      </Text>
      <Text size="sm" className="cb-num" c={color ?? (dim ? 'dimmed' : undefined)} fw={strong ? 750 : 500} data-testid={testId}>
        {value}
      </Text>
    </Group>
  );
}

/** A coloured dot for a category. */
export function Swatch({ color, size = 10 }: { color: string; size?: number }) {
  return <span className="cb-m-swatch" style={{ background: color || 'var(--mantine-color-gray-4)', width: size, height: size }} aria-hidden />;
}

/** An empty list, said plainly. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <Stack align="center" gap={4} py="lg">
      <Text size="sm" c="dimmed" ta="center">
        {children}
      </Text>
    </Stack>
  );
}
