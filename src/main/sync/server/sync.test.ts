// The sync functions on a real PostgreSQL: device isolation, push semantics, the
// commit-safe pull cursor, live notifications.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestTenant, pairTestDevice, startSyncTestServer, withAdmin, type SyncTestServer, type TestDevice } from '../../../../test-support/sync-server';
import { cursorAfter, expandPushResult, PULL_SQL, PUSH_SQL, START_CURSOR, SYNC_ERRORS, type PulledRow, type PullCursor, type PushBatch, type PushResult, type PushRow } from './protocol';

let server: SyncTestServer;
beforeAll(async () => {
  server = await startSyncTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const clients: pg.Client[] = [];
async function connect(device: TestDevice): Promise<pg.Client> {
  const client = await device.connect();
  clients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
});

let batchCounter = 0;
async function push(client: pg.Client, rows: unknown[], batchId = `b${++batchCounter}`): Promise<PushResult> {
  const r = await client.query<{ result: PushResult }>(PUSH_SQL, [JSON.stringify({ batchId, rows } satisfies { batchId: string; rows: unknown[] })]);
  return r.rows[0]!.result;
}

async function pull(client: pg.Client, cursor: PullCursor = START_CURSOR, limit = 1000): Promise<PulledRow[]> {
  return (await client.query<PulledRow>(PULL_SQL, [cursor.xid, cursor.collection, cursor.id, limit])).rows;
}

/** Pulls until nothing is left; returns the rows and the final cursor. */
async function pullAll(client: pg.Client, cursor: PullCursor = START_CURSOR, limit = 1000): Promise<{ rows: PulledRow[]; cursor: PullCursor }> {
  const rows: PulledRow[] = [];
  for (;;) {
    const page = await pull(client, cursor, limit);
    if (page.length === 0) return { rows, cursor };
    rows.push(...page);
    cursor = cursorAfter(page[page.length - 1]!);
  }
}

const note = (id: string, revision: string, baseRevision: string | null, doc: Record<string, unknown> = {}, deleted = false): PushRow => ({
  collection: 'testNotes',
  id,
  revision,
  baseRevision,
  deleted,
  doc: { id, text: `note ${id} ${revision}`, updatedAt: 1_700_000_000_000, ...doc },
});

async function expectPgError(promise: Promise<unknown>, code: string | RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { code?: string; message?: string },
  );
  expect(error, 'expected the statement to fail').toBeDefined();
  if (typeof code === 'string') expect(error!.code).toBe(code);
  else expect(error!.message).toMatch(code);
}

interface World {
  url: string;
  tenantA: string;
  tenantB: string;
  a1: TestDevice;
  a2: TestDevice;
  b1: TestDevice;
}

async function world(): Promise<World> {
  const { url } = await server.freshDatabase();
  const tenantA = await newTestTenant(url, 'Shop A');
  const tenantB = await newTestTenant(url, 'Shop B');
  const [a1, a2, b1] = await Promise.all([pairTestDevice(url, tenantA, 'A counter'), pairTestDevice(url, tenantA, 'A office'), pairTestDevice(url, tenantB, 'B counter')]);
  return { url, tenantA, tenantB, a1, a2, b1 };
}

