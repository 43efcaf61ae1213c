import { useMemo } from 'react';
import { Alert, Input, SegmentedControl, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import type { ShopProfile } from '@shared/api/ops/settings';
import { formatMoney, isCurrencyCode, minorPerMajor, taxExclusive, taxInclusive } from '@shared/money';
import { AlertIcon } from '../../components/icons';
import { currencyOptions } from '../auth/setup-options';
import { amountTextToMinor, bpToPercentText, cashRoundingChoices, minorToAmountText, percentTextToBp, safeExponent } from './convert';
import { SectionCard } from './SectionCard';
import type { FieldErrors, SectionForm } from './useSectionForm';
import { useProfileSection, type ProfileSectionProps, type ProfileUpdate } from './useProfileSection';

interface MoneyValues {
  currency: string;
  taxMode: ShopProfile['taxMode'];
  /** A percentage as typed ("16", "8.25"). */
  defaultTaxRateBp: string;
  /** Minor units, as the Select's value. */
  cashRoundingMinor: string;
  /** A percentage as typed. */
  discountLimitBp: string;
  /** An amount in the currency as typed; "" for no limit. */
  refundLimitMinor: string;
}

const fromProfile = (p: ShopProfile): MoneyValues => ({
  currency: p.currency,
  taxMode: p.taxMode,
  defaultTaxRateBp: bpToPercentText(p.defaultTaxRateBp),
  cashRoundingMinor: String(p.cashRoundingMinor),
  discountLimitBp: bpToPercentText(p.discountLimitBp),
  refundLimitMinor: minorToAmountText(p.refundLimitMinor, p.currency),
});

function toUpdate(v: MoneyValues): { update: ProfileUpdate; errors: FieldErrors<MoneyValues> } {
  const errors: FieldErrors<MoneyValues> = {};
  const update: ProfileUpdate = { currency: v.currency, taxMode: v.taxMode, cashRoundingMinor: Number(v.cashRoundingMinor) };
  const rate = percentTextToBp(v.defaultTaxRateBp, 'tax rate');
  if (rate.ok) update.defaultTaxRateBp = rate.value;
  else errors.defaultTaxRateBp = rate.error;
  const discount = percentTextToBp(v.discountLimitBp, 'discount limit');
  if (discount.ok) update.discountLimitBp = discount.value;
  else errors.discountLimitBp = discount.error;
  const refund = amountTextToMinor(v.refundLimitMinor, v.currency);
  if (refund.ok) update.refundLimitMinor = refund.value;
  else errors.refundLimitMinor = refund.error;
  return { update, errors };
}

/** "A price of 100.00 KES: the customer pays 100.00, of which 13.79 is tax." */
function taxExample(currency: string, mode: MoneyValues['taxMode'], rateText: string): string {
  const rate = percentTextToBp(rateText);
  if (!rate.ok || !isCurrencyCode(currency)) return '';
  const price = 100 * minorPerMajor(currency);
  const fmt = (minor: number): string => formatMoney({ amountMinor: minor, currency }, 'en', { currencyDisplay: 'code' });
  if (rate.value === 0) return `At 0% no tax is charged: a price of ${fmt(price)} is what the customer pays.`;
  return mode === 'inclusive'
    ? `A price of ${fmt(price)}: the customer pays ${fmt(price)}, of which ${fmt(taxInclusive(price, rate.value))} is tax.`
    : `A price of ${fmt(price)}: the customer pays ${fmt(price + taxExclusive(price, rate.value))}, including ${fmt(taxExclusive(price, rate.value))} tax.`;
}

const MODE_SENTENCE: Record<MoneyValues['taxMode'], string> = {
  inclusive: 'Prices already include tax; receipts show how much of the total is tax.',
  exclusive: 'Prices are before tax; tax is added on top at checkout.',
};

export function MoneySection(props: ProfileSectionProps) {
  const { form, loading } = useProfileSection('money', props, fromProfile, toUpdate, 'The money and tax settings were saved.');
  const currencies = useMemo(() => {
    const list = currencyOptions();
    return list.some((c) => c.value === props.profile.currency) ? list : [{ value: props.profile.currency, label: props.profile.currency }, ...list];
  }, [props.profile.currency]);
  const { values, set, errorOf } = form;
  const rounding = useMemo(() => cashRoundingChoices(values.currency, props.profile.cashRoundingMinor), [values.currency, props.profile.cashRoundingMinor]);
  const rate = percentTextToBp(values.defaultTaxRateBp);
  const decimals = safeExponent(values.currency);

  return (
    <SectionCard
      id="settings-money"
      title="Money and tax"
      description="The currency, how tax is charged, and how far a cashier may go without a manager."
      form={form as SectionForm<object>}
      loading={loading}
      saveLabel="Save money and tax"
      editable={props.editable}
    >
      <Select
        label="Currency"
        description="Every price, total and balance is kept in this currency."
        data={currencies}
        searchable
        allowDeselect={false}
        nothingFoundMessage="No such currency in the list"
        value={values.currency}
        onChange={(v) => v && set('currency', v)}
        error={errorOf('currency')}
        maw={420}
      />
      {values.currency !== props.profile.currency && (
        <Alert color="orange" variant="light" icon={<AlertIcon />} title="Existing amounts are not converted">
          Prices, sales and balances keep their numbers; only the currency code changes. Change it only before the shop starts selling.
        </Alert>
      )}

      <Input.Wrapper label="Prices" description={MODE_SENTENCE[values.taxMode]} error={errorOf('taxMode')} inputWrapperOrder={['label', 'input', 'description', 'error']}>
        <SegmentedControl
          mt={6}
          mb={6}
          display="flex"
          maw={420}
          aria-label="Prices"
          value={values.taxMode}
          onChange={(v) => set('taxMode', v as MoneyValues['taxMode'])}
          data={[
            { value: 'inclusive', label: 'Include tax' },
            { value: 'exclusive', label: 'Exclude tax' },
          ]}
          disabled={!props.editable}
        />
      </Input.Wrapper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <TextInput
          label="Default tax rate"
          description={rate.ok ? `${bpToPercentText(rate.value)}% is stored as ${rate.value} basis points.` : 'A percentage such as 16 or 8.25 (at most 2 decimals).'}
          inputMode="decimal"
          autoComplete="off"
          rightSection={<Text size="sm" c="dimmed">%</Text>}
          value={values.defaultTaxRateBp}
          onChange={(e) => set('defaultTaxRateBp', e.currentTarget.value)}
          error={errorOf('defaultTaxRateBp')}
        />
        <Select
          label="Cash rounding"
          description="Cash totals are rounded to coins that exist; card payments stay exact."
          data={rounding}
          allowDeselect={false}
          value={values.cashRoundingMinor}
          onChange={(v) => v && set('cashRoundingMinor', v)}
          error={errorOf('cashRoundingMinor')}
        />
      </SimpleGrid>
      {taxExample(values.currency, values.taxMode, values.defaultTaxRateBp) && (
        <Text size="sm" c="dimmed" mt={-6}>
          {taxExample(values.currency, values.taxMode, values.defaultTaxRateBp)}
        </Text>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <TextInput
          label="Discount limit"
          description="The largest discount a cashier may give on a line without a manager."
          inputMode="decimal"
          autoComplete="off"
          rightSection={<Text size="sm" c="dimmed">%</Text>}
          value={values.discountLimitBp}
          onChange={(e) => set('discountLimitBp', e.currentTarget.value)}
          error={errorOf('discountLimitBp')}
        />
        <TextInput
          label="Refund limit"
          description="Larger refunds need a manager. Leave empty for no limit."
          inputMode="decimal"
          autoComplete="off"
          placeholder={decimals > 0 ? `e.g. 2000.${'0'.repeat(decimals)}` : 'e.g. 2000'}
          rightSection={<Text size="xs" c="dimmed">{values.currency}</Text>}
          rightSectionWidth={48}
          value={values.refundLimitMinor}
          onChange={(e) => set('refundLimitMinor', e.currentTarget.value)}
          error={errorOf('refundLimitMinor')}
        />
      </SimpleGrid>
    </SectionCard>
  );
}
