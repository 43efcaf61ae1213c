import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../../test-support/postgres';
import { withAdmin } from '../../../../test-support/sync-server';
import { appliedMigrations, findMigrationsDir, migrateServer, migrationFiles, MIGRATIONS_DIR_ENV } from './migrate';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describe('migrateServer', () => {
  it('finds resources/migrations from the source tree and honours the env override', () => {
    const dir = findMigrationsDir();
    expect(dir.replace(/\\/g, '/')).toMatch(/resources\/migrations$/);
    expect(migrationFiles(dir)[0]).toMatch(/^\d{17}_core-sync$/);
    const other = mkdtempSync(join(tmpdir(), 'cb-mig-'));
    try {
      writeFileSync(join(other, '20990101000000000_x.sql'), '-- Up Migration\nSELECT 1;\n');
      process.env[MIGRATIONS_DIR_ENV] = other;
      expect(findMigrationsDir()).toBe(other);
    } finally {
      delete process.env[MIGRATIONS_DIR_ENV];
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('applies every migration to an empty database, and a re-run is a no-op', async () => {
    const url = await server.createDatabase();
    const files = migrationFiles(findMigrationsDir());
    const first = await migrateServer({ url });
    expect(first.applied).toEqual(files);
    expect(first.current).toEqual(files);

    const fingerprint = () =>
      withAdmin(url, async (c) => {
        const objects = await c.query(`
          SELECT 'table' AS kind, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'counterbook'
          UNION ALL SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'counterbook'
          UNION ALL SELECT 'policy', tablename || '.' || policyname FROM pg_policies WHERE schemaname = 'counterbook'
          ORDER BY 1, 2`);
        return { objects: objects.rows, applied: await appliedMigrations(c) };
      });
    const before = await fingerprint();
    const second = await migrateServer({ url });
    expect(second.applied).toEqual([]);
    expect(second.current).toEqual(files);
    expect(await fingerprint()).toEqual(before);
  });

  it('lets two admins migrate at once: one applies, the other waits and finds nothing to do', async () => {
    const url = await server.createDatabase();
    const results = await Promise.all([migrateServer({ url }), migrateServer({ url })]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, migrationFiles(findMigrationsDir()).length]);
  });

  it('rolls a failing migration back completely', async () => {
    const url = await server.createDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'cb-mig-'));
    try {
      writeFileSync(join(dir, '20990101000000000_ok.sql'), '-- Up Migration\nCREATE TABLE counterbook.ok (x int);\n');
      writeFileSync(join(dir, '20990101000000001_broken.sql'), '-- Up Migration\nCREATE TABLE counterbook.broken (x nonsense_type);\n');
      await expect(migrateServer({ url, migrationsDir: dir })).rejects.toThrow(/nonsense_type/);
      const left = await withAdmin(url, async (c) => ({
        ok: (await c.query("SELECT to_regclass('counterbook.ok') AS t")).rows[0].t,
        applied: await appliedMigrations(c),
      }));
      expect(left).toEqual({ ok: null, applied: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves devices exactly the sync functions, and row-level security forced on every tenant table', async () => {
    const url = await server.createDatabase();
    await migrateServer({ url });
    await withAdmin(url, async (c) => {
      const executable = await c.query(`
        SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'counterbook' AND has_function_privilege('counterbook_device', p.oid, 'EXECUTE') ORDER BY 1`);
      // push(jsonb) and push(text).
      expect(executable.rows.map((r) => r.proname)).toEqual(['pull', 'pull_backlog', 'push', 'push', 'whoami']);
      const pairing = await c.query(`
        SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname IN ('counterbook', 'counterbook_data') AND has_function_privilege('counterbook_pairing', p.oid, 'EXECUTE') ORDER BY 1`);
      expect(pairing.rows.map((r) => r.proname)).toEqual(['redeem_pairing']);
      const publicFns = await c.query(`
        SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'counterbook' AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))`);
      expect(publicFns.rows).toEqual([]);
      const tablePrivileges = await c.query(`
        SELECT c.relname, priv FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
          unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) priv
        WHERE n.nspname = 'counterbook' AND c.relkind IN ('r', 'v', 'm', 'p')
          AND (has_table_privilege('counterbook_device', c.oid, priv) OR has_table_privilege('public', c.oid, priv))`);
      expect(tablePrivileges.rows).toEqual([]);
      const definers = await c.query(`
        SELECT p.proname, pg_get_userbyid(p.proowner) AS owner, p.proconfig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'counterbook' AND p.prosecdef ORDER BY 1`);
      expect(definers.rows).toEqual(
        ['pull', 'pull_backlog', 'push', 'push', 'redeem_pairing', 'whoami'].map((proname) => ({
          proname,
          // redeem_pairing creates the device role: it stays with the admin who migrated (CREATEROLE).
          owner: proname === 'redeem_pairing' ? 'postgres' : 'counterbook_sync',
          proconfig: proname === 'push' ? ['search_path=pg_catalog, pg_temp', 'enable_nestloop=off'] : ['search_path=pg_catalog, pg_temp'],
        })),
      );
      const owner = await c.query(`SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'counterbook_sync'`);
      expect(owner.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
      const rls = await c.query(`
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname IN ('tenant_id') AND NOT a.attisdropped
        WHERE n.nspname = 'counterbook' AND c.relkind = 'r' ORDER BY 1`);
      expect(rls.rows.length).toBeGreaterThanOrEqual(4);
      for (const row of rls.rows) expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
      const tenants = await c.query(`SELECT relforcerowsecurity FROM pg_class WHERE oid = 'counterbook.tenants'::regclass`);
      expect(tenants.rows[0].relforcerowsecurity).toBe(true);
    });
  });

  it('can step back down: the trust layer and the collection tables go and the generic store keeps working', async () => {
    const url = await server.createDatabase();
    await migrateServer({ url });
    const { runner } = await import('node-pg-migrate');
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const down = { databaseUrl: url, dir: findMigrationsDir(), schema: 'counterbook', migrationsSchema: 'counterbook', migrationsTable: 'schema_migrations', singleTransaction: true, logger };
    // Everything after the trust layer, then the trust layer (its push is the core one
    // again), then the collection tables.
    const later = migrationFiles(findMigrationsDir()).length - 3;
    await runner({ ...down, direction: 'down', count: later });
    await withAdmin(url, async (c) => {
      expect((await c.query("SELECT to_regprocedure('counterbook.push(text)') AS f")).rows[0].f).toBeNull();
      const push = (await c.query("SELECT prosrc FROM pg_proc WHERE oid = 'counterbook.push(jsonb)'::regprocedure")).rows[0].prosrc as string;
      expect(push).toMatch(/closed_day_refusals/);
    });
    await runner({ ...down, direction: 'down', count: 1 });
    await withAdmin(url, async (c) => {
      expect((await c.query("SELECT to_regprocedure('counterbook.verify_audit_chain(uuid)') AS f")).rows[0].f).toBeNull();
      const push = (await c.query("SELECT prosrc FROM pg_proc WHERE oid = 'counterbook.push(jsonb)'::regprocedure")).rows[0].prosrc as string;
      expect(push).not.toMatch(/closed_day_refusals/);
    });
    await runner({ ...down, direction: 'down', count: 1 });
    await withAdmin(url, async (c) => {
      expect((await c.query("SELECT to_regnamespace('counterbook_data') AS s")).rows[0].s).toBeNull();
      expect((await c.query("SELECT count(*)::int AS n FROM counterbook.collections WHERE storage = 'table'")).rows[0].n).toBe(0);
      const src = (await c.query("SELECT prosrc FROM pg_proc WHERE oid = 'counterbook.pull(xid8, text, text, integer)'::regprocedure")).rows[0].prosrc as string;
      expect(src).not.toMatch(/counterbook_data/);
    });
    // ...and up again.
    expect((await migrateServer({ url })).applied).toHaveLength(later + 2);
  });

  it('explains a server it cannot reach', async () => {
    await expect(migrateServer({ url: 'postgres://nobody:secret@127.0.0.1:1/x' })).rejects.toThrow(/Cannot connect to 127\.0\.0\.1:1\/x/);
    await expect(migrateServer({ url: server.url.replace(/:[0-9a-f]+@/, ':wrong@') })).rejects.toThrow(/refused the user name or password/);
    await expect(migrateServer({ url: server.url.replace(/:[0-9a-f]+@/, ':wrong@') })).rejects.not.toThrow(/wrong/);
  });
});
