import { createHash } from 'node:crypto';
import type { AuditLogDoc } from '@shared/schema';
import { canonicalJson } from './canonical-json';

/**
 * The fields an entry's hash covers: everything but the hash itself. The server's
 * verifier rebuilds the same object from its columns, so this list is the format.
 */
export const HASHED_FIELDS = [
  'id',
  'createdAt',
  'updatedAt',
  'deviceId',
  'seq',
  'at',
  'userId',
  'appVersion',
  'action',
  'resourceType',
  'resourceId',
  'diff',
  'reason',
  'overrideBy',
  'prevHash',
] as const;

export type UnhashedAuditEntry = Omit<AuditLogDoc, 'hash'>;

export function hashAuditEntry(entry: UnhashedAuditEntry): string {
  const subject: Record<string, unknown> = {};
  for (const field of HASHED_FIELDS) subject[field] = entry[field as keyof UnhashedAuditEntry];
  return createHash('sha256').update(canonicalJson(subject)).digest('hex');
}

export interface ChainBreak {
  seq: number;
  id: string;
  problem: string;
}

/**
 * Walks one device's entries in seq order: seq runs 1, 2, 3… with no gap, each entry
 * names the previous entry's hash, and each hash matches its content. Returns the
 * first break, or null when the chain is whole.
 */
export function verifyChain(entries: Iterable<AuditLogDoc>): ChainBreak | null {
  let expectedSeq = 1;
  let prevHash = '';
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return { seq: entry.seq, id: entry.id, problem: entry.seq > expectedSeq ? `entries ${expectedSeq}..${entry.seq - 1} are missing` : `seq ${entry.seq} appears again` };
    }
    if (entry.prevHash !== prevHash) return { seq: entry.seq, id: entry.id, problem: 'does not point at the previous entry (prevHash differs)' };
    const { hash, ...rest } = entry;
    if (hashAuditEntry(rest) !== hash) return { seq: entry.seq, id: entry.id, problem: 'its content was changed after it was written (hash mismatch)' };
    prevHash = hash;
    expectedSeq++;
  }
  return null;
}
