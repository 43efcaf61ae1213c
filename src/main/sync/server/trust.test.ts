// The server half of the trust layer on a real PostgreSQL: the audit log is
// append-only for every role, the server recomputes the devices' hash chains exactly
// (a property test against the device's own hashing), and push refuses changes of a
// closed day with a reason, while the closing device's own earlier rows and manager
// overrides pass.
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@shared/ids';
import type { AuditLogDoc } from '@shared/schema';
import { newTestTenant, startSyncTestServer, withAdmin, type SyncTestServer } from '../../../../test-support/sync-server';
import { hashAuditEntry, type UnhashedAuditEntry } from '../../audit/hash-chain';
import { dayClose, drawerMovement, expense, sale } from '../../locks/test-fixtures';
import { addProducts, lineOf, startCounterKit } from '../../counter/sales/test-kit';
import { stripMeta } from '../client/merge';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_LOCKED_COLLECTIONS } from '../../locks/day-locks';
import { findMigrationsDir } from './migrate';
import { PUSH_SQL, type PushResult, type PushRow } from './protocol';
import { createPairingCode, deviceConnectionString, redeemPairingCode } from './provision';
import { verifyServerAuditChains } from './audit-verify';

let server: SyncTestServer;
beforeAll(async () => {
  server = await startSyncTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const clients: pg.Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
});

interface Dev {
  localId: string;
  client: pg.Client;
}

/** Pairs a device whose own (store) id is `localId` and connects it. */
async function device(url: string, tenant: string, localId: string, name: string): Promise<Dev> {
  const { code } = await createPairingCode(url, tenant, name);
  const credential = await redeemPairingCode(url, code, { localDeviceId: localId });
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({ connectionString: deviceConnectionString(url, credential) });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return { localId, client };
}

let batches = 0;
async function push(dev: Dev, rows: PushRow[]): Promise<PushResult> {
  const r = await dev.client.query<{ result: PushResult }>(PUSH_SQL, [JSON.stringify({ batchId: `t${++batches}`, rows })]);
  return r.rows[0]!.result;
}

let revisions = 0;
function row(collection: string, doc: Record<string, unknown>, baseRevision: string | null = null, deleted = false): PushRow {
  return { collection, id: doc.id as string, revision: `${++revisions}-r`, baseRevision, deleted, doc };
}

// ---------------------------------------------------------------------------
// Audit entries

function chain(deviceId: string, count: number, start = 1_763_800_000_000): AuditLogDoc[] {
  const out: AuditLogDoc[] = [];
  let prevHash = '';
  for (let seq = 1; seq <= count; seq++) {
    const entry: UnhashedAuditEntry = {
      id: newId(),
      createdAt: start + seq,
      updatedAt: start + seq,
      deviceId,
      seq,
      at: start + seq,
      userId: 'cashier-1',
      appVersion: '1.0.0',
      action: 'sale.edit',
      resourceType: 'sales',
      resourceId: `sale-${seq}`,
      diff: { before: { note: '' }, after: { note: `change ${seq}`, totalMinor: seq * 100 } },
      reason: '',
      overrideBy: '',
      prevHash,
    };
    const hash = hashAuditEntry(entry);
    out.push({ ...entry, hash });
    prevHash = hash;
  }
  return out;
}

const auditRows = (entries: AuditLogDoc[]): PushRow[] => entries.map((e) => row('auditLog', e as unknown as Record<string, unknown>));

