// CSV and XLSX exports of sales, sale lines, expenses or customer credit for a range of
// days, with a progress bar fed by the core's 'export.progress' events. When done: a
// download link (browser host) and the file's path (the Electron app opens it from there).
import { useState } from 'react';
import { Anchor, Button, CopyButton, Group, Paper, Progress, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { EXPORT_KINDS, type ExportResult } from '@shared/api/ops/counter-money';
import { newId } from '@shared/ids';
import { api } from '../../../api/client';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { CheckIcon } from '../icons';
import { Panel, useCommand } from './common';
import { exportDownloadUrl } from './download';
import type { Period } from './PeriodPicker';

type Kind = (typeof EXPORT_KINDS)[number];

const KIND_LABELS: Record<Kind, string> = {
  sales: 'Sales and credit notes (one row each)',
  sale_lines: 'Sale lines (one row per item sold)',
  expenses: 'Expenses',
  credit: 'Customer credit entries',
};

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ExportPanel({ period, today }: { period: Period; today: string }) {
  const [kind, setKind] = useState<Kind>('sales');
  const [format, setFormat] = useState<'csv' | 'xlsx'>('xlsx');
  const [range, setRange] = useState<Period | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const run = useCommand('counter.export');
  const from = range?.from ?? period.from;
  const to = range?.to ?? period.to;

  const start = async (): Promise<void> => {
    const id = newId();
    setResult(null);
    setProgress(null);
    setRunning(id);
    // Listening before the command is sent, so no progress event is missed.
    const off = api().on('export.progress', (p) => {
      if (p.id === id) setProgress({ done: p.done, total: p.total });
    });
    try {
      const out = await run.run({ kind, format, from, to, id });
      if (out) {
        setResult(out);
        setProgress((p) => (p ? { done: p.total, total: p.total } : null));
      }
    } finally {
      off();
      setRunning(null);
    }
  };

  const url = result ? exportDownloadUrl(result.fileName) : null;
  const pct = progress && progress.total > 0 ? Math.min(100, (100 * progress.done) / progress.total) : running ? 5 : result ? 100 : 0;

  return (
    <Panel id="export" title="Export" description="A file for the accountant or a spreadsheet, written on this device.">
      <Stack gap="sm">
        <Group grow align="flex-end" gap="sm">
          <Select label="What" data={EXPORT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} value={kind} onChange={(v) => v && setKind(v as Kind)} allowDeselect={false} />
          <div>
            <Text size="sm" fw={500} mb={4} id="export-format">
              Format
            </Text>
            <SegmentedControl
              fullWidth
              aria-labelledby="export-format"
              value={format}
              onChange={(v) => setFormat(v === 'csv' ? 'csv' : 'xlsx')}
              data={[
                { value: 'xlsx', label: 'Excel (XLSX)' },
                { value: 'csv', label: 'CSV' },
              ]}
            />
          </div>
        </Group>
        <Group align="flex-end" gap="sm">
          <TextInput type="date" label="From" value={from} max={to} onChange={(e) => e.currentTarget.value && setRange({ from: e.currentTarget.value, to })} w={160} />
          <TextInput type="date" label="To" value={to} min={from} max={today} onChange={(e) => e.currentTarget.value && setRange({ from, to: e.currentTarget.value })} w={160} />
          {range && (
            <Button variant="subtle" size="xs" mb={6} onClick={() => setRange(null)}>
              Use the period above
            </Button>
          )}
          <Button ml="auto" onClick={() => void start()} loading={!!running} disabled={from > to}>
            Export
          </Button>
        </Group>
        {(running || result) && (
          <Stack gap={4}>
            <Progress value={pct} animated={!!running} aria-label="Export progress" size="md" radius="xl" color={result ? 'green' : undefined} />
            <Text size="xs" c="dimmed" role="status">
              {running ? (progress ? `${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} rows…` : 'Starting…') : result ? `${result.rows.toLocaleString()} rows · ${sizeText(result.sizeBytes)}` : ''}
            </Text>
          </Stack>
        )}
        <ApiErrorAlert error={run.error} title="Not exported" />
        {result && (
          <Paper withBorder radius="md" p="sm" bg="green.0" data-testid="export-done">
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                <CheckIcon size={18} />
                <Text size="sm" fw={600} truncate>
                  {result.fileName}
                </Text>
              </Group>
              {url && (
                <Button component="a" href={url} download={result.fileName} size="xs">
                  Download
                </Button>
              )}
            </Group>
            <Group gap={6} mt={6} wrap="nowrap">
              <Text size="xs" c="dimmed" ff="monospace" truncate title={result.path}>
                {result.path}
              </Text>
              <CopyButton value={result.path}>
                {({ copied, copy }) => (
                  <Anchor component="button" type="button" size="xs" onClick={copy}>
                    {copied ? 'Copied' : 'Copy path'}
                  </Anchor>
                )}
              </CopyButton>
            </Group>
          </Paper>
        )}
      </Stack>
    </Panel>
  );
}
