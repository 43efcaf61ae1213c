import { Stack, Tabs } from '@mantine/core';
import { useCan } from '../../api/session-store';
import { AREA_LABELS } from '../../app/areas';
import { NotBuiltYet } from '../../components/NotBuiltYet';
import { Page } from '../../components/Page';
import { PeopleIcon } from '../../components/icons';
import { ClientManagersSection } from './ClientManagersSection';
import { InvitationsSection } from './InvitationsSection';
import { PeopleTable } from './PeopleTable';

export function PeopleScreen() {
  const canReadPeople = useCan('people.read');
  const canManage = useCan('people.manage');
  return (
    <Page title={AREA_LABELS.people} description="Who works with the business, what they may do, and what they are owed.">
      <Tabs defaultValue={canReadPeople ? 'people' : 'balances'} keepMounted={false}>
        <Tabs.List>
          {canReadPeople && <Tabs.Tab value="people">People</Tabs.Tab>}
          <Tabs.Tab value="balances">Balances</Tabs.Tab>
        </Tabs.List>
        {canReadPeople && (
          <Tabs.Panel value="people" pt="lg">
            <Stack gap="xl">
              <PeopleTable />
              {canManage && <InvitationsSection />}
              <ClientManagersSection />
            </Stack>
          </Tabs.Panel>
        )}
        <Tabs.Panel value="balances" pt="lg">
          <NotBuiltYet
            icon={<PeopleIcon size={28} />}
            planned={['Writer balances (pending, available, total earned) and payouts', 'Manager earnings, from an append-only ledger']}
          />
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
