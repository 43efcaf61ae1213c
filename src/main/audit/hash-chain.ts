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
 * Checks one device's chain one entry at a time, so a verifier can stream entries in
 * seq order page by page: seq runs 1, 2, 3… with no gap, each entry names the previous
 * entry's hash, and each hash matches its content. `push` returns the first break (and
 * every later push returns that same break).
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = '';
  private broken: ChainBreak | null = null;
  /** Entries checked and found whole. */
  verified = 0;

  get lastSeq(): number {
    return this.expectedSeq - 1;
  }

  get firstBreak(): ChainBreak | null {
    return this.broken;
  }

  push(entry: AuditLogDoc): ChainBreak | null {
    if (this.broken) return this.broken;
    this.broken = this.check(entry);
    if (!this.broken) {
      this.prevHash = entry.hash;
      this.expectedSeq++;
      this.verified++;
    }
    return this.broken;
  }

  /**
   * Records a break found outside the entry itself (an unreadable or deleted row). It
   * replaces a break found so far when it lies at or before it in the chain.
   */
  fail(problem: ChainBreak): void {
    if (!this.broken || problem.seq <= this.broken.seq) this.broken = problem;
  }

  private check(entry: AuditLogDoc): ChainBreak | null {
    const expectedSeq = this.expectedSeq;
    if (entry.seq !== expectedSeq) {
      return { seq: entry.seq, id: entry.id, problem: entry.seq > expectedSeq ? `entries ${expectedSeq}..${entry.seq - 1} are missing` : `seq ${entry.seq} appears again` };
    }
    if (entry.prevHash !== this.prevHash) return { seq: entry.seq, id: entry.id, problem: 'does not point at the previous entry (prevHash differs)' };
    const { hash, ...rest } = entry;
    let actual: string;
    try {
      actual = hashAuditEntry(rest);
    } catch {
      return { seq: entry.seq, id: entry.id, problem: 'its content cannot be hashed (a field holds an impossible value)' };
    }
    if (actual !== hash) return { seq: entry.seq, id: entry.id, problem: 'its content was changed after it was written (hash mismatch)' };
    return null;
  }
}

/**
 * Walks one device's entries in seq order (see ChainVerifier). Returns the first
 * break, or null when the chain is whole.
 */
export function verifyChain(entries: Iterable<AuditLogDoc>): ChainBreak | null {
  const verifier = new ChainVerifier();
  for (const entry of entries) if (verifier.push(entry)) break;
  return verifier.firstBreak;
}
