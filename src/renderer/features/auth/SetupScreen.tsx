import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Button, Divider, Paper, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { fieldError } from '../../api/errors';
import { useApiCall } from '../../api/hooks';
import { signedIn } from '../../api/session-store';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { AuthLayout } from './AuthLayout';
import { PIN_HINT, PIN_MISMATCH } from './pin';
import { browserLocale, browserTimeZone, currencyOptions, defaultCurrency, timeZoneOptions } from './setup-options';

interface SetupValues {
  shopName: string;
  currency: string;
  timezone: string;
  invoicePrefix: string;
  deviceCode: string;
  deviceName: string;
  ownerName: string;
  ownerEmail: string;
  pin: string;
  confirmPin: string;
}

/** "Corner Shop" -> "CS": a first suggestion for the invoice prefix. */
function suggestPrefix(shopName: string): string {
  const words = shopName.toUpperCase().replace(/[^A-Z0-9 ]/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  if (words.length === 1) return words[0]!.slice(0, 3);
  return words.map((w) => w[0]).join('').slice(0, 8);
}

const upper = (value: string, max: number): string => value.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, max);

/** First run of a fresh store: the shop's profile and the owner's account, then signed in. */
export function SetupScreen() {
  const setup = useApiCall('auth.setup');
  const currencies = useMemo(() => currencyOptions(), []);
  const zones = useMemo(() => timeZoneOptions(), []);
  const [values, setValues] = useState<SetupValues>(() => ({
    shopName: '',
    currency: defaultCurrency(),
    timezone: browserTimeZone(),
    invoicePrefix: '',
    deviceCode: 'A1',
    deviceName: 'Counter 1',
    ownerName: '',
    ownerEmail: '',
    pin: '',
    confirmPin: '',
  }));
  const [prefixEdited, setPrefixEdited] = useState(false);
  const [mismatch, setMismatch] = useState(false);

  const set = <K extends keyof SetupValues>(key: K, value: SetupValues[K]): void => setValues((v) => ({ ...v, [key]: value }));
  const err = (path: keyof SetupValues): string | undefined => fieldError(setup.error, path);
  const prefix = prefixEdited ? values.invoicePrefix : suggestPrefix(values.shopName);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (values.pin !== values.confirmPin) {
      setMismatch(true);
      return;
    }
    const { confirmPin: _confirm, ...rest } = values;
    const session = await setup.run({ ...rest, invoicePrefix: prefix, locale: browserLocale() });
    if (session) signedIn(session);
  };

  return (
    <AuthLayout subtitle="First-run setup" width={720}>
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 32 }} shadow="xs">
        <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="setup-title">
          <Stack gap="lg">
            <div>
              <Title order={1} size="h2" id="setup-title">
                Set up your shop
              </Title>
              <Text c="dimmed" mt={4}>
                A few details to start with. You create the owner&apos;s account now and invite everyone else later.
              </Text>
            </div>

            <Section title="The shop">
              <TextInput label="Shop name" placeholder="e.g. Corner Shop" required withAsterisk={false} data-autofocus autoFocus value={values.shopName} onChange={(e) => set('shopName', e.currentTarget.value)} error={err('shopName')} />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <Select
                  label="Currency"
                  description="Prices and totals are kept in this currency."
                  data={currencies}
                  searchable
                  allowDeselect={false}
                  nothingFoundMessage="No such currency in the list"
                  required withAsterisk={false}
                  value={values.currency}
                  onChange={(v) => v && set('currency', v)}
                  error={err('currency')}
                />
                <Select
                  label="Time zone"
                  description="Decides where a business day starts and ends."
                  data={zones}
                  searchable
                  allowDeselect={false}
                  limit={60}
                  nothingFoundMessage="No such time zone"
                  required withAsterisk={false}
                  value={values.timezone}
                  onChange={(v) => v && set('timezone', v)}
                  error={err('timezone')}
                />
              </SimpleGrid>
            </Section>

            <Section title="This device">
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <TextInput
                  label="Invoice prefix"
                  description="1 to 8 capital letters or digits"
                  required withAsterisk={false}
                  value={prefix}
                  onChange={(e) => {
                    setPrefixEdited(true);
                    set('invoicePrefix', upper(e.currentTarget.value, 8));
                  }}
                  error={err('invoicePrefix')}
                />
                <TextInput
                  label="Device code"
                  description="1 to 4 letters or digits"
                  required withAsterisk={false}
                  value={values.deviceCode}
                  onChange={(e) => set('deviceCode', upper(e.currentTarget.value, 4))}
                  error={err('deviceCode')}
                />
                <TextInput label="Device name" description="e.g. Front counter" required withAsterisk={false} value={values.deviceName} onChange={(e) => set('deviceName', e.currentTarget.value)} error={err('deviceName')} />
              </SimpleGrid>
              {prefix && values.deviceCode && (
                <Text size="sm" c="dimmed">
                  Invoices from this device will be numbered like{' '}
                  <Text span ff="monospace" c="dark" fw={600}>
                    {prefix}-{values.deviceCode}-1
                  </Text>
                  , without gaps.
                </Text>
              )}
            </Section>

            <Section title="The owner">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TextInput label="Your name" description="Shown in the audit log and on sign-in." required withAsterisk={false} autoComplete="name" value={values.ownerName} onChange={(e) => set('ownerName', e.currentTarget.value)} error={err('ownerName')} />
                <TextInput label="E-mail" description="Optional" type="email" autoComplete="email" value={values.ownerEmail} onChange={(e) => set('ownerEmail', e.currentTarget.value)} error={err('ownerEmail')} />
                <PasswordInput
                  label="PIN"
                  description={PIN_HINT}
                  required withAsterisk={false}
                  autoComplete="new-password"
                  value={values.pin}
                  onChange={(e) => {
                    set('pin', e.currentTarget.value);
                    setMismatch(false);
                  }}
                  error={err('pin')}
                />
                <PasswordInput
                  label="PIN again"
                  description="To be sure it is the one you meant."
                  required withAsterisk={false}
                  autoComplete="new-password"
                  value={values.confirmPin}
                  onChange={(e) => {
                    set('confirmPin', e.currentTarget.value);
                    setMismatch(false);
                  }}
                  error={mismatch ? PIN_MISMATCH : undefined}
                />
              </SimpleGrid>
            </Section>

            <ApiErrorAlert error={setup.error} title="The shop was not set up" />
            <Button type="submit" size="lg" loading={setup.loading} fullWidth>
              Create the shop and sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </AuthLayout>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="sm" component="section" aria-label={title}>
      <Divider label={title} labelPosition="left" styles={{ label: { fontSize: 'var(--mantine-font-size-sm)', fontWeight: 600, color: 'var(--mantine-color-dark-6)' } }} />
      {children}
    </Stack>
  );
}
