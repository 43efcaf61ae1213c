import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, Box, Button, Group, List, Modal, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ShopProfile } from '@shared/api/ops/settings';
import type { OpOutput } from '@shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { useCan, useSessionStore } from '../../api/session-store';
import { AREA_LABELS, type AreaId } from '../../app/areas';
import { useNavigation } from '../../app/navigation';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { Page } from '../../components/Page';
import { AlertIcon } from '../../components/icons';
import { BrandingSection } from './BrandingSection';
import { DeviceSection } from './DeviceSection';
import { claimDrafts, clearDraft, dirtySections, SECTION_IDS, SECTION_LABELS, useDrafts, type SectionId } from './drafts';
import { InvoicesSection } from './InvoicesSection';
import { useLeaveGuard } from './leave-guard';
import { MoneySection } from './MoneySection';
import { SecuritySection } from './SecuritySection';
import { ShopSection } from './ShopSection';

type DeviceInfo = OpOutput<'settings.device'>;
type Leaving = { kind: 'section'; to: SectionId } | { kind: 'area'; to: AreaId };

// The open section survives leaving the area and coming back.
let lastSection: SectionId = 'shop';

/** The newer of the query's answer and the last save's answer (the refetch lags behind a save). */
function newest(a: ShopProfile | null | undefined, b: ShopProfile | null): ShopProfile | null | undefined {
  if (!b) return a;
  if (!a) return b;
  return b.updatedAt > a.updatedAt ? b : a;
}

export function SettingsScreen() {
  const userId = useSessionStore((s) => s.session?.userId ?? null);
  const owner = useDrafts((s) => s.owner);
  useEffect(() => {
    if (userId) claimDrafts(userId);
  }, [userId]);
  return (
    <Page title={AREA_LABELS.settings} description="The shop’s details, invoices, branding, money and tax, security, and this device.">
      {userId && owner === userId ? <SettingsSections /> : <Skeleton height={360} radius="md" />}
    </Page>
  );
}

