import { NotBuiltYet } from '../../components/NotBuiltYet';
import { Page } from '../../components/Page';
import { AuditIcon } from '../../components/icons';
import { AREA_LABELS } from '../../app/areas';

export function AuditScreen() {
  return (
    <Page title={AREA_LABELS.audit} description="A tamper-evident record of every change made on this device.">
      <NotBuiltYet
        icon={<AuditIcon size={28} />}
        planned={[
          'Every change: who made it, when and what changed',
          'Verification of the log’s hash chain',
          'Manager overrides on closed days',
        ]}
      />
    </Page>
  );
}
