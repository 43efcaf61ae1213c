/**
 * Attachment payloads. RxDB 17 hands attachment data to bulkWrite() as a Blob
 * (`_attachments[id].data`); older callers may pass a base64 string. Both are
 * turned into Buffers before the write transaction starts (reading a Blob is
 * asynchronous and a better-sqlite3 transaction must not span an await), and
 * getAttachmentData() returns a Blob again.
 */
import type { BulkWriteRow } from 'rxdb';

export type AttachmentPayload = Blob | string;

/** Reads every attachment payload of the write rows, keyed by the payload object itself. */
export async function readAttachmentPayloads<RxDocType>(
  rows: readonly BulkWriteRow<RxDocType>[],
): Promise<Map<AttachmentPayload, Buffer>> {
  const payloads = new Map<AttachmentPayload, Buffer>();
  const pending: Promise<void>[] = [];
  for (const row of rows) {
    const attachments = row.document._attachments;
    if (!attachments) continue;
    for (const key of Object.keys(attachments)) {
      const data = (attachments[key] as { data?: AttachmentPayload }).data;
      if (data === undefined || payloads.has(data)) continue;
      if (typeof data === 'string') {
        payloads.set(data, Buffer.from(data, 'base64'));
      } else {
        payloads.set(data, Buffer.alloc(0));
        pending.push(data.arrayBuffer().then((ab) => void payloads.set(data, Buffer.from(ab))));
      }
    }
  }
  await Promise.all(pending);
  return payloads;
}

export function hasAttachmentPayloads<RxDocType>(rows: readonly BulkWriteRow<RxDocType>[]): boolean {
  for (const row of rows) {
    const attachments = row.document._attachments;
    if (!attachments) continue;
    for (const key of Object.keys(attachments)) {
      if ((attachments[key] as { data?: unknown }).data !== undefined) return true;
    }
  }
  return false;
}

export function bufferToBlob(data: Buffer, type: string): Blob {
  return new Blob([data], { type });
}
