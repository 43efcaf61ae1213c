import { NotBuiltYet } from '../../components/NotBuiltYet';
import { Page } from '../../components/Page';
import { BackupsIcon } from '../../components/icons';
import { AREA_LABELS } from '../../app/areas';

export function BackupsScreen() {
  return (
    <Page title={AREA_LABELS.backups} description="Copies of this device’s data, kept locally.">
      <NotBuiltYet
        icon={<BackupsIcon size={28} />}
        planned={[
          'Back up the local store now or on a schedule',
          'Restore from a backup',
          'Export data',
        ]}
      />
    </Page>
  );
}
