import { AppShell, Kbd, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { AREA_LABELS, areaDigit, hashForArea, type AreaId } from './areas';
import { AREA_ICONS } from './screens';
import { areaShortcutLabel } from './shortcuts';

interface AppNavbarProps {
  /** The areas the signed-in person can use, in order. */
  areas: readonly AreaId[];
  /** The open area. */
  area: AreaId;
  /** Called after a link is followed (closes the navbar on narrow windows). */
  onNavigate: () => void;
  onOpenHelp: () => void;
}

/** The areas as links to their hash (`#/orders`); the hash listener opens them. */
export function AppNavbar({ areas, area, onNavigate, onOpenHelp }: AppNavbarProps) {
  return (
    <>
      <AppShell.Section grow component={ScrollArea} p="sm">
        {areas.map((id) => {
          const Icon = AREA_ICONS[id];
          const shortcut = areaShortcutLabel(areaDigit(id));
          const active = id === area;
          return (
            <NavLink
              key={id}
              href={hashForArea(id)}
              label={AREA_LABELS[id]}
              leftSection={<Icon size={20} />}
              rightSection={
                <Kbd size="xs" aria-hidden>
                  {shortcut.label}
                </Kbd>
              }
              active={active}
              aria-current={active ? 'page' : undefined}
              aria-keyshortcuts={shortcut.aria}
              onClick={onNavigate}
              noWrap
              fw={active ? 600 : 500}
              py={8}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
              mb={2}
            />
          );
        })}
      </AppShell.Section>
      <AppShell.Section p="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <UnstyledButton onClick={onOpenHelp} px="sm" py={6} aria-keyshortcuts="F1">
          <Text size="xs" c="dimmed">
            Press <Kbd size="xs">?</Kbd> or <Kbd size="xs">F1</Kbd> for keyboard shortcuts
          </Text>
        </UnstyledButton>
      </AppShell.Section>
    </>
  );
}
