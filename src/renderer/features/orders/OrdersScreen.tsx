import { NotBuiltYet } from '../../components/NotBuiltYet';
import { Page } from '../../components/Page';
import { OrdersIcon } from '../../components/icons';
import { AREA_LABELS } from '../../app/areas';

export function OrdersScreen() {
  return (
    <Page title={AREA_LABELS.orders} description="Client orders for content and link placements, and the review of suggested sites.">
      <NotBuiltYet
        icon={<OrdersIcon size={28} />}
        planned={[
          'Orders by state, from configuring to completed',
          'One group per client: link count, target pages and anchors',
          'Site review: approve, reject or swap suggested sites, with notes',
          'Writer assignments and each order’s history',
        ]}
      />
    </Page>
  );
}
