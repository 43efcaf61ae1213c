import { Alert, Badge, Button, Text } from '@mantine/core';
import type { ApiCallError } from '../api/client';
import { AlertIcon } from './icons';

interface ApiErrorAlertProps {
  /** Nothing is rendered while this is null. */
  error: ApiCallError | null;
  /** What failed, in words ("Could not load the sync status"). */
  title?: string;
  /** Shows a "Try again" button (e.g. a query's `refetch`). */
  onRetry?: () => void;
}

/** The one inline display of an API error: the error code as a small label and the core's message verbatim. */
export function ApiErrorAlert({ error, title = 'That did not work', onRetry }: ApiErrorAlertProps) {
  if (!error) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<AlertIcon />}
      title={
        <>
          {title}
          <Badge size="xs" variant="outline" color="red" radius="sm" component="span" ml="xs">
            {error.code}
          </Badge>
        </>
      }
    >
      <Text size="sm">
        {error.message}
      </Text>
      {onRetry && (
        <Button size="xs" variant="white" color="red" mt="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Alert>
  );
}
