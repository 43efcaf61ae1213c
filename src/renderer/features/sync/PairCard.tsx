import { useState, type FormEvent } from 'react';
import { Button, Code, CopyButton, Group, List, Paper, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SyncStatus } from '@shared/api/ops/sync';
import { fieldError } from '../../api/errors';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { SyncIcon } from '../../components/icons';
import { useCommand } from './useCommand';

const PAIR_COMMAND = 'npm run cli -- server pair-device --tenant <tenant id> --name "Front counter"';

/** Not paired: where the pairing code comes from, and the field to paste it in. */
export function PairCard({ canPair, onPaired }: { canPair: boolean; onPaired: (status: SyncStatus) => void }) {
  const pair = useCommand('sync.pair');
  const [code, setCode] = useState('');

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const status = await pair.run({ pairingCode: code });
    if (!status) return;
    setCode('');
    onPaired(status);
    notifications.show({ color: 'green', title: 'Paired', message: status.paired ? `This device now syncs with ${status.paired.tenantName}.` : 'This device is paired.' });
  };

  const codeError = fieldError(pair.error, 'pairingCode');
  const alertError = pair.error && !(pair.error.code === 'VALIDATION' && codeError && pair.error.issues?.every((i) => i.path === 'pairingCode')) ? pair.error : null;

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} component="section" aria-labelledby="pair-title">
      <Group gap="md" align="flex-start" wrap="nowrap">
        <ThemeIcon size={44} radius="xl" variant="light" visibleFrom="xs">
          <SyncIcon size={24} />
        </ThemeIcon>
        <Stack gap="md" style={{ flex: 1, minWidth: 0 }}>
          <div>
            <Title order={2} size="h4" id="pair-title">
              Pair this device
            </Title>
            <Text size="sm" c="dimmed" mt={4} maw={680}>
              This device is not connected to the business’s server: everything stays on this device only. Pair it to share sales, orders and people with
              the other devices. Nothing stored here is lost.
            </Text>
          </div>

          <List type="ordered" size="sm" spacing={6} maw={720}>
            <List.Item>
              On the computer that runs the server, an admin creates a pairing code:
              <Group gap="xs" mt={4} wrap="nowrap">
                <Code block style={{ flex: 1, minWidth: 0, overflowX: 'auto', whiteSpace: 'pre' }}>
                  {PAIR_COMMAND}
                </Code>
                <CopyButton value={PAIR_COMMAND}>
                  {({ copied, copy }) => (
                    <Button variant="default" size="xs" onClick={copy}>
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </List.Item>
            <List.Item>
              It prints a one-line pairing code. A code lets one device join, once, and expires (after 15 minutes unless the admin chose otherwise): treat it
              like a password.
            </List.Item>
            <List.Item>Paste the code here and choose Pair. The first sync starts right away.</List.Item>
          </List>

          {canPair ? (
            <form onSubmit={(e) => void submit(e)} noValidate>
              <Stack gap="sm">
                <Group align="flex-start" gap="sm" wrap="wrap">
                  <TextInput
                    label="Pairing code"
                    placeholder="cbpair1.…  (paste the whole line the admin printed)"
                    autoComplete="off"
                    spellCheck={false}
                    style={{ flex: '1 1 320px' }}
                    maw={560}
                    value={code}
                    onChange={(e) => {
                      setCode(e.currentTarget.value.replace(/[\r\n]+/g, ' '));
                      if (pair.error) pair.reset();
                    }}
                    error={codeError}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  />
                  <Button type="submit" loading={pair.loading} disabled={code.trim() === ''} mt={{ base: 0, xs: 25 }}>
                    Pair
                  </Button>
                </Group>
                <ApiErrorAlert error={alertError} title="This device was not paired" />
              </Stack>
            </form>
          ) : (
            <Text size="sm" fw={500}>
              Only an admin can pair this device.
            </Text>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
