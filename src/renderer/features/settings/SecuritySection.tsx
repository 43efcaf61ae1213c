import { Chip, Group, NumberInput, Stack, Text } from '@mantine/core';
import type { ShopProfile } from '@shared/api/ops/settings';
import { SectionCard } from './SectionCard';
import type { FieldErrors, SectionForm } from './useSectionForm';
import { useProfileSection, type ProfileSectionProps, type ProfileUpdate } from './useProfileSection';

interface SecurityValues {
  /** Minutes as typed; "0" = never. */
  idleLockMinutes: string;
}

const fromProfile = (p: ShopProfile): SecurityValues => ({ idleLockMinutes: String(p.idleLockMinutes) });

function toUpdate(v: SecurityValues): { update: ProfileUpdate; errors: FieldErrors<SecurityValues> } {
  const text = v.idleLockMinutes.trim();
  if (!/^\d+$/.test(text)) return { update: {}, errors: { idleLockMinutes: 'Enter whole minutes (0 = never lock).' } };
  return { update: { idleLockMinutes: Number(text) }, errors: {} };
}

const PRESETS = ['2', '5', '10', '15', '30', '0'];
const presetLabel = (m: string): string => (m === '0' ? 'Never' : `${m} min`);

function lockSentence(text: string): string {
  if (!/^\d+$/.test(text.trim())) return '';
  const minutes = Number(text);
  if (minutes === 0) return 'Screens stay signed in until someone signs out. Only choose this for a device nobody else can reach.';
  return `After ${minutes === 1 ? '1 minute' : `${minutes} minutes`} without a key press or click, the screen locks and the person signs in again with their PIN.`;
}

export function SecuritySection(props: ProfileSectionProps) {
  const { form, loading } = useProfileSection('security', props, fromProfile, toUpdate, 'The security settings were saved.');
  const { values, set, errorOf } = form;
  return (
    <SectionCard
      id="settings-security"
      title="Security"
      description="Protects a counter left unattended. Applies to every device of the shop."
      form={form as SectionForm<object>}
      loading={loading}
      saveLabel="Save security settings"
      editable={props.editable}
    >
      <Stack gap={8}>
        <NumberInput
          label="Lock the screen after"
          description="Minutes without activity, 0 to never lock (at most 1440, a day)."
          allowDecimal={false}
          allowNegative={false}
          min={0}
          clampBehavior="none"
          maw={260}
          rightSection={<Text size="sm" c="dimmed">min</Text>}
          rightSectionWidth={44}
          hideControls
          value={values.idleLockMinutes}
          onChange={(v) => set('idleLockMinutes', String(v))}
          error={errorOf('idleLockMinutes')}
        />
        <Chip.Group value={values.idleLockMinutes} onChange={(v) => set('idleLockMinutes', String(v))}>
          <Group gap={6} aria-label="Common choices" role="group">
            {PRESETS.map((m) => (
              <Chip key={m} value={m} size="xs" variant="outline" disabled={!props.editable}>
                {presetLabel(m)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Text size="sm" c="dimmed" maw={620}>
          {lockSentence(values.idleLockMinutes)}
        </Text>
      </Stack>
    </SectionCard>
  );
}
