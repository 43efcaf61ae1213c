// The typed per-collection tables against the RxDB schemas in src/shared/schema:
// the migrated tables match the schemas, every collection round-trips through push
// and pull unchanged, and documents that break their schema are rejected with a reason.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestTenant, pairTestDevice, startSyncTestServer, withAdmin, type SyncTestServer } from '../../../../test-support/sync-server';
import { collectionMigrationSql, sharedCollections, snakeCase, type CollectionInput, type JsonSchema } from './collection-sql';
import { findMigrationsDir, migrationFiles, SERVER_SCHEMA, MIGRATIONS_TABLE } from './migrate';
import { cursorAfter, PULL_SQL, PUSH_SQL, START_CURSOR, type PulledRow, type PullCursor, type PushResult } from './protocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const shared = sharedCollections();

let server: SyncTestServer;
beforeAll(async () => {
  server = await startSyncTestServer();
});
afterAll(async () => {
  await server?.stop();
});

// A valid value for a schema: every optional field included when `full`.
const PATTERN_SAMPLES: Record<string, string> = {
  '^[A-Z]{3}$': 'EUR',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': '2025-11-22',
  '^#[0-9a-fA-F]{6}$': '#1a2b3c',
  '^[A-Z0-9]+$': 'AB12',
  '^data:image/(png|jpeg|svg\\+xml|webp);base64,': 'data:image/png;base64,iVBORw0KGgo=',
};

function sample(s: JsonSchema, full: boolean, key = ''): unknown {
  switch (s.type) {
    case 'string': {
      if (s.enum) return s.enum[s.enum.length - 1];
      if (s.pattern) {
        const v = PATTERN_SAMPLES[s.pattern];
        if (v === undefined) throw new Error(`no sample for pattern ${s.pattern}: add one to PATTERN_SAMPLES`);
        return v;
      }
      const text = `${key || 'v'}-é`;
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? 100;
      return text.padEnd(Math.max(min, 1), 'x').slice(0, Math.max(Math.min(max, text.length), min));
    }
    case 'integer':
    case 'number': {
      const min = s.minimum ?? 0;
      const max = s.maximum ?? Number.MAX_SAFE_INTEGER;
      return Math.min(Math.max(min, 7), max);
    }
    case 'boolean':
      return true;
    case 'array':
      return s.items && (s.maxItems ?? 1) > 0 ? [sample(s.items, full, key)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(s.required ?? []);
      for (const [k, p] of Object.entries(s.properties ?? {})) if (full || required.has(k)) out[k] = sample(p, full, k);
      if (s.additionalProperties === true && !s.properties) out.note = 'free-form';
      return out;
    }
    default:
      throw new Error(`no sample for type ${s.type}`);
  }
}

function sampleDoc(c: CollectionInput, id: string, full: boolean): Record<string, unknown> {
  const doc = { ...(sample(c.schema, full) as Record<string, unknown>), id, updatedAt: 1_763_800_000_000 };
  return c.name === 'sales' ? paidExactly(doc) : doc;
}

/** A sample sale whose amounts add up (push refuses a finalised sale whose do not). */
function paidExactly(doc: Record<string, unknown>): Record<string, unknown> {
  const lines = doc.lines as { totalMinor: number }[];
  const totalMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
  const payments = (doc.payments as Record<string, unknown>[]).map((p, i) => ({ ...p, amountMinor: i === 0 ? totalMinor : 0, ...('tenderedMinor' in p ? { tenderedMinor: i === 0 ? totalMinor : 0 } : {}) }));
  return { ...doc, roundingMinor: 0, totalMinor, changeDueMinor: 0, payments };
}

async function push(client: pg.Client, rows: unknown[]): Promise<PushResult> {
  return (await client.query<{ result: PushResult }>(PUSH_SQL, [JSON.stringify({ rows })])).rows[0]!.result;
}

async function pullAll(client: pg.Client, limit = 1000): Promise<PulledRow[]> {
  const rows: PulledRow[] = [];
  let cursor: PullCursor = START_CURSOR;
  for (;;) {
    const page = (await client.query<PulledRow>(PULL_SQL, [cursor.xid, cursor.collection, cursor.id, limit])).rows;
    if (!page.length) return rows;
    rows.push(...page);
    cursor = cursorAfter(page[page.length - 1]!);
  }
}

async function device(): Promise<{ url: string; client: pg.Client; close: () => Promise<void> }> {
  const { url } = await server.freshDatabase();
  const tenant = await newTestTenant(url);
  const d = await pairTestDevice(url, tenant);
  const client = await d.connect();
  return { url, client, close: () => client.end() };
}

