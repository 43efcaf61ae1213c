import { useState, type FormEvent } from 'react';
import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useApiCall } from '../../api/hooks';
import { fieldError } from '../../api/errors';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDuration } from '../../lib/time';

interface PingResult {
  message: string;
  roundTripMs: number;
}

/** Sends a message to the core and shows the echo and the round-trip time. */
export function PingForm() {
  const ping = useApiCall('system.ping');
  const [message, setMessage] = useState('Hello from the counter');
  const [result, setResult] = useState<PingResult | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setResult(null);
    const started = performance.now();
    const output = await ping.run({ message });
    if (output) setResult({ message: output.message, roundTripMs: performance.now() - started });
  };

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="ping-title">
      <Title order={2} size="h4" id="ping-title">
        Check the connection to the core
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">
        Sends a message to the core, which echoes it back with the round-trip time.
      </Text>
      {/* No maxLength: the core's own limit (200 characters) must be able to answer. */}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
        <TextInput
          label="Message"
          description={`${message.length} / 200 characters`}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          value={message}
          onChange={(event) => setMessage(event.currentTarget.value)}
          error={fieldError(ping.error, 'message')}
        />
        <Group>
          <Button type="submit" loading={ping.loading}>
            Send ping
          </Button>
        </Group>
        <ApiErrorAlert error={ping.error} title="The core refused the message" />
        {result && (
          <Text size="sm" role="status">
            The core echoed{' '}
            <Text span fw={600}>
              “{result.message}”
            </Text>{' '}
            in{' '}
            <Text span fw={600}>
              {formatDuration(result.roundTripMs)}
            </Text>{' '}
            round trip.
          </Text>
        )}
        </Stack>
      </form>
    </Paper>
  );
}