describe('the audit log on the server', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of audit rows for every role, the owner included', async () => {
    const { url } = await server.freshDatabase();
    const tenant = await newTestTenant(url);
    const a = await device(url, tenant, 'dev-a', 'Counter A');
    const entries = chain('dev-a', 3);
    const pushed = await push(a, auditRows(entries));
    expect(pushed.accepted).toBe(3);

    await withAdmin(url, async (admin) => {
      // The admin connection is the owner (and in these tests a superuser).
      const attempts = [
        "UPDATE counterbook_data.audit_log SET action = 'nothing.happened' WHERE seq = 2",
        'DELETE FROM counterbook_data.audit_log WHERE seq = 3',
        'TRUNCATE counterbook_data.audit_log',
      ];
      for (const sql of attempts) {
        const error = (await admin.query(sql).then(
          () => null,
          (e: unknown) => e as { code?: string; message?: string },
        )) as { code?: string; message?: string } | null;
        expect(error, sql).not.toBeNull();
        expect(error!.code).toBe('CBA01');
        expect(error!.message).toMatch(/append-only/);
      }
      expect((await admin.query('SELECT count(*)::int AS n FROM counterbook_data.audit_log')).rows[0].n).toBe(3);
      // Also as a non-superuser owner role (the usual hosted setup).
      const owner = `cb_test_owner_${process.pid}`;
      await admin.query(`CREATE ROLE ${owner} NOLOGIN`);
      await admin.query(`GRANT USAGE ON SCHEMA counterbook, counterbook_data TO ${owner}`);
      // The tables' row-level security policies call these.
      await admin.query(`GRANT EXECUTE ON FUNCTION counterbook.is_device_session(), counterbook.session_tenant() TO ${owner}`);
      await admin.query(`ALTER TABLE counterbook_data.audit_log OWNER TO ${owner}`);
      await admin.query(`SET ROLE ${owner}`);
      await expect(admin.query('DELETE FROM counterbook_data.audit_log')).rejects.toMatchObject({ code: 'CBA01' });
      await admin.query('RESET ROLE');
    });
    // Through push, a different version of an entry is `immutable`.
    const changed = row('auditLog', { ...entries[1]!, action: 'nothing.happened' } as unknown as Record<string, unknown>);
    expect((await push(a, [changed])).results[0]).toMatchObject({ status: 'rejected', reason: 'immutable' });
  });

  it('verifies each device chain and names the first broken entry after tampering', async () => {
    const { url } = await server.freshDatabase();
    const tenant = await newTestTenant(url);
    const a = await device(url, tenant, 'dev-a', 'Counter A');
    const b = await device(url, tenant, 'dev-b', 'Counter B');
    await push(a, auditRows(chain('dev-a', 6)));
    await push(b, auditRows(chain('dev-b', 4)));

    const whole = await verifyServerAuditChains(url, tenant);
    expect(whole.ok).toBe(true);
    expect(whole.devices.map((d) => [d.deviceId, d.entries, d.verified, d.lastSeq])).toEqual([
      ['dev-a', 6, 6, 6],
      ['dev-b', 4, 4, 4],
    ]);

    // A superuser edits a row with the trigger disabled (what the trigger cannot stop).
    await withAdmin(url, async (admin) => {
      await admin.query('BEGIN');
      await admin.query('ALTER TABLE counterbook_data.audit_log DISABLE TRIGGER audit_log_append_only');
      await admin.query(`UPDATE counterbook_data.audit_log SET diff = jsonb_set(diff, '{after,totalMinor}', '1') WHERE device_id = 'dev-a' AND seq = 4`);
      await admin.query(`DELETE FROM counterbook_data.audit_log WHERE device_id = 'dev-b' AND seq = 2`);
      await admin.query('ALTER TABLE counterbook_data.audit_log ENABLE TRIGGER audit_log_append_only');
      await admin.query('COMMIT');
    });
    const tampered = await verifyServerAuditChains(url, tenant);
    expect(tampered.ok).toBe(false);
    const [da, db] = tampered.devices;
    expect(da).toMatchObject({ deviceId: 'dev-a', ok: false, verified: 3, firstBreak: { seq: 4, reason: 'hash' } });
    expect(da!.firstBreak!.problem).toMatch(/hash mismatch/);
    expect(db).toMatchObject({ deviceId: 'dev-b', ok: false, verified: 1, firstBreak: { seq: 3, reason: 'gap', problem: 'entries 2..2 are missing' } });

    // A forged entry that points at the wrong predecessor.
    await withAdmin(url, async (admin) => {
      await admin.query('ALTER TABLE counterbook_data.audit_log DISABLE TRIGGER audit_log_append_only');
      await admin.query(`UPDATE counterbook_data.audit_log SET diff = jsonb_set(diff, '{after,totalMinor}', '400') WHERE device_id = 'dev-a' AND seq = 4`);
      await admin.query(`UPDATE counterbook_data.audit_log SET prev_hash = repeat('0', 64) WHERE device_id = 'dev-a' AND seq = 5`);
      await admin.query('ALTER TABLE counterbook_data.audit_log ENABLE TRIGGER audit_log_append_only');
    });
    const forged = await verifyServerAuditChains(url, tenant);
    expect(forged.devices[0]).toMatchObject({ deviceId: 'dev-a', verified: 4, firstBreak: { seq: 5, reason: 'prev_hash' } });
  });

  it('hashes every entry exactly like the device: random unicode, numbers and nested diffs (property)', async () => {
    const { url } = await server.freshDatabase();
    const tenant = await newTestTenant(url);
    const a = await device(url, tenant, 'dev-a', 'Counter A');

    // PostgreSQL text cannot hold NUL; everything else goes (emoji, quotes, backslashes, controls).
    const noNul = (s: string) => !s.includes('\u0000');
    const text = (max: number) => fc.string({ unit: 'binary', maxLength: max }).filter(noNul);
    const tricky = fc.string({
      unit: fc.constantFrom('a', 'B', 'z', '_', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', '\u2028', '\uE000', '\uFFEE', '\uFFFF', '😀', '\u{10000}', '\u{10FFFF}'),
      maxLength: 6,
    });
    const key = fc.oneof(tricky, text(8));
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.constantFrom(0, -0, 1e21, 1e-7, 1.5e-7, 123e-20, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 2 ** 64, -1e-6, 1e20 + 1),
    );
    const leaf = fc.oneof(text(20), tricky, number, fc.boolean(), fc.constant(null));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 5 })),
    }));
    const side = fc.dictionary(key, value, { maxKeys: 6 });
    const entry = fc.record(
      {
        deviceId: text(40),
        seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        at: fc.integer({ min: 0, max: 253402300799999 }),
        userId: text(40),
        appVersion: text(40),
        action: text(100).filter((s) => s.length > 0),
        resourceType: text(60).filter((s) => s.length > 0),
        resourceId: text(100),
        diff: fc.record({ before: side, after: side }, { requiredKeys: [] }),
        reason: text(200),
        overrideBy: text(40),
        prevHash: text(64),
      },
      { requiredKeys: ['deviceId', 'seq', 'at', 'userId', 'appVersion', 'action', 'resourceType', 'resourceId', 'diff', 'prevHash'] },
    );

    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 4 }), async (drafts) => {
        const docs = drafts.map((d) => {
          const unhashed = { id: newId(), createdAt: d.at, updatedAt: d.at, ...d } as UnhashedAuditEntry;
          // JSON.parse(JSON.stringify()) drops -0 and undefined like the push body does.
          return JSON.parse(JSON.stringify({ ...unhashed, hash: hashAuditEntry(unhashed) })) as AuditLogDoc;
        });
        const result = await push(a, auditRows(docs));
        // The schema counts characters as code points on the server, UTF-16 units here;
        // rows it refuses prove nothing either way, rows it stores must hash alike.
        const stored = docs.filter((_, i) => result.results[i]!.status === 'accepted');
        for (const r of result.results) if (r.status !== 'accepted') expect(r).toMatchObject({ status: 'rejected', reason: 'invalid' });
        if (stored.length === 0) return;
        const hashes = await withAdmin(url, async (admin) => {
          const r = await admin.query<{ id: string; computed: string }>(
            'SELECT a.id, counterbook.audit_entry_hash(a) AS computed FROM counterbook_data.audit_log a WHERE a.id = ANY ($1)',
            [stored.map((d) => d.id)],
          );
          return new Map(r.rows.map((x) => [x.id, x.computed]));
        });
        for (const d of stored) expect(hashes.get(d.id), JSON.stringify(d)).toBe(d.hash);
      }),
      {
        numRuns: 120,
        // Key order: '' < '😀' < '\uFFEE' in UTF-16 order, but '😀' > '\uFFEE' in UTF-8 byte order.
        examples: [
          [
            [
              {
                deviceId: 'd',
                seq: 1,
                at: 0,
                userId: '',
                appVersion: '',
                action: 'x',
                resourceType: 'x',
                resourceId: '',
                diff: { after: { '': { '': [{ '😀': 0, '': '', '\uFFEE': 1e21, '\u{10FFFF}': -1.5e-7 }] } } },
                prevHash: '',
              },
            ],
          ],
        ],
      },
    );
  });
});

