// The Z report of a register's day as the cashier checks it before closing: takings per
// payment method (sales, refunds, net = what should be there), tax per rate, refunds,
// the invoice and credit note numbers of the day, and expenses.
import type { ReactNode } from 'react';
import { Badge, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { ZReportDto } from '@shared/api/ops/counter-money';
import { PAYMENT_METHODS, type PaymentMethod } from '@shared/schema/fields';
import { methodLabel, percentText } from '../format';
import { Row, useMoney } from './common';

const METHOD_TEST_IDS: Record<PaymentMethod, string> = { cash: 'cash', card: 'card', mobile_money: 'mobile', customer_credit: 'credit' };

function Stat({ label, value, testId, color, accent, children }: { label: string; value: string; testId: string; color?: string; accent?: boolean; children?: ReactNode }) {
  return (
    <div className="cb-m-stat" data-accent={accent || undefined}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" className="cb-m-caps">
        {label}
      </Text>
      <Text fw={750} size="lg" className="cb-num" c={color} data-testid={testId} lh={1.3}>
        {value}
      </Text>
      {children && (
        <Text size="xs" c="dimmed">
          {children}
        </Text>
      )}
    </div>
  );
}

export function ZReportView({ report }: { report: ZReportDto }) {
  const m = useMoney();
  const neg = (minor: number): string => (minor === 0 ? m(0) : `−${m(minor)}`);
  const anyRefund = report.refundsCount > 0;

  return (
    <Stack gap="md" data-testid="z-report">
      <div className="cb-m-stats">
        <Stat label="Sales" value={m(report.salesTotalMinor)} testId="z-sales-total">
          <span data-testid="z-sales-count">
            {report.salesCount} {report.salesCount === 1 ? 'sale' : 'sales'}
            {report.discountsMinor > 0 ? ` · ${m(report.discountsMinor)} discounts` : ''}
          </span>
        </Stat>
        <Stat label="Refunds" value={neg(report.refundsTotalMinor)} testId="z-refunds-total" color={anyRefund ? 'red.8' : undefined}>
          {report.refundsCount} {report.refundsCount === 1 ? 'credit note' : 'credit notes'}
        </Stat>
        <Stat label="Net sales" value={m(report.netSalesMinor)} testId="z-net-sales" accent>
          {report.roundingMinor !== 0 ? `incl. ${m(report.roundingMinor)} cash rounding` : 'sales − refunds'}
        </Stat>
        <Stat label="Net tax" value={m(report.netTaxMinor)} testId="z-net-tax">
          <span data-testid="z-sales-tax">{m(report.salesTaxMinor)}</span> on sales − {m(report.refundsTaxMinor)}
        </Stat>
      </div>
      {report.ignoredSalesCount > 0 && (
        <Text size="xs" c="orange.8">
          {report.ignoredSalesCount} parked or unfinished {report.ignoredSalesCount === 1 ? 'sale is' : 'sales are'} not counted.
        </Text>
      )}

      <Table className="cb-m-table" verticalSpacing={5} withTableBorder aria-label="Takings per payment method">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Payment method</Table.Th>
            <Table.Th className="cb-m-amount">Sales</Table.Th>
            <Table.Th className="cb-m-amount">Refunds</Table.Th>
            <Table.Th className="cb-m-amount">Expected</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {PAYMENT_METHODS.map((method) => {
            const id = METHOD_TEST_IDS[method];
            return (
              <Table.Tr key={method}>
                <Table.Td>
                  <Text size="sm">{method === 'customer_credit' ? 'Customer credit' : methodLabel(method)}</Text>
                </Table.Td>
                <Table.Td className="cb-m-amount" data-testid={`z-${id}-sales`}>
                  {m(report.payments.sales[method])}
                </Table.Td>
                <Table.Td className="cb-m-amount" data-testid={`z-${id}-refunds`}>
                  {neg(report.payments.refunds[method])}
                </Table.Td>
                <Table.Td className="cb-m-amount" data-testid={`z-${id}-net`}>
                  <Text span size="sm" fw={700} className="cb-num">
                    {m(report.payments.net[method])}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>

      {report.taxByRate.length > 0 && (
        <Table className="cb-m-table" verticalSpacing={5} withTableBorder aria-label="Tax per rate">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Tax rate</Table.Th>
              <Table.Th className="cb-m-amount">Taxable</Table.Th>
              <Table.Th className="cb-m-amount">Tax on sales</Table.Th>
              <Table.Th className="cb-m-amount">Refunded</Table.Th>
              <Table.Th className="cb-m-amount">Net tax</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.taxByRate.map((t) => (
              <Table.Tr key={t.rateBp} data-testid={`z-rate-${t.rateBp}`}>
                <Table.Td>{percentText(t.rateBp)}</Table.Td>
                <Table.Td className="cb-m-amount">{m(t.netTaxableMinor)}</Table.Td>
                <Table.Td className="cb-m-amount" data-testid={`z-rate-${t.rateBp}-sales`}>
                  {m(t.salesTaxMinor)}
                </Table.Td>
                <Table.Td className="cb-m-amount" data-testid={`z-rate-${t.rateBp}-refunds`}>
                  {neg(t.refundsTaxMinor)}
                </Table.Td>
                <Table.Td className="cb-m-amount" data-testid={`z-rate-${t.rateBp}-net`}>
                  <Text span size="sm" fw={700} className="cb-num">
                    {m(t.netTaxMinor)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing={4}>
        <Stack gap={2}>
          <Row dim label="First invoice" value={report.invoices.firstNumber ?? '—'} testId="z-first-invoice" />
          <Row dim label="Last invoice" value={report.invoices.lastNumber ?? '—'} testId="z-last-invoice" />
          {(report.creditNotes.firstNumber || report.creditNotes.lastNumber) && (
            <Row dim label="Credit notes" value={report.creditNotes.firstNumber === report.creditNotes.lastNumber ? report.creditNotes.firstNumber : `${report.creditNotes.firstNumber} – ${report.creditNotes.lastNumber}`} />
          )}
          {report.invoices.missingSeqs.length > 0 && (
            <Group gap={4}>
              <Badge color="red" variant="light" size="sm">
                Missing numbers: {report.invoices.missingSeqs.slice(0, 8).join(', ')}
              </Badge>
            </Group>
          )}
        </Stack>
        <Stack gap={2}>
          <Row dim label={`Expenses (${report.expenses.count})`} value={m(report.expenses.cashMinor + report.expenses.otherMinor)} />
          <Row dim label="paid from the drawer" value={m(report.expenses.cashMinor)} />
          <Row dim label="paid otherwise" value={m(report.expenses.otherMinor)} />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
