import { useEffect } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { api } from '../api/client';
import { bindNavigationToHash } from './navigation';
import { Shell } from './Shell';
import { startStatusFeed } from './status-store';
import { cssVariablesResolver, theme } from './theme';

export function App() {
  useEffect(() => startStatusFeed(api()), []);
  useEffect(() => bindNavigationToHash(), []);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} forceColorScheme="light">
      <Notifications position="top-right" />
      <Shell />
    </MantineProvider>
  );
}
