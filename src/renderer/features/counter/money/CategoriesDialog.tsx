// Expense categories (managers): name, colour and keyword rules. A description that
// contains one of a category's keywords gets that category suggested. Archiving hides a
// category from new expenses; old expenses keep it.
import { useState, type FormEvent } from 'react';
import { ActionIcon, Badge, Button, ColorInput, Group, Modal, Paper, Pill, Stack, Switch, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import type { ExpenseCategory } from '@shared/api/ops/counter-money';
import { fieldError } from '../../../api/errors';
import { useApiQuery } from '../../../api/hooks';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { EditIcon, PlusIcon } from '../icons';
import { Empty, Swatch, useCommand } from './common';

const PALETTE = ['#1c8fa0', '#2f9e44', '#e8590c', '#d6336c', '#7048e8', '#1971c2', '#f08c00', '#5c940d', '#868e96', '#c92a2a'];

export function CategoriesDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Expense categories" centered size="lg">
      {opened && <CategoriesManager />}
    </Modal>
  );
}

function CategoriesManager() {
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<ExpenseCategory | 'new' | null>(null);
  const list = useApiQuery('counter.expenseCategories', { includeInactive: true }, { refetchOnData: ['expenseCategories'] });
  const archive = useCommand('counter.expenseCategoryArchive');
  const restore = useCommand('counter.expenseCategorySave');
  const all = list.data ?? [];
  const shown = all.filter((c) => showArchived || c.active);
  const archivedCount = all.filter((c) => !c.active).length;

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        An expense whose description contains one of a category’s keywords gets that category suggested (the cashier can still choose another).
      </Text>
      <Group justify="space-between">
        <Switch label={`Show archived (${archivedCount})`} checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} disabled={archivedCount === 0} />
        {editing === null && (
          <Button size="xs" leftSection={<PlusIcon size={14} />} onClick={() => setEditing('new')}>
            New category
          </Button>
        )}
      </Group>
      {editing === 'new' && <CategoryForm category={null} usedColors={all.map((c) => c.color)} onDone={() => setEditing(null)} />}
      <ApiErrorAlert error={list.error} title="Could not load the categories" onRetry={list.refetch} />
      <ApiErrorAlert error={archive.error ?? restore.error} title="Not changed" />
      <Stack gap={6} role="list" aria-label="Categories">
        {shown.length === 0 && !list.loading && <Empty>No categories yet. Add the first one: “Transport” with the keywords fuel, taxi, matatu…</Empty>}
        {shown.map((c) =>
          editing !== null && editing !== 'new' && editing.id === c.id ? (
            <CategoryForm key={c.id} category={c} usedColors={[]} onDone={() => setEditing(null)} />
          ) : (
            <Paper key={c.id} withBorder radius="md" px="sm" py={8} role="listitem" style={{ opacity: c.active ? 1 : 0.6 }}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
                  <Swatch color={c.color} size={14} />
                  <div style={{ minWidth: 0 }}>
                    <Group gap={6}>
                      <Text size="sm" fw={600}>
                        {c.name}
                      </Text>
                      {!c.active && (
                        <Badge size="xs" color="gray" variant="light">
                          Archived
                        </Badge>
                      )}
                    </Group>
                    <Group gap={4} mt={4}>
                      {c.keywordRules.length === 0 ? (
                        <Text size="xs" c="dimmed">
                          No keywords: never suggested
                        </Text>
                      ) : (
                        c.keywordRules.map((k) => (
                          <Pill key={k} size="xs">
                            {k}
                          </Pill>
                        ))
                      )}
                    </Group>
                  </div>
                </Group>
                <Group gap={4} wrap="nowrap">
                  <Tooltip label="Change">
                    <ActionIcon variant="subtle" color="gray" aria-label={`Change ${c.name}`} onClick={() => setEditing(c)} disabled={editing !== null}>
                      <EditIcon size={16} />
                    </ActionIcon>
                  </Tooltip>
                  {c.active ? (
                    <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void archive.run({ id: c.id })}>
                      Archive
                    </Button>
                  ) : (
                    <Button size="compact-xs" variant="subtle" onClick={() => void restore.run({ id: c.id, name: c.name, color: c.color, keywordRules: c.keywordRules, active: true })}>
                      Restore
                    </Button>
                  )}
                </Group>
              </Group>
            </Paper>
          ),
        )}
      </Stack>
    </Stack>
  );
}

function CategoryForm({ category, usedColors, onDone }: { category: ExpenseCategory | null; usedColors: string[]; onDone: () => void }) {
  const [name, setName] = useState(category?.name ?? '');
  const [color, setColor] = useState(category?.color ?? PALETTE.find((p) => !usedColors.includes(p)) ?? PALETTE[0]!);
  const [keywords, setKeywords] = useState<string[]>(category?.keywordRules ?? []);
  const save = useCommand('counter.expenseCategorySave');

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const out = await save.run({ ...(category ? { id: category.id, active: category.active } : {}), name, color, keywordRules: keywords });
    if (out) onDone();
  };

  return (
    <Paper withBorder radius="md" p="sm" bg="gray.0">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={category ? `Change ${category.name}` : 'New category'}>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(save.error, 'name')} maxLength={80} data-autofocus required />
            <ColorInput label="Colour" value={color} onChange={setColor} format="hex" swatches={PALETTE} swatchesPerRow={10} error={fieldError(save.error, 'color')} />
          </Group>
          <TagsInput
            label="Keywords"
            description="Press Enter after each word. Matching ignores case."
            placeholder={keywords.length === 0 ? 'fuel, taxi, transport' : ''}
            value={keywords}
            onChange={setKeywords}
            splitChars={[',', ';']}
            clearable
            error={fieldError(save.error, 'keywordRules')}
          />
          <ApiErrorAlert error={save.error} title="Not saved" />
          <Group justify="flex-end">
            <Button variant="default" size="xs" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" size="xs" loading={save.loading}>
              {category ? 'Save category' : 'Add category'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
