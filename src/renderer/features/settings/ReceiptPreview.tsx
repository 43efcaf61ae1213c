import { useMemo } from 'react';
import { Box, Divider, Group, Image, Paper, Stack, Text } from '@mantine/core';
import type { ShopProfile } from '@shared/api/ops/settings';
import { formatMoney, isCurrencyCode } from '@shared/money';
import { bpToPercentText, invoiceExample, percentTextToBp } from './convert';
import { useDrafts, type SectionId } from './drafts';

export type ReceiptLook = Pick<
  ShopProfile,
  | 'shopName'
  | 'address'
  | 'phone'
  | 'taxId'
  | 'invoicePrefix'
  | 'receiptFooter'
  | 'logoDataUrl'
  | 'signatureDataUrl'
  | 'watermarkDataUrl'
  | 'primaryColour'
  | 'secondaryColour'
  | 'currency'
  | 'taxMode'
  | 'defaultTaxRateBp'
> & { deviceCode: string | null };

const SAMPLE_LINES = [
  { name: 'Sugar 1 kg', qty: 2, minor: 30000 },
  { name: 'Tea leaves 250 g', qty: 1, minor: 22000 },
];

function amount(minor: number, currency: string): string {
  return isCurrencyCode(currency) ? formatMoney({ amountMinor: minor, currency }, 'en') : String(minor);
}

/** A sketch of a receipt with the current (unsaved) look, so changes can be judged before saving. */
export function ReceiptPreview({ look }: { look: ReceiptLook }) {
  const primary = look.primaryColour ?? 'var(--mantine-color-dark-7)';
  const accent = look.secondaryColour ?? 'var(--mantine-color-gray-4)';
  const total = SAMPLE_LINES.reduce((sum, l) => sum + l.minor, 0);
  const rate = bpToPercentText(look.defaultTaxRateBp);
  return (
    <Stack gap={6}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.04em' }}>
        Receipt preview
      </Text>
      <Paper
        withBorder
        shadow="xs"
        radius="sm"
        p="md"
        aria-label="Receipt preview"
        role="img"
        style={{ position: 'relative', overflow: 'hidden', borderTop: `4px solid ${accent}`, fontSize: 12 }}
      >
        {look.watermarkDataUrl && (
          <Box
            aria-hidden
            style={{
              position: 'absolute',
              inset: 0,
              backgroundImage: `url("${look.watermarkDataUrl}")`,
              backgroundRepeat: 'no-repeat',
              backgroundPosition: 'center',
              backgroundSize: '70%',
              opacity: 0.1,
              pointerEvents: 'none',
            }}
          />
        )}
        <Stack gap={4} align="center" style={{ position: 'relative' }}>
          {look.logoDataUrl && <Image src={look.logoDataUrl} alt="" h={44} w="auto" maw={180} fit="contain" />}
          <Text fw={700} size="md" ta="center" style={{ color: primary }}>
            {look.shopName || 'Shop name'}
          </Text>
          {look.address && (
            <Text size="xs" c="dimmed" ta="center" style={{ whiteSpace: 'pre-line' }} lineClamp={3}>
              {look.address}
            </Text>
          )}
          {(look.phone || look.taxId) && (
            <Text size="xs" c="dimmed" ta="center">
              {[look.phone, look.taxId && `Tax id ${look.taxId}`].filter(Boolean).join(' · ')}
            </Text>
          )}
        </Stack>
        <Divider my="xs" variant="dashed" />
        <Group justify="space-between" style={{ position: 'relative' }}>
          <Text size="xs" fw={600}>
            Invoice
          </Text>
          <Text size="xs" ff="monospace" fw={600}>
            {invoiceExample(look.invoicePrefix, look.deviceCode)}
          </Text>
        </Group>
        <Stack gap={2} mt={6} style={{ position: 'relative' }}>
          {SAMPLE_LINES.map((l) => (
            <Group key={l.name} justify="space-between" wrap="nowrap">
              <Text size="xs">
                {l.qty} × {l.name}
              </Text>
              <Text size="xs" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {amount(l.minor, look.currency)}
              </Text>
            </Group>
          ))}
        </Stack>
        <Divider my="xs" />
        <Group justify="space-between" style={{ position: 'relative' }}>
          <Text size="sm" fw={700} style={{ color: primary }}>
            Total
          </Text>
          <Text size="sm" fw={700} style={{ fontVariantNumeric: 'tabular-nums', color: primary }}>
            {amount(total, look.currency)}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" ta="right">
          {look.defaultTaxRateBp === 0 ? 'No tax' : look.taxMode === 'inclusive' ? `Includes ${rate}% tax` : `Plus ${rate}% tax`}
        </Text>
        {look.signatureDataUrl && (
          <Stack gap={0} align="flex-end" mt="xs" style={{ position: 'relative' }}>
            <Image src={look.signatureDataUrl} alt="" h={32} w="auto" maw={140} fit="contain" />
            <Text size="10px" c="dimmed" style={{ borderTop: '1px solid var(--mantine-color-gray-4)', paddingTop: 2 }}>
              Authorised signature
            </Text>
          </Stack>
        )}
        {look.receiptFooter && (
          <Text size="xs" ta="center" mt="sm" c="dimmed" style={{ whiteSpace: 'pre-line', position: 'relative' }}>
            {look.receiptFooter}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}

/** The receipt as it would look with every unsaved edit of the Shop, Invoices, Branding and Money sections. */
export function useReceiptLook(profile: ShopProfile, deviceCode: string | null): ReceiptLook {
  const edits = useDrafts((s) => s.edits);
  return useMemo(() => {
    const text = (section: SectionId, key: string): string | undefined => {
      const value = edits[section]?.[key];
      return typeof value === 'string' ? value : undefined;
    };
    const image = (key: 'logoDataUrl' | 'signatureDataUrl' | 'watermarkDataUrl'): string | null => {
      const section = edits.invoices ?? {};
      return key in section ? (section[key] as string | null) : profile[key];
    };
    const colour = (key: 'primaryColour' | 'secondaryColour'): string | null => {
      const value = text('branding', key);
      if (value === undefined) return profile[key];
      return /^#[0-9a-fA-F]{6}$/.test(value) ? value : null;
    };
    const rate = text('money', 'defaultTaxRateBp');
    const parsedRate = rate === undefined ? null : percentTextToBp(rate);
    const taxMode = edits.money?.taxMode;
    return {
      shopName: text('shop', 'shopName') ?? profile.shopName,
      address: text('shop', 'address') ?? profile.address,
      phone: text('shop', 'phone') ?? profile.phone,
      taxId: text('shop', 'taxId') ?? profile.taxId,
      invoicePrefix: text('invoices', 'invoicePrefix') ?? profile.invoicePrefix,
      receiptFooter: text('invoices', 'receiptFooter') ?? profile.receiptFooter,
      logoDataUrl: image('logoDataUrl'),
      signatureDataUrl: image('signatureDataUrl'),
      watermarkDataUrl: image('watermarkDataUrl'),
      primaryColour: colour('primaryColour'),
      secondaryColour: colour('secondaryColour'),
      currency: text('money', 'currency') ?? profile.currency,
      taxMode: taxMode === 'inclusive' || taxMode === 'exclusive' ? taxMode : profile.taxMode,
      defaultTaxRateBp: parsedRate?.ok ? parsedRate.value : profile.defaultTaxRateBp,
      deviceCode,
    };
  }, [edits, profile, deviceCode]);
}