// ---------------------------------------------------------------------------
// Closed days

const DAY = '2026-11-20';
const T_SALE = Date.UTC(2026, 10, 20, 10);
const T_CLOSE = Date.UTC(2026, 10, 20, 18);
const T_LATER = Date.UTC(2026, 10, 21, 9);

interface Shop {
  url: string;
  tenant: string;
  a: Dev;
  b: Dev;
}

/** Device A (register till-a) sold on DAY and closed it; device B exists. */
async function shopWithClosedDay(): Promise<Shop & { saleRow: PushRow }> {
  const { url } = await server.freshDatabase();
  const tenant = await newTestTenant(url);
  const a = await device(url, tenant, 'dev-a', 'Counter A');
  const b = await device(url, tenant, 'dev-b', 'Counter B');
  // The devices collection names the register in messages.
  await push(a, [row('devices', { id: 'dev-a', createdAt: T_SALE, updatedAt: T_SALE, code: 'D01', name: 'Front till', kind: 'desktop' })]);
  const saleRow = row('sales', { ...sale({ deviceId: 'dev-a', registerId: 'till-a', day: DAY }), createdAt: T_SALE, updatedAt: T_SALE });
  expect((await push(a, [saleRow])).accepted).toBe(1);
  const close = row('dayCloses', { ...dayClose({ deviceId: 'dev-a', registerId: 'till-a', day: DAY }), createdAt: T_CLOSE, updatedAt: T_CLOSE });
  expect((await push(a, [close])).accepted).toBe(1);
  return { url, tenant, a, b, saleRow };
}

