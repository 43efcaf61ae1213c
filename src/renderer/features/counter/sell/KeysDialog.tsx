// Every key of the Sell tab, one line each.
import { Kbd, Modal, Table } from '@mantine/core';
import { shortcutText } from '../Shortcut';
import { KEYBOARD } from './keys';

export function KeysDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keys of the Sell tab" size="lg" centered>
      <Table verticalSpacing={6} aria-label="Keys">
        <Table.Tbody>
          {KEYBOARD.map((k) => (
            <Table.Tr key={k.keys}>
              <Table.Td w={170} style={{ whiteSpace: 'nowrap' }}>
                <Kbd size="sm">{shortcutText(k.keys)}</Kbd>
              </Table.Td>
              <Table.Td fz="sm">{k.what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
