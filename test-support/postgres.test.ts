import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startTestPostgres } from './postgres';

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

describe('startTestPostgres', () => {
  it('starts a throw-away server, runs queries, copies databases, and leaves nothing behind', async () => {
    const started = Date.now();
    const server = await startTestPostgres();
    try {
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(server.url).toMatch(/^postgres:\/\/postgres:[0-9a-f]+@127\.0\.0\.1:\d+\/postgres$/);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const r = await client.query<{ n: number; su: boolean }>("SELECT 1 + 1 AS n, current_setting('is_superuser') = 'on' AS su");
      expect(r.rows[0]).toEqual({ n: 2, su: true });
      await client.query('CREATE DATABASE seed');
      await client.end();

      const seed = new pg.Client({ connectionString: server.urlFor('seed') });
      await seed.connect();
      await seed.query("CREATE TABLE t (x int); INSERT INTO t VALUES (42)");
      await seed.end();
      const copyUrl = await server.createDatabase({ template: 'seed' });
      const copy = new pg.Client({ connectionString: copyUrl });
      await copy.connect();
      expect((await copy.query('SELECT x FROM t')).rows).toEqual([{ x: 42 }]);
      await copy.end();
    } finally {
      await server.stop();
    }
    expect(await canConnect(server.port)).toBe(false);
    expect(existsSync(server.dataDir)).toBe(false);
    await server.stop(); // idempotent
  });

  it('runs two servers side by side', async () => {
    const [a, b] = await Promise.all([startTestPostgres(), startTestPostgres()]);
    try {
      expect(a.port).not.toBe(b.port);
      for (const s of [a, b]) {
        const client = new pg.Client({ connectionString: s.url });
        await client.connect();
        expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
        await client.end();
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