describe('collection tables', () => {
  it('the committed migration is what the generator makes of the shared schemas', () => {
    const file = migrationFiles(findMigrationsDir()).find((m) => m.endsWith('_collection-tables'));
    expect(file, 'a *_collection-tables migration').toBeDefined();
    const committed = readFileSync(join(findMigrationsDir(), `${file}.sql`), 'utf8');
    // If this fails after a schema change: while the migration is unreleased, regenerate it
    // (npx tsx src/main/sync/server/collection-sql.ts > resources/migrations/<file>.sql);
    // once released, add a new migration instead.
    expect(committed === collectionMigrationSql(shared), 'resources/migrations collection-tables migration is out of date with src/shared/schema').toBe(true);
  });

  it('has one typed table per replicated collection, registered with its kind', async () => {
    const { url } = await server.freshDatabase();
    await withAdmin(url, async (admin) => {
      const registry = await admin.query<{ name: string; kind: string; storage: string }>(`SELECT name, kind, storage FROM counterbook.collections WHERE storage = 'table' ORDER BY name`);
      expect(registry.rows).toEqual(shared.map((c) => ({ name: c.name, kind: c.kind, storage: 'table' })).sort((a, b) => (a.name < b.name ? -1 : 1)));
      for (const c of shared) {
        const cols = await admin.query<{ column_name: string; data_type: string; is_nullable: string }>(
          `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'counterbook_data' AND table_name = $1 ORDER BY ordinal_position`,
          [snakeCase(c.name)],
        );
        const required = new Set(c.schema.required ?? []);
        const expected = Object.entries(c.schema.properties ?? {}).map(([field, p]) => ({
          column_name: snakeCase(field),
          data_type: { string: 'text', integer: 'bigint', number: 'double precision', boolean: 'boolean', array: 'jsonb', object: 'jsonb' }[p.type!],
          is_nullable: required.has(field) || field === 'id' ? 'NO' : 'YES',
        }));
        const own = cols.rows.filter((r) => !['tenant_id', 'revision', 'deleted', 'xid', 'written_at', 'written_by'].includes(r.column_name));
        expect(own, c.name).toEqual(expected);
        expect(cols.rows[0]!.column_name).toBe('tenant_id');
      }
      const migrations = await admin.query(`SELECT name FROM ${SERVER_SCHEMA}.${MIGRATIONS_TABLE}`);
      expect(migrations.rowCount).toBe(migrationFiles(findMigrationsDir()).length);
    });
  });

  it('round-trips every collection, full and minimal documents, updates and tombstones', async () => {
    const { url, client, close } = await device();
    try {
      // The sample day close is of another day: one of the samples' own day would lock
      // the sample sales, credit notes, expenses and drawer movements (trust.test.ts).
      const sample = (c: CollectionInput, id: string, full: boolean) => {
        const doc = sampleDoc(c, id, full);
        return c.name === 'dayCloses' ? { ...doc, day: '2000-01-01' } : doc;
      };
      const docs = shared.flatMap((c) => [
        { collection: c.name, id: `${c.name}-full`, revision: '1-a', baseRevision: null, doc: sample(c, `${c.name}-full`, true) },
        { collection: c.name, id: `${c.name}-min`, revision: '1-a', baseRevision: null, doc: sample(c, `${c.name}-min`, false) },
      ]);
      const pushed = await push(client, docs);
      const rejected = pushed.results.filter((r) => r.status !== 'accepted');
      expect(rejected, JSON.stringify(rejected.slice(0, 3))).toEqual([]);

      // Pulled back page by page across all tables: the same documents, nothing in counterbook.documents.
      const pulled = await pullAll(client, 7);
      expect(pulled).toHaveLength(docs.length);
      const byKey = new Map(pulled.map((r) => [`${r.collection}/${r.id}`, r]));
      for (const d of docs) {
        const row = byKey.get(`${d.collection}/${d.id}`);
        expect(row?.doc, `${d.collection}/${d.id}`).toEqual(d.doc);
        expect(row?.revision).toBe('1-a');
        expect(row?.updated_at).toBe('1763800000000');
      }
      await withAdmin(url, async (admin) => {
        expect((await admin.query('SELECT count(*)::int AS n FROM counterbook.documents')).rows[0].n).toBe(0);
        const sale = await admin.query(`SELECT currency, jsonb_array_length(lines) AS lines FROM counterbook_data.sales WHERE id = 'sales-full'`);
        expect(sale.rows[0]).toEqual({ currency: 'EUR', lines: 1 });
      });

      // Resending is a no-op; an update of a mutable collection and a tombstone replicate.
      const again = await push(client, docs.slice(0, 4));
      expect(again.results.every((r) => r.status === 'accepted' && r.unchanged)).toBe(true);
      const mutable = shared.find((c) => c.kind === 'mutable')!;
      const base = docs.find((d) => d.id === `${mutable.name}-full`)!;
      const changed = { ...base.doc, updatedAt: 1_763_800_000_001 };
      const update = await push(client, [{ ...base, revision: '2-a', baseRevision: '1-a', doc: changed, deleted: true }]);
      expect(update.results[0]!.status).toBe('accepted');
      const after = (await pullAll(client)).find((r) => r.id === base.id)!;
      expect([after.revision, after.deleted, after.doc]).toEqual(['2-a', true, changed]);
    } finally {
      await close();
    }
  });

  it('rejects documents that break their schema with a reason naming the field, and keeps the rest', async () => {
    const { client, close } = await device();
    try {
      const sales = shared.find((c) => c.name === 'sales')!;
      const good = sampleDoc(sales, 'ok', true);
      const bad = (id: string, patch: (d: Record<string, unknown>) => void) => {
        const doc = structuredClone(sampleDoc(sales, id, true));
        patch(doc);
        return { collection: 'sales', id, revision: '1', baseRevision: null, doc };
      };
      const r = await push(client, [
        bad('missing', (d) => delete d.currency),
        bad('enum', (d) => (d.status = 'stolen')),
        bad('unknown', (d) => (d.secretField = 1)),
        bad('type', (d) => (d.totalMinor = '12.50')),
        bad('fraction', (d) => (d.totalMinor = 12.5)),
        bad('pattern', (d) => (d.currency = 'eur')),
        bad('notlist', (d) => (d.lines = 'many')),
        bad('item', (d) => ((d.lines as Record<string, unknown>[])[0]!.quantityMilli = 0)),
        bad('itemextra', (d) => ((d.lines as Record<string, unknown>[])[0]!.colour = 'red')),
        bad('null', (d) => (d.note = null)),
        { collection: 'sales', id: 'ok', revision: '1', baseRevision: null, doc: good },
      ]);
      const reasons = r.results.map((x) => (x.status === 'rejected' ? `${x.reason}: ${x.message}` : x.status));
      expect(reasons).toEqual([
        'invalid: currency is required',
        expect.stringMatching(/^invalid: status must be one of: /),
        'invalid: unknown field secretField',
        'invalid: totalMinor must be a number',
        'invalid: totalMinor must be a whole number',
        'invalid: currency must match ^[A-Z]{3}$',
        'invalid: lines must be a list',
        expect.stringMatching(/^invalid: lines\[0\]\.quantityMilli must be at least 1$/),
        'invalid: lines[0]: unknown field colour',
        'invalid: note must be a string',
        'accepted',
      ]);
      expect((await pullAll(client)).map((x) => x.id)).toEqual(['ok']);
    } finally {
      await close();
    }
  });

  it('reads the feed of all tables in one merged index order', async () => {
    const { url, client, close } = await device();
    try {
      await push(client, [{ collection: 'products', id: 'p1', revision: '1', baseRevision: null, doc: sampleDoc(shared.find((c) => c.name === 'products')!, 'p1', false) }]);
      await withAdmin(url, async (admin) => {
        // The plan of the pull query over all tables: a merge of index scans, no sort of everything.
        // Tiny tables here: forbid sorting so the plan shows whether the merged shape is possible at all.
        await admin.query('SET enable_seqscan = off');
        await admin.query('SET enable_sort = off');
        const fn = await admin.query<{ src: string }>(`SELECT prosrc AS src FROM pg_proc WHERE oid = 'counterbook.pull(xid8, text, text, integer)'::regprocedure`);
        const query = /RETURN QUERY\s+([\s\S]*?LIMIT lim);/.exec(fn.rows[0]!.src)![1]!;
        const tenant = (await admin.query('SELECT id FROM counterbook.tenants')).rows[0].id as string;
        const explain = await admin.query(
          `EXPLAIN ${query
            .replace(/d\.tenant_id/g, `'${tenant}'::uuid`)
            .replace(/cur_xid/g, `'0'::xid8`)
            .replace(/next_xid/g, `'1'::xid8`)
            .replace(/cur_collection/g, `''`)
            .replace(/cur_id/g, `''`)
            .replace(/horizon/g, `pg_snapshot_xmin(pg_current_snapshot())`)
            .replace(/\blim\b/g, '100')}`,
        );
        const plan = explain.rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch(/Merge Append/);
        expect(plan).not.toMatch(/(^|->\s+)Sort\s/m);
      });
    } finally {
      await close();
    }
  });
});
