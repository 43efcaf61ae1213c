import { NotBuiltYet } from '../../components/NotBuiltYet';
import { Page } from '../../components/Page';
import { PeopleIcon } from '../../components/icons';
import { AREA_LABELS } from '../../app/areas';

export function PeopleScreen() {
  return (
    <Page title={AREA_LABELS.people} description="Who works with the business, what they may do, and what they are owed.">
      <NotBuiltYet
        icon={<PeopleIcon size={28} />}
        planned={[
          'People and roles: admin, manager, cashier, writer, client',
          'Invitations and client–manager assignments',
          'Writer balances (pending, available, total earned) and payouts',
          'Manager earnings, from an append-only ledger',
        ]}
      />
    </Page>
  );
}
