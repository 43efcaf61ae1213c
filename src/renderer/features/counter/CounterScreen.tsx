import { NotBuiltYet } from '../../components/NotBuiltYet';
import { Page } from '../../components/Page';
import { CounterIcon } from '../../components/icons';
import { AREA_LABELS } from '../../app/areas';

export function CounterScreen() {
  return (
    <Page title={AREA_LABELS.counter} description="Sales at the shop counter, the cash drawer and the day close.">
      <NotBuiltYet
        icon={<CounterIcon size={28} />}
        planned={[
          'Ring up sales: lines, discounts, tax and split payments',
          'Receipts and invoices, numbered per device without gaps',
          'Refunds and voids as credit notes',
          'Customer credit, repayments and reminders',
          'Expenses by category',
          'Drawer counts and the day close (Z report)',
        ]}
      />
    </Page>
  );
}
