import { useEffect } from 'react';
import { Center, Loader, MantineProvider, Stack, Text } from '@mantine/core';
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

  if (status === 'loading') {
    return (
      <Center mih="100vh" bg="gray.0">
        <Stack align="center" gap="sm" role="status">
          <Loader />
          <Text c="dimmed">Opening Counterbook…</Text>
        </Stack>
      </Center>
    );
  }
  if (setupNeeded) return <SetupScreen />;
  if (!session) return <SignInScreen />;
  return <Shell key={session.userId} session={session} />;
}
