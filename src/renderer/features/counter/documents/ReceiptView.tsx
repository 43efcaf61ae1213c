// A receipt (sale or credit note) as the thermal printer will print it: the core's text
// layout for 58 mm (32 columns) or 80 mm (48 columns), with Print and Invoice PDF.
import { useEffect, useImperativeHandle, useState, type Ref } from 'react';
import { Button, Group, Paper, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { toApiCallError } from '../../../api/errors';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { notifyApiError } from '../../../components/notify';
import { useReceipt } from './receipt-fetch';
import { downloadInvoicePdf, printReceipt, savedReceiptWidth, saveReceiptWidth, type DocumentRef, type ReceiptWidth } from './print';
import { PdfIcon, PrintIcon } from '../icons';
import { Shortcut } from '../Shortcut';

export interface ReceiptHandle {
  print: () => void;
  pdf: () => void;
}

interface ReceiptViewProps {
  doc: DocumentRef;
  /** Lets a parent print from a keyboard shortcut. */
  handle?: Ref<ReceiptHandle>;
  /** Shows "Ctrl+P" on the Print button. */
  printShortcut?: boolean;
  /** Label for the PDF button ("Invoice PDF", "Credit note PDF"). */
  pdfLabel?: string;
}

export function ReceiptView({ doc, handle, printShortcut, pdfLabel = 'Invoice PDF' }: ReceiptViewProps) {
  const [width, setWidth] = useState<ReceiptWidth>(savedReceiptWidth);
  const receipt = useReceipt(doc, width);
  const [pdfBusy, setPdfBusy] = useState(false);
  const text = receipt.data?.columns === (width === 58 ? 32 : 48) ? receipt.data.text : undefined;

  const print = (): void => {
    if (text) printReceipt(text, width);
  };
  const pdf = (): void => {
    setPdfBusy(true);
    downloadInvoicePdf(doc)
      .catch((e: unknown) => notifyApiError(toApiCallError(e)))
      .finally(() => setPdfBusy(false));
  };
  useImperativeHandle(handle, () => ({ print, pdf }));

  useEffect(() => saveReceiptWidth(width), [width]);

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs">
        <SegmentedControl
          size="xs"
          aria-label="Paper width"
          value={String(width)}
          onChange={(v) => setWidth(v === '58' ? 58 : 80)}
          data={[
            { value: '58', label: '58 mm' },
            { value: '80', label: '80 mm' },
          ]}
        />
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" variant="default" leftSection={<PrintIcon size={16} />} onClick={print} disabled={!text} data-testid="receipt-print">
            Print{printShortcut && <Shortcut keys="Ctrl+P" ml={6} />}
          </Button>
          <Button size="xs" variant="default" leftSection={<PdfIcon size={16} />} onClick={pdf} loading={pdfBusy}>
            {pdfLabel}
          </Button>
        </Group>
      </Group>
      <ApiErrorAlert error={receipt.error} title="Could not make the receipt" onRetry={receipt.refetch} />
      <Paper className="cb-receipt-paper" data-width={width} shadow="sm" radius={2} withBorder aria-label={`Receipt, ${width} mm`} role="document">
        {text ? (
          <pre className="cb-receipt-text" data-testid="receipt-text">
            {text}
          </pre>
        ) : (
          <Stack gap={6} p="xs">
            <Skeleton height={10} />
            <Skeleton height={10} width="70%" />
            <Skeleton height={10} width="85%" />
          </Stack>
        )}
      </Paper>
      <Text size="xs" c="dimmed" ta="center">
        As printed on a {width} mm thermal printer ({width === 58 ? 32 : 48} characters a line).
      </Text>
    </Stack>
  );
}