describe('device role privileges', () => {
  it('may call pull, push and whoami, and nothing else', async () => {
    const w = await world();
    const c = await connect(w.a1);
    const me = (await c.query('SELECT * FROM counterbook.whoami()')).rows[0];
    expect(me).toMatchObject({ device_id: w.a1.deviceId, tenant_id: w.tenantA, device_code: w.a1.deviceCode, channel: w.a1.channel });
    expect((await push(c, [note('n1', '1-a', null)])).accepted).toBe(1);
    expect((await pull(c)).map((r) => r.id)).toEqual(['n1']);

    for (const table of ['documents', 'tenants', 'devices', 'pairing_codes', 'collections', 'push_batches', 'schema_migrations']) {
      await expectPgError(c.query(`SELECT * FROM counterbook.${table}`), '42501');
    }
    await expectPgError(c.query(`INSERT INTO counterbook.documents (tenant_id, collection, id, revision, data, xid) VALUES ($1, 'testNotes', 'x', '1', '{}', '1')`, [w.tenantA]), '42501');
    await expectPgError(c.query(`UPDATE counterbook.documents SET data = '{}'`), '42501');
    await expectPgError(c.query(`DELETE FROM counterbook.documents`), '42501');
    await expectPgError(c.query(`UPDATE counterbook.devices SET status = 'active'`), '42501');
    await expectPgError(c.query(`INSERT INTO counterbook.tenants (id, name) VALUES (gen_random_uuid(), 'mine')`), '42501');
    // Helpers and admin functions are not executable by devices.
    await expectPgError(c.query('SELECT counterbook.session_tenant()'), '42501');
    await expectPgError(c.query('SELECT counterbook.require_device()'), '42501');
    await expectPgError(c.query(`SELECT counterbook.admin_create_device_role('cb_device_00000000000000000000000000000000', 'x')`), '42501');
    await expectPgError(c.query(`SELECT counterbook.admin_disable_device_role($1)`, [w.a2.roleName]), '42501');
    await expectPgError(c.query('SELECT counterbook.prune_push_batches()'), '42501');
    // It cannot become the function owner, nor create objects in the schema.
    await expectPgError(c.query('SET ROLE counterbook_sync'), '42501');
    await expectPgError(c.query('CREATE TABLE counterbook.mine (x int)'), '42501');
    await expectPgError(c.query('CREATE FUNCTION counterbook.mine() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'), '42501');
    // SET ROLE to its group changes nothing: the group holds no table privileges either.
    await c.query('SET ROLE counterbook_device');
    await expectPgError(c.query('SELECT * FROM counterbook.documents'), '42501');
    await c.query('RESET ROLE');
  });

  it('an admin connection is not a device', async () => {
    const w = await world();
    await withAdmin(w.url, async (admin) => {
      await expectPgError(admin.query(PULL_SQL, [null, null, null, 10]), SYNC_ERRORS.notADevice);
      await expectPgError(admin.query(PUSH_SQL, ['{"rows": []}']), SYNC_ERRORS.notADevice);
    });
  });
});

describe('tenant isolation', () => {
  it('a device of tenant B cannot read or change tenant A rows, even with forged ids, tenants and cursors', async () => {
    const w = await world();
    const a = await connect(w.a1);
    const b = await connect(w.b1);
    await push(a, [note('shared-1', '1-a', null, { secret: 'A only' }), note('a-2', '1-a', null)]);

    // B pushes the same id with A's revision as its base and A's tenant named in the row and the doc.
    const forged = await push(b, [
      { ...note('shared-1', '2-b', '1-a', { secret: 'B was here' }), tenantId: w.tenantA },
      note('shared-1', '2-b', '1-a', { secret: 'B was here', tenantId: w.tenantA }),
    ]);
    expect(forged.results.map((r) => r.status === 'rejected' && r.reason)).toEqual(['wrong_tenant', 'wrong_tenant']);

    // Without naming a tenant the id is simply B's own document: A's row is untouched.
    const own = await push(b, [note('shared-1', '2-b', '1-a', { secret: 'B own' })]);
    expect(own.results[0]!.status).toBe('accepted');

    const bRows = (await pullAll(b)).rows;
    expect(bRows.map((r) => [r.id, r.doc.secret])).toEqual([['shared-1', 'B own']]);
    // Any cursor, any limit: still only B's rows.
    expect((await pull(b, { xid: '0', collection: '', id: '' }, 10000)).map((r) => r.id)).toEqual(['shared-1']);
    expect((await pull(b, { xid: '1', collection: 'a', id: 'a' }, -5)).map((r) => r.id)).toEqual(['shared-1']);

    const aRows = (await pullAll(a)).rows;
    expect(aRows.map((r) => [r.id, r.doc.secret ?? null])).toEqual([
      ['a-2', null],
      ['shared-1', 'A only'],
    ]);

    await withAdmin(w.url, async (admin) => {
      const rows = await admin.query('SELECT tenant_id, id, revision, data->>$1 AS secret FROM counterbook.documents ORDER BY tenant_id = $2 DESC, id', ['secret', w.tenantA]);
      expect(rows.rows).toEqual([
        { tenant_id: w.tenantA, id: 'a-2', revision: '1-a', secret: null },
        { tenant_id: w.tenantA, id: 'shared-1', revision: '1-a', secret: 'A only' },
        { tenant_id: w.tenantB, id: 'shared-1', revision: '2-b', secret: 'B own' },
      ]);
    });
  });

  it('row-level security confines a device even if a table privilege is granted by mistake', async () => {
    const w = await world();
    const a = await connect(w.a1);
    await push(a, [note('a-1', '1', null)]);
    const b = await connect(w.b1);
    await push(b, [note('b-1', '1', null)]);
    await withAdmin(w.url, (admin) =>
      admin.query(`GRANT SELECT, UPDATE, DELETE ON counterbook.documents, counterbook.tenants, counterbook.devices, counterbook.pairing_codes TO ${admin.escapeIdentifier(w.b1.roleName)}`),
    );
    // These checks need EXECUTE on the policy helpers, which the mistaken grant would also need.
    await withAdmin(w.url, (admin) => admin.query(`GRANT EXECUTE ON FUNCTION counterbook.is_device_session(), counterbook.session_tenant() TO ${admin.escapeIdentifier(w.b1.roleName)}`));
    const b2 = await connect(w.b1);
    expect((await b2.query('SELECT id FROM counterbook.documents')).rows).toEqual([{ id: 'b-1' }]);
    expect((await b2.query('SELECT id FROM counterbook.tenants')).rows).toEqual([{ id: w.tenantB }]);
    expect((await b2.query('SELECT id FROM counterbook.devices')).rows).toEqual([{ id: w.b1.deviceId }]);
    expect((await b2.query('SELECT * FROM counterbook.pairing_codes')).rows).toEqual([]);
    expect((await b2.query(`UPDATE counterbook.documents SET data = '{}' WHERE tenant_id = $1`, [w.tenantA])).rowCount).toBe(0);
    expect((await b2.query(`DELETE FROM counterbook.documents WHERE id = 'a-1'`)).rowCount).toBe(0);
    await expectPgError(b2.query(`UPDATE counterbook.documents SET tenant_id = $1`, [w.tenantA]), /row-level security/);
    expect((await pullAll(a)).rows.map((r) => r.id)).toEqual(['a-1']);
  });
});

