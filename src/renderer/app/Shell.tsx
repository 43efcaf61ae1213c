import { useEffect, useMemo, useRef } from 'react';
import { AppShell } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { SessionInfo } from '@shared/api/ops/auth';
import { useSessionStore } from '../api/session-store';
import { ManagerOverrideHost } from '../components/ManagerOverrideDialog';
import { ScreenErrorBoundary } from '../components/ScreenErrorBoundary';
import { AppHeader } from './AppHeader';
import { AppNavbar } from './AppNavbar';
import { AREA_LABELS, areasFor, type AreaId } from './areas';
import { useIdleLock } from './idle-lock';
import { useNavigation } from './navigation';
import { AREA_SCREENS } from './screens';
import { listenForShortcuts } from './shortcuts';
import { ShortcutsHelp } from './ShortcutsHelp';
import { MAIN_CONTENT_ID, SkipLink } from './SkipLink';
import { StatusBar } from './StatusBar';

/** The app for a signed-in person: only the areas their role can use. */
export function Shell({ session }: { session: SessionInfo }) {
  const requested = useNavigation((s) => s.area);
  const go = useNavigation((s) => s.go);
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const [helpOpened, { open: openHelp, close: closeHelp }] = useDisclosure(false);
  const idleLockMinutes = useSessionStore((s) => s.idleLockMinutes);
  const areas = useMemo(() => areasFor(session.permissions), [session.permissions]);
  // An area the role cannot use (an old URL, the previous person's screen) opens the first one it can.
  const area: AreaId = areas.includes(requested) ? requested : (areas[0] ?? requested);

  useEffect(() => {
    if (area !== requested) go(area);
  }, [area, requested, go]);

  useEffect(
    () =>
      listenForShortcuts((action) => {
        if (action.type === 'help') return openHelp();
        if (!areas.includes(action.area)) return;
        closeHelp();
        closeNav();
        go(action.area);
      }),
    [go, openHelp, closeHelp, closeNav, areas],
  );

  useIdleLock(idleLockMinutes);
  useAreaChangeEffects(area);
  const Screen = AREA_SCREENS[area];

  return (
    <AppShell
      header={{ height: 60 }}
      footer={{ height: 32 }}
      navbar={{ width: 272, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'md', sm: 'xl' }}
      styles={{ main: { background: 'var(--mantine-color-gray-0)' } }}
    >
      <SkipLink />
      <AppShell.Header>
        <AppHeader navOpened={navOpened} onToggleNav={toggleNav} onOpenHelp={openHelp} session={session} />
      </AppShell.Header>
      <AppShell.Navbar id="app-navbar" aria-label="Areas">
        <AppNavbar areas={areas} area={area} onNavigate={closeNav} onOpenHelp={openHelp} />
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1} style={{ outline: 'none' }}>
        <ScreenErrorBoundary key={area} screen={AREA_LABELS[area]}>
          <Screen />
        </ScreenErrorBoundary>
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar />
      </AppShell.Footer>
      <ShortcutsHelp areas={areas} opened={helpOpened} onClose={closeHelp} />
      <ManagerOverrideHost />
    </AppShell>
  );
}

/** Names the window after the area and, after a change, moves focus to the new screen's h1. */
function useAreaChangeEffects(area: keyof typeof AREA_LABELS): void {
  const shown = useRef<string | null>(null);
  useEffect(() => {
    document.title = `${AREA_LABELS[area]} · Counterbook`;
    if (shown.current !== null && shown.current !== area) document.querySelector<HTMLElement>('[data-page-title]')?.focus();
    shown.current = area;
  }, [area]);
}
