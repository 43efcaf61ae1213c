import { useMemo } from 'react';
import { Select, SimpleGrid, TextInput, Textarea } from '@mantine/core';
import type { ShopProfile } from '@shared/api/ops/settings';
import { timeZoneOptions } from '../auth/setup-options';
import { SectionCard } from './SectionCard';
import type { FieldErrors, SectionForm } from './useSectionForm';
import { useProfileSection, type ProfileSectionProps, type ProfileUpdate } from './useProfileSection';

interface ShopValues {
  shopName: string;
  legalName: string;
  address: string;
  phone: string;
  email: string;
  taxId: string;
  timezone: string;
}

const fromProfile = (p: ShopProfile): ShopValues => ({
  shopName: p.shopName,
  legalName: p.legalName,
  address: p.address,
  phone: p.phone,
  email: p.email,
  taxId: p.taxId,
  timezone: p.timezone,
});

// Everything goes to the core as typed: it trims and checks (its messages show on the fields).
const toUpdate = (v: ShopValues): { update: ProfileUpdate; errors: FieldErrors<ShopValues> } => ({
  update: { ...v, email: v.email.trim() },
  errors: {},
});

export function ShopSection(props: ProfileSectionProps) {
  const { form, loading } = useProfileSection('shop', props, fromProfile, toUpdate, 'The shop details were saved.');
  const zones = useMemo(() => timeZoneOptions(props.profile.timezone), [props.profile.timezone]);
  const { values, set, errorOf } = form;
  return (
    <SectionCard
      id="settings-shop"
      title="Shop details"
      description="Who the business is. These details head every receipt and invoice."
      form={form as SectionForm<object>}
      loading={loading}
      saveLabel="Save shop details"
      editable={props.editable}
    >
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <TextInput label="Shop name" description="As customers know it" required value={values.shopName} onChange={(e) => set('shopName', e.currentTarget.value)} error={errorOf('shopName')} />
        <TextInput label="Legal name" description="The registered name, if different" value={values.legalName} onChange={(e) => set('legalName', e.currentTarget.value)} error={errorOf('legalName')} />
      </SimpleGrid>
      <Textarea label="Address" autosize minRows={2} maxRows={5} value={values.address} onChange={(e) => set('address', e.currentTarget.value)} error={errorOf('address')} />
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <TextInput label="Phone" type="tel" autoComplete="off" value={values.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={errorOf('phone')} />
        <TextInput label="E-mail" type="email" autoComplete="off" value={values.email} onChange={(e) => set('email', e.currentTarget.value)} error={errorOf('email')} />
        <TextInput label="Tax id (VAT, PIN, GST…)" value={values.taxId} onChange={(e) => set('taxId', e.currentTarget.value)} error={errorOf('taxId')} />
      </SimpleGrid>
      <Select
        label="Time zone"
        description="Decides where a business day starts and ends (day close, reports)."
        data={zones}
        searchable
        allowDeselect={false}
        limit={60}
        nothingFoundMessage="No such time zone"
        value={values.timezone}
        onChange={(v) => v && set('timezone', v)}
        error={errorOf('timezone')}
        maw={420}
      />
    </SectionCard>
  );
}