const edit = (base: PushRow, patch: Record<string, unknown>): PushRow => row(base.collection, { ...base.doc, ...patch }, base.revision);

describe('closed days on the server', () => {
  it('locks the same collections as the device (day-locks.ts)', () => {
    const file = readdirSync(findMigrationsDir()).find((f) => f.endsWith('_trust-layer.sql'))!;
    const sql = readFileSync(join(findMigrationsDir(), file), 'utf8');
    const lists = [...sql.matchAll(/collection IN \(('sales'[^)]*)\)/g)].map((m) => m[1]!.split(',').map((x) => x.trim().replace(/'/g, '')).filter((x) => x !== 'dayCloses'));
    expect(lists.length).toBeGreaterThanOrEqual(3);
    for (const list of lists) expect(new Set(list)).toEqual(new Set(DAY_LOCKED_COLLECTIONS));
  });

  it('refuses a change of a closed day from a device that did not know of the close, with the reason and the server row; the rest of the batch lands', async () => {
    const { url, b, saleRow } = await shopWithClosedDay();
    const late = edit(saleRow, { note: 'changed offline', updatedAt: T_LATER });
    const own = row('expenses', { ...expense({ deviceId: 'dev-b', day: '2026-11-21' }), createdAt: T_LATER, updatedAt: T_LATER });
    const other = row('sales', { ...sale({ deviceId: 'dev-b', registerId: 'till-b', day: DAY }), createdAt: T_LATER, updatedAt: T_LATER });
    const result = await push(b, [late, own, other]);
    expect(result).toMatchObject({ accepted: 2, rejected: 1 });
    const refused = result.results[0]!;
    expect(refused).toMatchObject({ status: 'rejected', reason: 'day_closed', collection: 'sales', id: saleRow.id });
    if (refused.status !== 'rejected') throw new Error('expected a rejection');
    expect(refused.message).toBe(
      `The day ${DAY} is closed for register Front till (D01): the server refused this change of sales ${saleRow.id}. Record a correction in an open day.`,
    );
    expect(refused.server).toMatchObject({ revision: saleRow.revision, doc: { id: saleRow.id, day: DAY } });
    expect(refused.server!.doc).not.toHaveProperty('note', 'changed offline');
    await withAdmin(url, async (admin) => {
      const note = await admin.query('SELECT note, revision FROM counterbook_data.sales WHERE id = $1', [saleRow.id]);
      expect(note.rows[0]).toMatchObject({ revision: saleRow.revision });
      expect(note.rows[0].note).not.toBe('changed offline');
    });
  });

  it('covers every locked collection, the register id, moves out of the day and deletes; other days and registers stay open', async () => {
    const { b, a, saleRow } = await shopWithClosedDay();
    const at = { createdAt: T_LATER, updatedAt: T_LATER };
    const cases: [PushRow, 'accepted' | 'rejected'][] = [
      [row('expenses', { ...expense({ deviceId: 'dev-a', day: DAY }), ...at }), 'rejected'],
      [row('drawerMovements', { ...drawerMovement({ deviceId: 'dev-a', registerId: 'till-a', day: DAY }), ...at }), 'rejected'],
      // Another device's sale on the closed register (same registerId).
      [row('sales', { ...sale({ deviceId: 'dev-b', registerId: 'till-a', day: DAY }), ...at }), 'rejected'],
      // Moving A's sale out of the closed day changes that day too; so does deleting it.
      [edit(saleRow, { day: '2026-11-21', updatedAt: T_LATER }), 'rejected'],
      [{ ...edit(saleRow, { updatedAt: T_LATER }), deleted: true }, 'rejected'],
      // Open: the next day, another register, another device with an empty register id.
      [row('sales', { ...sale({ deviceId: 'dev-a', registerId: 'till-a', day: '2026-11-21' }), ...at }), 'accepted'],
      [row('sales', { ...sale({ deviceId: 'dev-b', registerId: 'till-b', day: DAY }), ...at }), 'accepted'],
      [row('expenses', { ...expense({ deviceId: 'dev-b', day: DAY }), ...at }), 'accepted'],
    ];
    for (const [r, status] of cases) {
      const result = await push(b, [r]);
      expect(result.results[0], JSON.stringify(r.doc)).toMatchObject(status === 'rejected' ? { status, reason: 'day_closed' } : { status });
    }
    // A resend of the version the server already has changes nothing: accepted, unchanged.
    expect((await push(a, [saleRow])).results[0]).toMatchObject({ status: 'accepted', unchanged: true });
  });

  it("accepts the closing device's own rows written before the close, pushed after it, and refuses its later ones", async () => {
    const { a } = await shopWithClosedDay();
    const before = row('sales', { ...sale({ deviceId: 'dev-a', registerId: 'till-a', day: DAY }), createdAt: T_SALE + 60_000, updatedAt: T_CLOSE - 1 });
    const atClose = row('drawerMovements', { ...drawerMovement({ deviceId: 'dev-a', registerId: 'till-a', day: DAY }), createdAt: T_CLOSE, updatedAt: T_CLOSE });
    const after = row('sales', { ...sale({ deviceId: 'dev-a', registerId: 'till-a', day: DAY }), createdAt: T_CLOSE + 1, updatedAt: T_CLOSE + 1 });
    const result = await push(a, [before, atClose, after]);
    expect(result.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected']);

    // The close and the day's rows in one batch (batches split by size): the same rule.
    const { url } = await server.freshDatabase();
    const tenant = await newTestTenant(url);
    const c = await device(url, tenant, 'dev-c', 'Counter C');
    const close = row('dayCloses', { ...dayClose({ deviceId: 'dev-c', registerId: 'till-c', day: DAY }), createdAt: T_CLOSE, updatedAt: T_CLOSE });
    const early = row('sales', { ...sale({ deviceId: 'dev-c', registerId: 'till-c', day: DAY }), createdAt: T_SALE, updatedAt: T_SALE });
    const late = row('expenses', { ...expense({ deviceId: 'dev-c', day: DAY }), createdAt: T_LATER, updatedAt: T_LATER });
    expect((await push(c, [early, close, late])).results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected']);
  });

  it('lets a manager override through: its audit entry in the same batch or already on the server', async () => {
    const { a, saleRow } = await shopWithClosedDay();
    const audit = (resourceId: string, at: number, overrideBy: string, deviceId = 'dev-a') =>
      row('auditLog', { ...chain(deviceId, 1)[0]!, id: newId(), seq: 99, at, resourceType: 'sales', resourceId, overrideBy, reason: 'wrong price keyed' });

    const corrected = edit(saleRow, { note: 'price corrected', updatedAt: T_LATER });
    // Without an override: refused. An entry without overrideBy does not count.
    expect((await push(a, [corrected, audit(saleRow.id, T_LATER, '')])).results[0]).toMatchObject({ reason: 'day_closed' });
    // With the manager's override in the same batch: accepted.
    expect((await push(a, [corrected, audit(saleRow.id, T_LATER, 'manager-1')])).results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

    // Already on the server, from an earlier batch: accepted; an older override does not cover a newer change.
    const other = row('expenses', { ...expense({ deviceId: 'dev-a', day: DAY }), createdAt: T_LATER, updatedAt: T_LATER });
    await push(a, [row('auditLog', { ...audit(other.id, T_LATER, 'manager-1').doc, resourceType: 'expenses' })]);
    expect((await push(a, [other])).results[0]).toMatchObject({ status: 'accepted' });
    const newer = edit(other, { description: 'again', updatedAt: T_LATER + 1 });
    expect((await push(a, [newer])).results[0]).toMatchObject({ status: 'rejected', reason: 'day_closed' });
  });

  it('a close and a change of its day never pass each other: a push waits for a close in flight', async () => {
    const { url } = await server.freshDatabase();
    const tenant = await newTestTenant(url);
    const a = await device(url, tenant, 'dev-a', 'Counter A');
    const b = await device(url, tenant, 'dev-b', 'Counter B');
    const saleRow = row('sales', { ...sale({ deviceId: 'dev-a', registerId: 'till-a', day: DAY }), createdAt: T_SALE, updatedAt: T_SALE });
    await push(a, [saleRow]);

    // A's push of the close is still open (not committed) when B's edit arrives.
    await a.client.query('BEGIN');
    const close = row('dayCloses', { ...dayClose({ deviceId: 'dev-a', registerId: 'till-a', day: DAY }), createdAt: T_CLOSE, updatedAt: T_CLOSE });
    await push(a, [close]);
    let settled = false;
    const late = push(b, [edit(saleRow, { note: 'racing the close', updatedAt: T_LATER })]).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    await a.client.query('COMMIT');
    expect((await late).results[0]).toMatchObject({ status: 'rejected', reason: 'day_closed' });
  });
});

// ---------------------------------------------------------------------------
// Sale amounts (src/shared/counter/payments.ts: a finalised sale is paid exactly)

describe('sale amounts', () => {
  it('refuses a finalised sale whose amounts do not add up, with a reason, and lands the rest of the batch', async () => {
    const { url } = await server.freshDatabase();
    const a = await device(url, await newTestTenant(url), 'dev-a', 'Counter A');
    const done = (id: string, patch: Record<string, unknown>) => row('sales', { ...sale({ id, status: 'finalised' }), createdAt: T_SALE, updatedAt: T_SALE, ...patch });
    const rows = [
      done('cash-change', { payments: [{ method: 'cash', amountMinor: 450, tenderedMinor: 500 }], changeDueMinor: 50 }),
      done('split', { payments: [{ method: 'card', amountMinor: 200 }, { method: 'cash', amountMinor: 250, tenderedMinor: 250 }] }),
      done('short', { payments: [{ method: 'card', amountMinor: 400 }] }),
      done('over', { payments: [{ method: 'card', amountMinor: 300 }, { method: 'mobile_money', amountMinor: 200 }] }),
      done('unpaid', { payments: [] }),
      done('total', { totalMinor: 500, payments: [{ method: 'card', amountMinor: 500 }] }),
      done('change', { payments: [{ method: 'cash', amountMinor: 450, tenderedMinor: 500 }], changeDueMinor: 0 }),
      done('tendered', { payments: [{ method: 'cash', amountMinor: 450, tenderedMinor: 400 }] }),
      done('negative', { payments: [{ method: 'card', amountMinor: 900 }, { method: 'card', amountMinor: -450 }] }),
      // A parked sale keeps the payments as typed: not checked.
      row('sales', { ...sale({ id: 'parked', status: 'parked', payments: [{ method: 'cash', amountMinor: 1000 }] }), createdAt: T_SALE, updatedAt: T_SALE }),
    ];
    const r = await push(a, rows);
    expect(r.results.map((x) => `${x.id}:${x.status === 'rejected' ? `${x.reason}: ${x.message}` : x.status}`)).toEqual([
      'cash-change:accepted',
      'split:accepted',
      'short:invalid: the payments add up to 400 but totalMinor is 450: a finalised sale is paid exactly',
      'over:invalid: the payments add up to 500 but totalMinor is 450: a finalised sale is paid exactly',
      'unpaid:invalid: the payments add up to 0 but totalMinor is 450: a finalised sale is paid exactly',
      "total:invalid: totalMinor 500 is not the lines' totals (450) plus roundingMinor (0)",
      'change:invalid: changeDueMinor 0 is not the cash tendered beyond the amounts applied (50)',
      "tendered:invalid: a cash payment's tenderedMinor is less than its amountMinor",
      'negative:invalid: payments[1].amountMinor must be at least 1',
      'parked:accepted',
    ]);
    const stored = await withAdmin(url, async (c) => (await c.query(`SELECT id FROM counterbook_data.sales ORDER BY id`)).rows.map((x) => x.id as string));
    expect(stored).toEqual(['cash-change', 'parked', 'split']);
  });

  it('accepts the sales the device finalises itself (split with change, discounts, exclusive tax, cash rounding)', async () => {
    const kit = await startCounterKit();
    try {
      const p = await addProducts(kit);
      const finalise = async (input: Record<string, unknown>) => (await kit.call('counter.finalise', { saleId: newId(), ...input } as never)) as { sale: { id: string } };
      const ids = [
        (await finalise({ lines: [lineOf(p.bread, 2000), lineOf(p.milk)], payments: [{ method: 'card', amountMinor: 10_000 }, { method: 'cash', amountMinor: 10_000 }] })).sale.id,
      ];
      await kit.setShop({ taxMode: 'exclusive', cashRoundingMinor: 100 });
      ids.push(
        (await finalise({
          lines: [lineOf(p.bread, 3000, { discount: { kind: 'percent', bp: 500 } }), lineOf(p.sugar, 1000), lineOf(p.rice, 1250)],
          saleDiscount: { kind: 'amount', amountMinor: 1_000 },
          payments: [{ method: 'mobile_money', amountMinor: 5_000 }, { method: 'cash', amountMinor: 100_000 }],
        })).sale.id,
      );
      const docs = (await kit.core.store.db.collections.sales.findByIds(ids).exec()).values();
      const { url } = await server.freshDatabase();
      const a = await device(url, await newTestTenant(url), kit.core.deviceId, 'Counter A');
      const r = await push(a, [...docs].map((d) => row('sales', stripMeta(d.toJSON(true) as never))));
      expect(r.results.map((x) => (x.status === 'rejected' ? x.message : x.status))).toEqual(['accepted', 'accepted']);
    } finally {
      await kit.close();
    }
  });
});
