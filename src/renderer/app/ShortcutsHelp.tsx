import type { ReactNode } from 'react';
import { Kbd, Modal, Table, Text } from '@mantine/core';
import { AREA_LABELS, areaDigit, type AreaId } from './areas';
import { areaShortcutLabel } from './shortcuts';

interface ShortcutsHelpProps {
  /** The areas the signed-in person can open. */
  areas: readonly AreaId[];
  opened: boolean;
  onClose: () => void;
}

function Keys({ keys }: { keys: string[] }) {
  return (
    <>
      {keys.map((key, i) => (
        <span key={key}>
          {i > 0 && ' '}
          <Kbd size="sm">{key}</Kbd>
        </span>
      ))}
    </>
  );
}

function Row({ keys, children }: { keys: ReactNode; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{keys}</Table.Td>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** The "Keyboard shortcuts" dialog (F1, or ? outside a text field). */
export function ShortcutsHelp({ areas, opened, onClose }: ShortcutsHelpProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="md" centered>
      <Table verticalSpacing={6} withRowBorders={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Keys</Table.Th>
            <Table.Th>Does</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {areas.map((id) => (
            <Row key={id} keys={<Keys keys={[areaShortcutLabel(areaDigit(id)).label]} />}>
              Open {AREA_LABELS[id]}
            </Row>
          ))}
          <Row keys={<Keys keys={['F1']} />}>Show these shortcuts</Row>
          <Row keys={<Keys keys={['?']} />}>Show these shortcuts (outside a text field; on Sell, keys go to the search box, so use F1)</Row>
          <Row keys={<Keys keys={['Esc']} />}>Close a dialog</Row>
          <Row keys={<Keys keys={['Tab', 'Shift+Tab']} />}>Move between controls</Row>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="md">
        The area shortcuts also work while typing in a field. Use the number row above the letters, not the numeric keypad.
      </Text>
    </Modal>
  );
}
