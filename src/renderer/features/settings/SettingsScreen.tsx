import { SimpleGrid } from '@mantine/core';
import { AREA_LABELS } from '../../app/areas';
import { Page } from '../../components/Page';
import { AboutDeviceCard } from './AboutDeviceCard';
import { PingForm } from './PingForm';

export function SettingsScreen() {
  return (
    <Page title={AREA_LABELS.settings} description="This device and its connection to the core. Shop settings come later.">
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <AboutDeviceCard />
        <PingForm />
      </SimpleGrid>
    </Page>
  );
}
