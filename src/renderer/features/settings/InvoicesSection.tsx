import { Code, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { ShopProfile } from '@shared/api/ops/settings';
import { invoiceExample } from './convert';
import { ImagePicker } from './ImagePicker';
import { ReceiptPreview, useReceiptLook } from './ReceiptPreview';
import { SectionCard } from './SectionCard';
import type { FieldErrors, SectionForm } from './useSectionForm';
import { useProfileSection, type ProfileSectionProps, type ProfileUpdate } from './useProfileSection';

interface InvoiceValues {
  invoicePrefix: string;
  receiptFooter: string;
  logoDataUrl: string | null;
  signatureDataUrl: string | null;
  watermarkDataUrl: string | null;
}

const fromProfile = (p: ShopProfile): InvoiceValues => ({
  invoicePrefix: p.invoicePrefix,
  receiptFooter: p.receiptFooter,
  logoDataUrl: p.logoDataUrl,
  signatureDataUrl: p.signatureDataUrl,
  watermarkDataUrl: p.watermarkDataUrl,
});

const toUpdate = (v: InvoiceValues): { update: ProfileUpdate; errors: FieldErrors<InvoiceValues> } => ({
  update: { ...v, invoicePrefix: v.invoicePrefix.trim() },
  errors: {},
});

const IMAGE_HINT = 'PNG, JPEG, SVG or WebP, under 1 MB.';

export function InvoicesSection(props: ProfileSectionProps & { deviceCode: string | null }) {
  const { form, loading } = useProfileSection('invoices', props, fromProfile, toUpdate, 'The invoice and receipt settings were saved.');
  const look = useReceiptLook(props.profile, props.deviceCode);
  const { values, set, errorOf } = form;
  const example = invoiceExample(values.invoicePrefix.trim(), props.deviceCode);
  return (
    <SectionCard
      id="settings-invoices"
      title="Invoices and receipts"
      description="How invoice numbers start and what is printed on receipts and invoices."
      form={form as SectionForm<object>}
      loading={loading}
      saveLabel="Save invoice settings"
      editable={props.editable}
      aside={<ReceiptPreview look={look} />}
    >
      <div>
        <TextInput
          label="Invoice prefix"
          description="1 to 8 capital letters or digits, e.g. your shop’s initials."
          required
          maw={260}
          autoComplete="off"
          spellCheck={false}
          value={values.invoicePrefix}
          onChange={(e) => set('invoicePrefix', e.currentTarget.value.toUpperCase())}
          error={errorOf('invoicePrefix')}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Text size="sm" mt="xs" aria-live="polite">
          Invoices from this device are numbered like{' '}
          <Code fz="sm" fw={600} data-testid="invoice-example" style={{ whiteSpace: 'nowrap' }}>
            {example}
          </Code>
        </Text>
        <Text size="xs" c="dimmed" mt={2}>
          The prefix, this device’s code ({props.deviceCode ?? 'not set'}) and a gap-free sequence. Invoices already issued keep their numbers.
        </Text>
      </div>
      <Textarea
        label="Receipt footer"
        description="Printed at the bottom of every receipt: thanks, return policy, opening hours…"
        autosize
        minRows={2}
        maxRows={6}
        value={values.receiptFooter}
        onChange={(e) => set('receiptFooter', e.currentTarget.value)}
        error={errorOf('receiptFooter')}
      />
      <Stack gap="lg">
        <ImagePicker label="Logo" description={`At the top of receipts and invoices. ${IMAGE_HINT}`} value={values.logoDataUrl} onChange={(v) => set('logoDataUrl', v)} error={errorOf('logoDataUrl')} disabled={!props.editable} />
        <ImagePicker label="Signature" description={`Under the total on invoices. ${IMAGE_HINT}`} value={values.signatureDataUrl} onChange={(v) => set('signatureDataUrl', v)} error={errorOf('signatureDataUrl')} disabled={!props.editable} />
        <ImagePicker label="Watermark" description={`Faint, behind the invoice. ${IMAGE_HINT}`} value={values.watermarkDataUrl} onChange={(v) => set('watermarkDataUrl', v)} error={errorOf('watermarkDataUrl')} disabled={!props.editable} />
      </Stack>
    </SectionCard>
  );
}
