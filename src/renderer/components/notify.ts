import { notifications } from '@mantine/notifications';
import type { ApiCallError } from '../api/client';

/** Shows an unexpected API error as a notification: the code as the title, the core's message verbatim. */
export function notifyApiError(error: ApiCallError): void {
  notifications.show({
    color: 'red',
    title: `Something went wrong (${error.code})`,
    message: error.message,
    autoClose: 10_000,
  });
}
