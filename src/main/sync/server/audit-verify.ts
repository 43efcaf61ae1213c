// Verification of the devices' audit hash chains on the server (admin connection):
// counterbook.verify_audit_chain recomputes every entry's hash in PostgreSQL exactly as
// the device does (src/main/audit/hash-chain.ts), so a row changed on the server by
// raw SQL (the append-only trigger disabled) is found and named, not just a missing one.
import type { AdminTarget } from './db';
import { admin, parse, requireTenant, uuid } from './provision';

/** Why an entry breaks its chain (see counterbook.verify_audit_chain). */
export type ChainBreakReason = 'gap' | 'repeated' | 'deleted' | 'prev_hash' | 'hash';

export interface ServerChainBreak {
  seq: number;
  id: string;
  reason: ChainBreakReason;
  problem: string;
}

export interface ServerDeviceChain {
  /** The device's own id (its store's deviceId, as in the entries). */
  deviceId: string;
  /** "Front till (D01)" when a paired device has this id, else null. */
  deviceName: string | null;
  entries: number;
  /** Entries whole from seq 1 up to the first break. */
  verified: number;
  lastSeq: number;
  ok: boolean;
  firstBreak: ServerChainBreak | null;
}

export interface ServerAuditVerifyResult {
  tenantId: string;
  ok: boolean;
  entries: number;
  devices: ServerDeviceChain[];
  durationMs: number;
}

interface Row {
  device_id: string;
  entries: string;
  verified: string;
  last_seq: string;
  broken_seq: string | null;
  broken_id: string | null;
  reason: ChainBreakReason | null;
  problem: string | null;
}

export async function verifyServerAuditChains(target: AdminTarget, tenantId: string): Promise<ServerAuditVerifyResult> {
  const tenant = parse(uuid, tenantId, 'tenant id');
  const started = Date.now();
  const { rows, names } = await admin(target, async (client) => {
    await requireTenant(client, tenant);
    const chains = (await client.query<Row>('SELECT * FROM counterbook.verify_audit_chain($1::uuid)', [tenant])).rows;
    const paired = await client.query<{ local_id: string; label: string }>(
      "SELECT local_id, name || ' (' || code || ')' AS label FROM counterbook.devices WHERE tenant_id = $1 AND local_id IS NOT NULL",
      [tenant],
    );
    return { rows: chains, names: new Map(paired.rows.map((d) => [d.local_id, d.label])) };
  });
  const devices = rows.map(
    (r): ServerDeviceChain => ({
      deviceId: r.device_id,
      deviceName: names.get(r.device_id) ?? null,
      entries: Number(r.entries),
      verified: Number(r.verified),
      lastSeq: Number(r.last_seq),
      ok: r.reason === null,
      firstBreak: r.reason === null ? null : { seq: Number(r.broken_seq), id: r.broken_id ?? '', reason: r.reason, problem: r.problem ?? r.reason },
    }),
  );
  return {
    tenantId: tenant,
    ok: devices.every((d) => d.ok),
    entries: devices.reduce((n, d) => n + d.entries, 0),
    devices,
    durationMs: Date.now() - started,
  };
}

/** One line for people: "device D [Front till (D01)]: entry seq 12 (id X) its content was changed ...". */
export function describeServerBreak(d: ServerDeviceChain): string {
  const b = d.firstBreak;
  const who = d.deviceName ? `device ${d.deviceId} [${d.deviceName}]` : `device ${d.deviceId}`;
  if (!b) return `${who}: ${d.verified} entries verified (last seq ${d.lastSeq})`;
  return `${who}: entry seq ${b.seq} (id ${b.id}) ${b.problem}; ${d.verified === 1 ? '1 entry before it is' : `${d.verified} entries before it are`} intact`;
}
