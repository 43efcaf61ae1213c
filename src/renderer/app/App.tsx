import { useEffect, useState } from 'react';
import { Center, Loader, MantineProvider, Progress, Stack, Text } from '@mantine/core';
import { storeUpgradeSchema, type StoreUpgradeProgress } from '@shared/api/events';
import { describeStoreUpgrade, storeUpgradeFraction } from '@shared/store-upgrade';
import { Notifications } from '@mantine/notifications';
import { api } from '../api/client';
import { startSessionFeed, useSessionStore } from '../api/session-store';
import { SetupScreen } from '../features/auth/SetupScreen';
import { SignInScreen } from '../features/auth/SignInScreen';
import { bindNavigationToHash } from './navigation';
import { Shell } from './Shell';
import { startStatusFeed } from './status-store';
import { cssVariablesResolver, theme } from './theme';

export function App() {
  useEffect(() => startSessionFeed(api()), []);
  useEffect(() => startStatusFeed(api()), []);
  useEffect(() => bindNavigationToHash(), []);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} forceColorScheme="light">
      <Notifications position="top-right" />
      <Gate />
    </MantineProvider>
  );
}

/** First-run setup, sign-in, or the app for the signed-in person. */
function Gate() {
  const status = useSessionStore((s) => s.status);
  const setupNeeded = useSessionStore((s) => s.setupNeeded);
  const session = useSessionStore((s) => s.session);

  useEffect(() => {
    if (status !== 'ready') return;
    if (setupNeeded) document.title = 'Set up · Counterbook';
    else if (!session) document.title = 'Sign in · Counterbook';
  }, [status, setupNeeded, session]);

  if (status === 'loading') return <Opening />;
  if (setupNeeded) return <SetupScreen />;
  if (!session) return <SignInScreen />;
  return <Shell key={session.userId} session={session} />;
}

/** While the core starts; an older store's one-time upgrade shows how far it is. */
function Opening() {
  const [upgrade, setUpgrade] = useState<StoreUpgradeProgress | null>(null);
  useEffect(
    () =>
      api().on('store.upgrade', (payload) => {
        const parsed = storeUpgradeSchema.safeParse(payload);
        if (parsed.success) setUpgrade(parsed.data);
      }),
    [],
  );
  return (
    <Center mih="100vh" bg="gray.0">
      <Stack align="center" gap="sm" role="status" w={420} maw="90vw">
        <Loader />
        <Text c="dimmed">Opening Counterbook…</Text>
        {upgrade && (
          <>
            <Text size="sm" ta="center">
              Updating your data for this version of Counterbook. This happens once and can take a minute or two on a large store; please leave the app open.
            </Text>
            <Progress value={storeUpgradeFraction(upgrade) * 100} w="100%" aria-label="Data update progress" />
            <Text size="xs" c="dimmed">
              {describeStoreUpgrade(upgrade)}
            </Text>
          </>
        )}
      </Stack>
    </Center>
  );
}