describe('revoked devices', () => {
  it('are refused by the functions, even on a session that is still open', async () => {
    const w = await world();
    const c = await connect(w.a1);
    await push(c, [note('n1', '1', null)]);
    // Simulate an admin without the right to end sessions: only the row says revoked.
    await withAdmin(w.url, (admin) => admin.query(`UPDATE counterbook.devices SET status = 'revoked', revoked_at = now() WHERE id = $1`, [w.a1.deviceId]));
    await expectPgError(c.query(PULL_SQL, [null, null, null, 10]), SYNC_ERRORS.revoked);
    await expectPgError(push(c, [note('n2', '1', null)]), SYNC_ERRORS.revoked);
    await expectPgError(c.query('SELECT * FROM counterbook.whoami()'), SYNC_ERRORS.revoked);
    // The other device of the tenant still syncs and never sees n2.
    const other = await connect(w.a2);
    expect((await pullAll(other)).rows.map((r) => r.id)).toEqual(['n1']);
  });
});

describe('push', () => {
  it('is idempotent: a resent batch changes nothing and gets the same answer', async () => {
    const w = await world();
    const a = await connect(w.a1);
    const rows = [note('n1', '1-a', null), note('n2', '1-a', null), { collection: 'nope', id: 'x', revision: '1', doc: {} }];
    const first = await push(a, rows, 'batch-1');
    expect([first.accepted, first.rejected]).toEqual([2, 1]);
    const snapshot = () => withAdmin(w.url, async (admin) => (await admin.query('SELECT id, revision, xid::text, written_at FROM counterbook.documents ORDER BY id')).rows);
    const before = await snapshot();

    const again = await push(a, rows, 'batch-1');
    expect(again.replayed).toBe(true);
    expect(again.results).toEqual(first.results);
    // The same rows in a new batch (a client that re-batched after a crash): accepted, unchanged.
    const rebatched = await push(a, rows.slice(0, 2), 'batch-2');
    expect(rebatched.results.map((r) => r.status === 'accepted' && r.unchanged)).toEqual([true, true]);
    expect(await snapshot()).toEqual(before);

    // Nothing new for a puller that had caught up.
    const b = await connect(w.a2);
    const { cursor } = await pullAll(b);
    await push(a, rows, 'batch-1');
    expect(await pull(b, cursor)).toEqual([]);
  });

  it('answers a batch that asks for it compactly: only the rows that were more than plainly accepted', async () => {
    const w = await world();
    const a = await connect(w.a1);
    const b = await connect(w.a2);
    await push(a, [note('n1', '1-a', null), note('dup', '1-a', null)]);
    const rows = [
      note('n2', '1-b', null), // accepted
      note('n1', '2-b', 'stale'), // conflict
      note('n3', '1-b', null), // accepted
      { collection: 'nope', id: 'x', revision: '1', doc: {} }, // rejected
      note('dup', '1-a', null), // an unchanged resend: accepted, unchanged
    ];
    const compact = async (batchId: string): Promise<PushResult> =>
      (await b.query<{ result: PushResult }>(PUSH_SQL, [JSON.stringify({ batchId, compact: true, rows })])).rows[0]!.result;
    const answer = await compact('compact-1');
    expect(answer).toMatchObject({ compact: true, accepted: 3, conflicts: 1, rejected: 1 });
    expect(answer.results.map((r) => [r.index, r.status])).toEqual([
      [1, 'conflict'],
      [3, 'rejected'],
      [4, 'accepted'],
    ]);
    expect(answer.results[2]).toMatchObject({ unchanged: true, id: 'dup' });
    // Expanded, it is the full answer in batch order.
    const full = expandPushResult(answer, rows.map((r) => ({ collection: r.collection, id: r.id })))!;
    expect(full.map((r) => r.status)).toEqual(['accepted', 'conflict', 'accepted', 'rejected', 'accepted']);
    expect(full[0]).toEqual({ index: 0, collection: 'testNotes', id: 'n2', status: 'accepted' });
    // A replay gives the same compact answer; without "compact" every row is listed.
    expect(await compact('compact-1')).toMatchObject({ replayed: true, results: answer.results });
    const listed = await push(b, [note('n4', '1-b', null), note('n5', '1-b', null)]);
    expect(listed.compact).toBeUndefined();
    expect(listed.results).toHaveLength(2);
    await expectPgError(b.query(PUSH_SQL, [JSON.stringify({ batchId: 'c2', compact: 'yes', rows: [] })]), SYNC_ERRORS.malformedBatch);
  });

  it('concurrent resends of one batch apply it once', async () => {
    const w = await world();
    const [c1, c2, c3] = await Promise.all([connect(w.a1), connect(w.a1), connect(w.a1)]);
    const rows = Array.from({ length: 50 }, (_, i) => note(`n${i}`, '1', null));
    const results = await Promise.all([c1, c2, c3].map((c) => push(c, rows, 'same-batch')));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    for (const r of results) expect(r.accepted).toBe(50);
    const count = await withAdmin(w.url, async (admin) => (await admin.query('SELECT count(*)::int AS n, count(DISTINCT xid)::int AS xids FROM counterbook.documents')).rows[0]);
    expect(count).toEqual({ n: 50, xids: 1 });
  });

  it('reports a conflict when the base the device saw is stale, with the server row', async () => {
    const w = await world();
    const a = await connect(w.a1);
    const b = await connect(w.a2);
    await push(a, [note('n1', '1-a', null)]);
    const seen = (await pullAll(b)).rows[0]!;
    expect(seen.revision).toBe('1-a');

    expect((await push(a, [note('n1', '2-a', '1-a', { text: 'from A' })])).results[0]!.status).toBe('accepted');
    const stale = await push(b, [note('n1', '2-b', seen.revision, { text: 'from B' })]);
    expect(stale.conflicts).toBe(1);
    const result = stale.results[0]!;
    expect(result.status).toBe('conflict');
    if (result.status !== 'conflict') throw new Error('unreachable');
    expect(result.server).toMatchObject({ collection: 'testNotes', id: 'n1', revision: '2-a', deleted: false, doc: { text: 'from A' } });

    // A brand-new document whose id already exists on the server is a conflict too.
    const twin = await push(b, [note('n1', '1-b', null)]);
    expect(twin.results[0]!.status).toBe('conflict');
    // The same revision with other content is never silently taken.
    const sameRev = await push(b, [note('n1', '2-a', '1-a', { text: 'other content' })]);
    expect(sameRev.results[0]!.status).toBe('conflict');

    // After resolving against the server's row, B's write lands; a tombstone replicates.
    expect((await push(b, [note('n1', '3-b', '2-a', { text: 'merged' })])).results[0]!.status).toBe('accepted');
    expect((await push(a, [note('n1', '4-a', '3-b', {}, true)])).results[0]!.status).toBe('accepted');
    const final = (await pullAll(b)).rows.find((r) => r.id === 'n1')!;
    expect([final.revision, final.deleted]).toEqual(['4-a', true]);
  });

  it('applies several versions of one document in batch order', async () => {
    const w = await world();
    const a = await connect(w.a1);
    const r = await push(a, [note('n1', '1', null), note('n1', '2', '1'), note('n1', '3', '2')]);
    expect(r.results.map((x) => x.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect((await pullAll(a)).rows.map((x) => x.revision)).toEqual(['3']);
  });

  it('never changes an append-only entry, and never reports a conflict for one', async () => {
    const w = await world();
    const a = await connect(w.a1);
    const entry = { collection: 'testLedger', id: 'e1', revision: '1-a', baseRevision: null, doc: { id: 'e1', amountMinor: 500 } };
    expect((await push(a, [entry])).results[0]!.status).toBe('accepted');
    expect((await push(a, [entry])).results[0]).toMatchObject({ status: 'accepted', unchanged: true });
    const changed = (await push(a, [{ ...entry, revision: '2-a', baseRevision: '1-a', doc: { id: 'e1', amountMinor: 900 } }])).results[0]!;
    expect(changed).toMatchObject({ status: 'rejected', reason: 'immutable' });
  });

  it('rejects malformed, oversized and foreign rows with reasons, and lands the rest of the batch', async () => {
    const w = await world();
    const a = await connect(w.a1);
    const good = (id: string) => note(id, '1', null);
    const rows: unknown[] = [
      good('ok-1'),
      'not an object',
      { collection: 'testNotes', revision: '1', doc: {} },
      { collection: 'testNotes', id: '', revision: '1', doc: {} },
      { collection: 'testNotes', id: 'x'.repeat(41), revision: '1', doc: {} },
      { collection: 'testNotes', id: 'bad\u0001id', revision: '1', doc: {} },
      { collection: 42, id: 'c', revision: '1', doc: {} },
      { collection: 'testNotes', id: 'r', doc: {} },
      { collection: 'testNotes', id: 'd', revision: '1', doc: {}, deleted: 'yes' },
      { collection: 'testNotes', id: 'b', revision: '1', baseRevision: 7, doc: {} },
      { collection: 'testNotes', id: 'doc', revision: '1', doc: [1, 2] },
      { collection: 'testNotes', id: 'mismatch', revision: '1', doc: { id: 'other' } },
      { collection: 'sales-not-here', id: 'u', revision: '1', doc: {} },
      { collection: 'testNotes', id: 'big', revision: '1', doc: { text: 'x'.repeat(5000) } },
      { collection: 'testNotes', id: 'foreign', revision: '1', doc: { tenantId: w.tenantB } },
      good('ok-2'),
    ];
    const r = await push(a, rows);
    const summary = r.results.map((x) => `${x.index}:${x.status === 'rejected' ? x.reason : x.status}`);
    expect(summary).toEqual([
      '0:accepted',
      '1:malformed',
      '2:malformed',
      '3:malformed',
      '4:malformed',
      '5:malformed',
      '6:malformed',
      '7:malformed',
      '8:malformed',
      '9:malformed',
      '10:malformed',
      '11:malformed',
      '12:unknown_collection',
      '13:oversized',
      '14:wrong_tenant',
      '15:accepted',
    ]);
    for (const x of r.results) if (x.status === 'rejected') expect(x.message).toMatch(/\w/);
    expect([r.accepted, r.rejected, r.conflicts]).toEqual([2, 14, 0]);
    expect((await pullAll(a)).rows.map((x) => x.id)).toEqual(['ok-1', 'ok-2']);
  });

  it('refuses only the rows with text PostgreSQL cannot store (NUL, lone surrogates); the rest of the batch lands', async () => {
    const w = await world();
    const a = await connect(w.a1);
    const rows: PushRow[] = [
      note('ok-1', '1', null),
      note('nul', '1', null, { text: 'tea\u0000bag' }),
      note('high', '1', null, { text: 'cut \ud83d' }),
      note('low', '1', null, { text: '\ude00 alone' }),
      note('nested', '1', null, { tags: ['fine', { deep: 'x\u0000' }] }),
      note('key', '1', null, { ['bad\u0000key']: 1 }),
      { ...note('id\u0000', '1', null), doc: { text: 'id is bad' } },
      // Look-alikes that are fine: a real pair (emoji), and text that reads \u0000 or \ud800.
      note('emoji', '1', null, { text: 'cake \ud83c\udf70, \\u0000 and \\\ud83d\ude00 and \\ud800' }),
      note('ok-2', '1', null),
    ];
    const r = await push(a, rows);
    const summary = r.results.map((x) => `${x.id}:${x.status === 'rejected' ? `${x.reason}: ${x.message}` : x.status}`);
    expect(summary).toEqual([
      'ok-1:accepted',
      'nul:invalid: text contains a NUL character (\\u0000), which the server cannot store',
      'high:invalid: text contains a lone UTF-16 surrogate (broken Unicode text), which the server cannot store',
      'low:invalid: text contains a lone UTF-16 surrogate (broken Unicode text), which the server cannot store',
      'nested:invalid: tags[1].deep contains a NUL character (\\u0000), which the server cannot store',
      'key:invalid: (a field name) contains a NUL character (\\u0000), which the server cannot store',
      expect.stringMatching(/^.*:malformed: id contains a NUL character/),
      'emoji:accepted',
      'ok-2:accepted',
    ]);
    expect([r.accepted, r.rejected, r.conflicts]).toEqual([3, 6, 0]);
    const pulled = (await pullAll(a)).rows;
    expect(pulled.map((x) => x.id)).toEqual(['emoji', 'ok-1', 'ok-2']);
    expect(pulled[0]!.doc.text).toBe('cake \ud83c\udf70, \\u0000 and \\\ud83d\ude00 and \\ud800');
    // The answer is stored like any other: a resend replays it.
    expect(await push(a, rows, r.batchId!)).toMatchObject({ replayed: true, accepted: 3, rejected: 6 });
  });

  it('refuses a malformed or oversized batch as a whole with its own error', async () => {
    const w = await world();
    const a = await connect(w.a1);
    await expectPgError(a.query(PUSH_SQL, ['[1, 2]']), SYNC_ERRORS.malformedBatch);
    await expectPgError(a.query(PUSH_SQL, ['{"rows": {}}']), SYNC_ERRORS.malformedBatch);
    await expectPgError(a.query(PUSH_SQL, [JSON.stringify({ batchId: 'x'.repeat(65), rows: [] })]), SYNC_ERRORS.malformedBatch);
    const tooMany: PushBatch = { batchId: 'many', rows: Array.from({ length: 5001 }, (_, i) => note(`n${i}`, '1', null)) };
    await expectPgError(a.query(PUSH_SQL, [JSON.stringify(tooMany)]), SYNC_ERRORS.batchTooLarge);
    expect((await pullAll(a)).rows).toEqual([]);
    // An empty batch is fine.
    expect(await push(a, [])).toMatchObject({ accepted: 0, results: [] });
  });
});

describe('pull', () => {
  it('pages through rows written by one transaction without loss or repeats', async () => {
    const w = await world();
    const a = await connect(w.a1);
    await push(a, Array.from({ length: 25 }, (_, i) => note(`n${String(i).padStart(2, '0')}`, '1', null)));
    await push(a, [{ collection: 'testLedger', id: 'e1', revision: '1', baseRevision: null, doc: {} }]);
    const { rows } = await pullAll(a, START_CURSOR, 7);
    expect(rows).toHaveLength(26);
    expect(new Set(rows.map((r) => `${r.collection}/${r.id}`)).size).toBe(26);
    expect(rows[rows.length - 1]!.collection).toBe('testLedger');
  });

  it('tells a device whose cursor is ahead of the server to start over', async () => {
    const w = await world();
    const a = await connect(w.a1);
    await expectPgError(a.query(PULL_SQL, ['999999999999', '', '', 10]), SYNC_ERRORS.cursorAhead);
  });

  it('never skips a transaction that commits late: it holds the cursor back instead', async () => {
    const w = await world();
    const early = await connect(w.a1);
    const slow = await connect(w.a1);
    const fast = await connect(w.a2);
    const puller = await connect(await pairTestDevice(w.url, w.tenantA, 'puller'));

    await push(early, [note('early', '1', null)]);
    // A transaction that writes first (lower xid) and commits last.
    await slow.query('BEGIN');
    await push(slow, [note('late', '1', null)]);

    let cursor = START_CURSOR;
    const seen: string[] = [];
    const pullOnce = async () => {
      const page = await pull(puller, cursor, 1000);
      for (const r of page) seen.push(r.id);
      if (page.length) cursor = cursorAfter(page[page.length - 1]!);
    };
    for (let i = 0; i < 5; i++) {
      // Others keep committing while the slow transaction stays open...
      await push(fast, [note(`fast-${i}`, '1', null)]);
      await pullOnce();
    }
    // ...the puller got what committed before the slow transaction began, and waits for the rest.
    expect(seen).toEqual(['early']);
    await withAdmin(w.url, async (admin) => {
      const committed = await admin.query(`SELECT count(*)::int AS n FROM counterbook.documents WHERE id LIKE 'fast-%'`);
      expect(committed.rows[0].n).toBe(5);
    });

    await slow.query('COMMIT');
    await pullOnce();
    await pullOnce();
    expect(seen).toEqual(['early', 'late', 'fast-0', 'fast-1', 'fast-2', 'fast-3', 'fast-4']);
  });

  it('delivers every committed version exactly once to a puller racing concurrent writers', async () => {
    const w = await world();
    const writers = await Promise.all([1, 2, 3, 4].map(() => connect(w.a1)));
    const puller = await connect(w.a2);
    const expected = new Map<string, string>();
    let stop = false;
    const got = new Map<string, string>();
    let cursor = START_CURSOR;
    const pullerLoop = (async () => {
      while (!stop) {
        const page = await pull(puller, cursor, 50);
        for (const r of page) got.set(r.id, r.revision);
        if (page.length) cursor = cursorAfter(page[page.length - 1]!);
        else await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await Promise.all(
      writers.map(async (c, wi) => {
        for (let t = 0; t < 15; t++) {
          await c.query('BEGIN');
          const ids = [`w${wi}-${t}-a`, `w${wi}-${t}-b`];
          await push(c, ids.map((id) => note(id, '1', null)));
          await sleep(Math.floor(Math.random() * 8));
          if (t % 5 === 4) {
            await c.query('ROLLBACK');
          } else {
            await c.query('COMMIT');
            for (const id of ids) expected.set(id, '1');
          }
        }
      }),
    );
    // Everything committed; let the puller drain.
    const deadline = Date.now() + 10_000;
    while (got.size < expected.size && Date.now() < deadline) await sleep(10);
    stop = true;
    await pullerLoop;
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    // And nothing more arrives afterwards.
    expect(await pull(puller, cursor)).toEqual([]);
  });
});

describe('live updates', () => {
  it('NOTIFY on the tenant channel reaches a listening device after another device pushes', async () => {
    const w = await world();
    const listener = await connect(w.a2);
    const otherTenant = await connect(w.b1);
    const heard: { channel: string; payload?: string }[] = [];
    const heardB: unknown[] = [];
    listener.on('notification', (n) => heard.push({ channel: n.channel, payload: n.payload }));
    otherTenant.on('notification', (n) => heardB.push(n));
    await listener.query(`LISTEN ${w.a2.channel}`);
    await otherTenant.query(`LISTEN ${w.b1.channel}`);

    const a = await connect(w.a1);
    await push(a, [note('n1', '1', null), note('n2', '1', null)]);
    const deadline = Date.now() + 5000;
    while (heard.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(heard).toHaveLength(1);
    expect(heard[0]!.channel).toBe(w.a2.channel);
    expect(JSON.parse(heard[0]!.payload!)).toEqual({ deviceId: w.a1.deviceId, changed: 2 });

    // A resend changes nothing and wakes nobody; the other tenant never hears of A.
    await push(a, [note('n1', '1', null)]);
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toHaveLength(1);
    expect(heardB).toEqual([]);
  });
});
