import { SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { OpInput, OpOutput } from '@shared/api/contract';
import { useApiCall } from '../../api/hooks';
import { AboutDeviceCard } from './AboutDeviceCard';
import { PingForm } from './PingForm';
import { SectionCard } from './SectionCard';
import { useSectionForm, type FieldErrors, type SectionForm } from './useSectionForm';

type DeviceInfo = OpOutput<'settings.device'>;
type DeviceUpdate = OpInput<'settings.updateDevice'>;

interface DeviceValues {
  name: string;
  code: string;
}

const fromDevice = (d: DeviceInfo): DeviceValues => ({ name: d.name ?? '', code: d.code ?? '' });

const toUpdate = (v: DeviceValues): { update: DeviceUpdate; errors: FieldErrors<DeviceValues> } => ({
  update: { name: v.name, code: v.code.trim() },
  errors: {},
});

interface DeviceSectionProps {
  device: DeviceInfo;
  onSaved: (device: DeviceInfo) => void;
  editable: boolean;
  /** Paired devices get their code from the server. */
  paired: boolean;
}

export function DeviceSection({ device, onSaved, editable, paired }: DeviceSectionProps) {
  const call = useApiCall('settings.updateDevice');
  const form = useSectionForm({
    section: 'device',
    base: device,
    fromBase: fromDevice,
    toUpdate,
    run: call.run,
    error: call.error,
    reset: call.reset,
    onSaved,
    savedMessage: 'This device’s name and code were saved.',
  });
  const { values, set, errorOf } = form;
  return (
    <Stack gap="lg">
      <SectionCard
        id="settings-device"
        title="This device"
        description="How this computer appears in the audit log and in its invoice numbers. Other devices have their own."
        form={form as SectionForm<object>}
        loading={call.loading}
        saveLabel="Save device"
        editable={editable}
      >
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <TextInput label="Device name" description="e.g. Front counter, Office laptop" required value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errorOf('name')} />
          <TextInput
            label="Invoice-series code"
            description={
              paired
                ? 'Assigned by the server when this device was paired'
                : '1 to 4 capital letters or digits; fixed after the first invoice'
            }
            required
            autoComplete="off"
            spellCheck={false}
            readOnly={paired}
            value={values.code}
            onChange={(e) => set('code', e.currentTarget.value.toUpperCase())}
            error={errorOf('code')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        </SimpleGrid>
      </SectionCard>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <AboutDeviceCard />
        <PingForm />
      </SimpleGrid>
    </Stack>
  );
}
