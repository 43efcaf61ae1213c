import { useMemo, useState, type FormEvent } from 'react';
import { Button, Group, Select, Skeleton, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { fieldError } from '../../api/errors';
import { useApiCall, useApiQuery } from '../../api/hooks';
import { useCan } from '../../api/session-store';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDateTime } from './format';
import { Section } from './Section';

/** Which manager looks after which client (orders domain); admins assign. */
export function ClientManagersSection() {
  const canManage = useCan('people.manage');
  const assignments = useApiQuery('people.clientManagers', {}, { refetchOnData: ['clientManagers', 'users'] });
  const people = useApiQuery('people.list', { includeInactive: true }, { refetchOn: ['data.changed'] });
  const names = useMemo(() => new Map((people.data ?? []).map((p) => [p.id, p.name])), [people.data]);
  const clients = useMemo(() => (people.data ?? []).filter((p) => p.role === 'client' && p.active).map((p) => ({ value: p.id, label: p.email ? `${p.name} (${p.email})` : p.name })), [people.data]);
  const managers = useMemo(() => (people.data ?? []).filter((p) => (p.role === 'manager' || p.role === 'admin') && p.active).map((p) => ({ value: p.id, label: p.name })), [people.data]);

  return (
    <Section id="client-managers-title" title="Client managers" description="Each client has one manager who reviews their orders.">
      <ApiErrorAlert error={assignments.error ?? people.error} title="Could not load the assignments" onRetry={() => {
          assignments.refetch();
          people.refetch();
        }} />
      {canManage && <AssignForm clients={clients} managers={managers} loading={people.loading} />}
      {assignments.loading ? (
        <Skeleton height={60} mt="md" />
      ) : assignments.data?.length === 0 ? (
        <Text size="sm" c="dimmed" mt="md">
          No client has a manager yet.
        </Text>
      ) : (
        assignments.data && (
          <Table verticalSpacing="sm" mt="md" aria-labelledby="client-managers-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>Manager</Table.Th>
                <Table.Th>Since</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assignments.data.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{names.get(a.clientId) ?? 'Unknown client'}</Table.Td>
                  <Table.Td>{names.get(a.managerId) ?? 'Unknown person'}</Table.Td>
                  <Table.Td>{formatDateTime(a.assignedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )
      )}
    </Section>
  );
}

interface Option {
  value: string;
  label: string;
}

function AssignForm({ clients, managers, loading }: { clients: Option[]; managers: Option[]; loading: boolean }) {
  const assign = useApiCall('people.assignClientManager');
  const [clientId, setClientId] = useState<string | null>(null);
  const [managerId, setManagerId] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (!clientId || !managerId) return;
    const out = await assign.run({ clientId, managerId });
    if (out) {
      notifications.show({ color: 'green', title: 'Manager assigned', message: 'The client’s orders now go to this manager.' });
      setClientId(null);
    }
  };

  if (!loading && clients.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No clients yet. Invite a client (role “Client”) to assign them a manager.
      </Text>
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Assign a manager to a client">
      <Group align="flex-end" gap="sm">
        <Select label="Client" placeholder="Pick a client" data={clients} value={clientId} onChange={setClientId} searchable w={280} error={fieldError(assign.error, 'clientId')} />
        <Select label="Manager" placeholder="Pick a manager" data={managers} value={managerId} onChange={setManagerId} searchable w={240} error={fieldError(assign.error, 'managerId')} />
        <Button type="submit" loading={assign.loading} disabled={!clientId || !managerId}>
          Assign
        </Button>
      </Group>
      <ApiErrorAlert error={assign.error} title="Not assigned" />
    </form>
  );
}
