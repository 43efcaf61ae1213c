import { CloseButton, ColorInput, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ShopProfile } from '@shared/api/ops/settings';
import { ReceiptPreview, useReceiptLook } from './ReceiptPreview';
import { SectionCard } from './SectionCard';
import type { FieldErrors, SectionForm } from './useSectionForm';
import { useProfileSection, type ProfileSectionProps, type ProfileUpdate } from './useProfileSection';

interface BrandingValues {
  /** "" for none. */
  primaryColour: string;
  secondaryColour: string;
}

const fromProfile = (p: ShopProfile): BrandingValues => ({ primaryColour: p.primaryColour ?? '', secondaryColour: p.secondaryColour ?? '' });

const toUpdate = (v: BrandingValues): { update: ProfileUpdate; errors: FieldErrors<BrandingValues> } => ({
  update: { primaryColour: v.primaryColour.trim() || null, secondaryColour: v.secondaryColour.trim() || null },
  errors: {},
});

const SWATCHES = ['#1f6f78', '#137786', '#1c4e80', '#2f3e9e', '#6741d9', '#a61e4d', '#c92a2a', '#d9480f', '#e67700', '#2b8a3e', '#343a40', '#868e96'];

export function BrandingSection(props: ProfileSectionProps & { deviceCode: string | null }) {
  const { form, loading } = useProfileSection('branding', props, fromProfile, toUpdate, 'The brand colours were saved.');
  const look = useReceiptLook(props.profile, props.deviceCode);
  const { values, set, errorOf } = form;
  const colour = (key: keyof BrandingValues, label: string, description: string) => (
    <ColorInput
      label={label}
      description={description}
      placeholder="None"
      format="hex"
      swatches={SWATCHES}
      swatchesPerRow={6}
      withEyeDropper={false}
      fixOnBlur={false}
      value={values[key]}
      onChange={(v) => set(key, v)}
      error={errorOf(key)}
      disabled={!props.editable}
      rightSection={
        values[key] && props.editable ? (
          <CloseButton size="sm" onClick={() => set(key, '')} aria-label={`Clear the ${label.toLowerCase()}`} />
        ) : undefined
      }
      
    />
  );
  return (
    <SectionCard
      id="settings-branding"
      title="Branding"
      description="The shop’s colours on receipts and invoices. Leave a colour empty to print in black."
      form={form as SectionForm<object>}
      loading={loading}
      saveLabel="Save brand colours"
      editable={props.editable}
      aside={<ReceiptPreview look={look} />}
    >
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {colour('primaryColour', 'Primary colour', 'The shop name and totals')}
        {colour('secondaryColour', 'Secondary colour', 'Accent lines and headings')}
      </SimpleGrid>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Together
        </Text>
        <Group gap={0} style={{ borderRadius: 'var(--mantine-radius-md)', overflow: 'hidden', width: 'fit-content', border: '1px solid var(--mantine-color-gray-3)' }} aria-hidden>
          <div style={{ width: 120, height: 36, background: values.primaryColour || 'var(--mantine-color-dark-7)' }} />
          <div style={{ width: 60, height: 36, background: values.secondaryColour || 'var(--mantine-color-gray-4)' }} />
        </Group>
        <Text size="xs" c="dimmed">
          Pick colours dark enough to read on white paper; thermal printers print them in black or grey.
        </Text>
      </Stack>
    </SectionCard>
  );
}
