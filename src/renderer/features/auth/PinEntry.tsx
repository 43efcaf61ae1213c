import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Avatar, Button, Group, Paper, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { api, type ApiCallError } from '../../api/client';
import { isFormError, toApiCallError } from '../../api/errors';
import { signedIn, type PersonRef } from '../../api/session-store';
import { notifyApiError } from '../../components/notify';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { AlertIcon } from '../../components/icons';
import { BackspaceIcon, ChevronLeftIcon } from '../people/icons';
import { initials, ROLE_COLORS, ROLE_LABELS } from '../people/roles';

/** "…wait 30 seconds." / "…Try again in 2 minutes." -> milliseconds, or null. */
export function lockoutMs(message: string): number | null {
  const match = /(\d+) (second|minute)s?\b/.exec(message);
  if (!match) return null;
  return Number(match[1]) * (match[2] === 'minute' ? 60_000 : 1_000);
}

function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/** One person's PIN (or password): a masked field that Enter submits, and a keypad for touch screens. */
export function PinEntry({ person, onBack }: { person: PersonRef; onBack: () => void }) {
  const [pin, setPin] = useState('');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const wait = useCountdown(lockedUntil);
  const paused = wait > 0;

  const submit = async (event?: FormEvent<HTMLFormElement>): Promise<void> => {
    event?.preventDefault();
    if (!pin || paused || loading) return;
    setLoading(true);
    setError(null);
    try {
      signedIn(await api().call('auth.signIn', { userId: person.userId, pin }));
      return;
    } catch (thrown) {
      const failure = toApiCallError(thrown);
      if (!isFormError(failure)) notifyApiError(failure);
      else setError(failure);
      // A lockout answer starts a countdown; the button stays off until it ends.
      const ms = failure.code === 'RATE_LIMITED' ? lockoutMs(failure.message) : null;
      if (ms) setLockedUntil(Date.now() + ms);
    }
    setLoading(false);
    setPin('');
    input.current?.focus();
  };

  const press = (key: (typeof KEYS)[number]): void => {
    if (key === 'clear') setPin('');
    else if (key === 'back') setPin((p) => p.slice(0, -1));
    else setPin((p) => (p.length < 128 ? p + key : p));
  };

  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 32 }} shadow="xs">
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="pin-title">
        <Stack gap="md">
          <Group justify="space-between" wrap="nowrap" gap="sm" mb="xs">
            <Group gap="md" wrap="nowrap">
              <Avatar size={56} radius="xl" color={ROLE_COLORS[person.role]} variant="light" aria-hidden>
                <Text fw={700} size="lg" inherit>
                  {initials(person.name)}
                </Text>
              </Avatar>
              <div>
                <Title order={1} size="h3" id="pin-title" lh={1.2}>
                  {person.name}
                </Title>
                <Text c="dimmed" size="sm">
                  {ROLE_LABELS[person.role]}
                </Text>
              </div>
            </Group>
            <Button variant="subtle" color="gray" size="md" px="xs" leftSection={<ChevronLeftIcon />} onClick={onBack} style={{ flex: 'none' }}>
              Someone else
            </Button>
          </Group>

          <PasswordInput
            ref={input}
            label="PIN or password"
            size="xl"
            autoFocus
            autoComplete="current-password"
            value={pin}
            onChange={(e) => setPin(e.currentTarget.value)}
            styles={{ input: { textAlign: 'center', letterSpacing: '0.3em' }, label: { marginBottom: 6 } }}
          />

          {error && (error.code === 'UNAUTHENTICATED' || error.code === 'RATE_LIMITED') ? (
            <Alert color={error.code === 'RATE_LIMITED' ? 'orange' : 'red'} variant="light" icon={<AlertIcon />} role="alert" title={error.code === 'RATE_LIMITED' ? 'Paused after too many wrong PINs' : 'Not signed in'}>
              {error.message}
            </Alert>
          ) : (
            <ApiErrorAlert error={error} title="Not signed in" />
          )}

          <SimpleGrid cols={3} spacing="sm" aria-hidden>
            {KEYS.map((key) => (
              <Button
                key={key}
                type="button"
                tabIndex={-1}
                variant={key === 'clear' || key === 'back' ? 'subtle' : 'default'}
                color="gray"
                h={56}
                radius="md"
                fz={key === 'clear' ? 'md' : 24}
                fw={key === 'clear' ? 500 : 600}
                // Keep the focus (and the Enter key) in the PIN field.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => press(key)}
                disabled={paused}
              >
                {key === 'clear' ? 'Clear' : key === 'back' ? <BackspaceIcon size={24} /> : key}
              </Button>
            ))}
          </SimpleGrid>

          <Button type="submit" size="xl" h={60} fullWidth loading={loading} disabled={paused || !pin}>
            {paused ? `Try again in ${formatWait(wait)}` : 'Sign in'}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

function formatWait(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