function SettingsSections() {
  const editable = useCan('settings.manage');
  const profileQuery = useApiQuery('settings.shopProfile', {}, { refetchOnData: ['shopProfile'] });
  const deviceQuery = useApiQuery('settings.device', {}, { refetchOnData: ['devices'] });
  const syncQuery = useApiQuery('sync.status', {}, { refetchOn: ['sync.status'] });
  const [savedProfile, setSavedProfile] = useState<ShopProfile | null>(null);
  const [savedDevice, setSavedDevice] = useState<{ basedOn: DeviceInfo | undefined; device: DeviceInfo } | null>(null);
  const profile = newest(profileQuery.data, savedProfile);
  // The device has no updatedAt: the save's answer wins until the query answers again.
  const device = savedDevice && savedDevice.basedOn === deviceQuery.data ? savedDevice.device : deviceQuery.data;

  const [section, setSection] = useState<SectionId>(lastSection);
  const [leaving, setLeaving] = useState<Leaving | null>(null);
  const dirty = useDrafts((s) => s.dirty);
  const anyDirty = useDrafts((s) => dirtySections(s).length > 0);
  const wide = useMediaQuery('(min-width: 62em)', true);
  const go = useNavigation((s) => s.go);

  const open = (next: SectionId): void => {
    lastSection = next;
    setSection(next);
  };
  const requestSection = (next: string | null): void => {
    if (!next || next === section) return;
    if (dirty[section]) setLeaving({ kind: 'section', to: next as SectionId });
    else open(next as SectionId);
  };
  const onLeaveArea = useCallback((to: AreaId) => setLeaving({ kind: 'area', to }), []);
  useLeaveGuard(anyDirty, 'settings', onLeaveArea);

  const discardAndLeave = (): void => {
    if (!leaving) return;
    if (leaving.kind === 'section') {
      clearDraft(section);
      open(leaving.to);
    } else {
      for (const id of dirtySections()) clearDraft(id);
      go(leaving.to);
    }
    setLeaving(null);
  };

  const loadError = profileQuery.error ?? deviceQuery.error;
  if (loadError && (!profile || !device)) {
    return <ApiErrorAlert error={loadError} title="Could not load the settings" onRetry={() => (profileQuery.error ? profileQuery.refetch() : deviceQuery.refetch())} />;
  }
  if (profile === undefined || device === undefined) return <Skeleton height={360} radius="md" />;
  if (profile === null) {
    return (
      <Alert color="orange" variant="light" icon={<AlertIcon />} title="The shop is not set up yet">
        Finish the first-run setup to create the shop’s profile.
      </Alert>
    );
  }

  const common = { profile, onSaved: setSavedProfile, editable };
  const panels: Record<SectionId, ReactNode> = {
    shop: <ShopSection {...common} />,
    invoices: <InvoicesSection {...common} deviceCode={device.code} />,
    branding: <BrandingSection {...common} deviceCode={device.code} />,
    money: <MoneySection {...common} />,
    security: <SecuritySection {...common} />,
    device: <DeviceSection device={device} onSaved={(d) => setSavedDevice({ basedOn: deviceQuery.data, device: d })} editable={editable} paired={!!syncQuery.data?.paired} />,
  };

  return (
    <Stack gap="md">
      {!editable && (
        <Alert color="blue" variant="light" title="View only">
          Only the shop’s admin can change these settings.
        </Alert>
      )}
      <Tabs
        value={section}
        onChange={requestSection}
        orientation={wide ? 'vertical' : 'horizontal'}
        variant="pills"
        keepMounted={false}
        activateTabWithKeyboard={false}
        styles={{ tab: { justifyContent: 'flex-start' }, tabLabel: { flex: wide ? 1 : undefined, textAlign: 'left' } }}
      >
        <Tabs.List aria-label="Settings sections" w={wide ? 220 : undefined} mb={wide ? 0 : 'md'} style={{ alignSelf: 'flex-start', flexShrink: 0, gap: 2 }}>
          {SECTION_IDS.map((id) => (
            <Tabs.Tab key={id} value={id} rightSection={dirty[id] ? <UnsavedDot /> : undefined}>
              {SECTION_LABELS[id]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SECTION_IDS.map((id) => (
          <Tabs.Panel key={id} value={id} pl={wide ? 'xl' : 0} style={{ minWidth: 0 }}>
            {panels[id]}
          </Tabs.Panel>
        ))}
      </Tabs>
      <UnsavedChangesDialog leaving={leaving} current={section} onStay={() => setLeaving(null)} onDiscard={discardAndLeave} />
    </Stack>
  );
}

function UnsavedDot() {
  return (
    <Box component="span" w={8} h={8} bg="orange.6" style={{ borderRadius: '50%', display: 'inline-block' }} aria-label="unsaved changes" role="img" />
  );
}

interface UnsavedChangesDialogProps {
  leaving: Leaving | null;
  current: SectionId;
  onStay: () => void;
  onDiscard: () => void;
}

function UnsavedChangesDialog({ leaving, current, onStay, onDiscard }: UnsavedChangesDialogProps) {
  const dirty = useDrafts((s) => s.dirty);
  const sections = leaving?.kind === 'section' ? [current] : SECTION_IDS.filter((id) => dirty[id]);
  return (
    <Modal opened={leaving !== null} onClose={onStay} title="Discard unsaved changes?" centered styles={{ title: { fontWeight: 650 } }}>
      <Stack gap="md">
        <Text size="sm">
          {sections.length === 1 ? (
            <>
              Your changes to <b>{SECTION_LABELS[sections[0]!]}</b> are not saved.
            </>
          ) : (
            'These sections have changes that are not saved:'
          )}
        </Text>
        {sections.length > 1 && (
          <List size="sm" spacing={2}>
            {sections.map((id) => (
              <List.Item key={id}>{SECTION_LABELS[id]}</List.Item>
            ))}
          </List>
        )}
        <Text size="sm" c="dimmed">
          Stay to review and save them, or discard them and {leaving?.kind === 'area' ? `open ${AREA_LABELS[leaving.to]}` : `open ${leaving ? SECTION_LABELS[leaving.to] : ''}`}.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onStay} data-autofocus>
            Stay and review
          </Button>
          <Button color="red" onClick={onDiscard}>
            Discard changes
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
