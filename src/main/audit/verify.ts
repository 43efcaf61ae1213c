// Verification of every device's hash chain in this store. Streams the audit table in
// (deviceId, seq) order, one bounded page at a time, so a log of millions of entries is
// checked in constant memory and the core keeps answering calls between pages.
import type { AuditLogDoc } from '@shared/schema';
import { ChainVerifier, type ChainBreak } from './hash-chain';
import type { AuditTable } from './audit-table';

export interface DeviceChainResult {
  deviceId: string;
  /** Entries found for the device (whole or not). */
  entries: number;
  /** Entries checked and found whole, from seq 1. */
  verified: number;
  /** Highest seq seen. */
  lastSeq: number;
  ok: boolean;
  /** The first broken entry, when not ok. */
  firstBreak: ChainBreak | null;
}

export interface VerifyResult {
  ok: boolean;
  devices: DeviceChainResult[];
  entries: number;
  checkedAt: number;
  durationMs: number;
}

export interface VerifyOptions {
  pageSize?: number;
  /** Called between pages (entries seen so far). */
  onProgress?: (entries: number) => void;
  clock?: () => number;
}

const DEFAULT_PAGE = 1000;

interface DeviceState {
  verifier: ChainVerifier;
  entries: number;
  lastSeq: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function verifyAuditLog(table: AuditTable, options: VerifyOptions = {}): Promise<VerifyResult> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const devices = new Map<string, DeviceState>();
  const device = (id: string): DeviceState => {
    let state = devices.get(id);
    if (!state) devices.set(id, (state = { verifier: new ChainVerifier(), entries: 0, lastSeq: 0 }));
    return state;
  };

  let current: string | null = null;
  let afterKey: string | undefined;
  let total = 0;
  // Rows come in key order: device by device, seq ascending within a device.
  for (;;) {
    const page = table.scan('chain', { equal: [] }, { direction: 'asc', afterKey, limit: pageSize });
    if (page.length === 0) break;
    for (const row of page) {
      total++;
      const doc = row.doc;
      if (!doc || typeof doc.deviceId !== 'string') {
        // Unreadable JSON: charge it to the device whose rows surround it.
        const state = device(current ?? '(unknown device)');
        state.entries++;
        state.verifier.fail({ seq: state.verifier.lastSeq + 1, id: row.rowId, problem: 'its stored row cannot be read (the JSON in the SQLite file was damaged or edited)' });
        continue;
      }
      if (doc.deviceId !== current) {
        if (current !== null && devices.has(doc.deviceId)) {
          // The device's run ended earlier: this row sits among another device's entries.
          const state = device(doc.deviceId);
          state.entries++;
          state.verifier.fail({ seq: doc.seq, id: doc.id, problem: 'it is stored out of place (its device or position was edited)' });
          continue;
        }
        current = doc.deviceId;
      }
      const state = device(doc.deviceId);
      state.entries++;
      if (typeof doc.seq === 'number' && doc.seq > state.lastSeq) state.lastSeq = doc.seq;
      state.verifier.push(doc as AuditLogDoc);
    }
    afterKey = page[page.length - 1]!.key;
    options.onProgress?.(total);
    if (page.length < pageSize) break;
    await yieldToEventLoop();
  }

  // The log is append-only: a tombstone means someone deleted an entry.
  for (const row of table.tombstones(100)) {
    const doc = row.doc;
    const state = device(doc?.deviceId ?? current ?? '(unknown device)');
    const seq = typeof doc?.seq === 'number' ? doc.seq : state.verifier.lastSeq + 1;
    // A deleted entry explains the gap it leaves better than "entries n..m are missing".
    state.verifier.fail({ seq, id: doc?.id ?? row.rowId, problem: 'it was deleted (the audit log is append-only)' });
  }

  const results: DeviceChainResult[] = [...devices.entries()]
    .map(([deviceId, s]) => ({
      deviceId,
      entries: s.entries,
      verified: s.verifier.verified,
      lastSeq: s.lastSeq,
      ok: s.verifier.firstBreak === null,
      firstBreak: s.verifier.firstBreak,
    }))
    .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  return { ok: results.every((r) => r.ok), devices: results, entries: total, checkedAt: started, durationMs: clock() - started };
}

/** One line for people: "device D: entry 12 (id X) was deleted". */
export function describeBreak(deviceId: string, b: ChainBreak): string {
  return `device ${deviceId}: entry seq ${b.seq} (id ${b.id}) ${b.problem}`;
}
