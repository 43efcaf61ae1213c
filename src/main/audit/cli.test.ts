// `audit verify` as an admin runs it: a child process on a data folder whose SQLite
// file was edited behind the app's back (not through RxDB).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore } from '../core/core';
import { silentLogger } from '../core/log';
import { expense } from '../locks/test-fixtures';

const root = resolve(__dirname, '../../..');
let base: string;
let clean: string;
let storeFileName: string;
let storeDirName: string;
let ids: string[];
let deviceId: string;

function cli(dataDir: string, ...extra: string[]) {
  const result = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/main/cli/main.ts', 'audit', 'verify', '--data-dir', dataDir, ...extra], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** A copy of the clean data folder, with the audit table opened straight from the SQLite file. */
function tampered(edit: (db: Database.Database, table: string) => void): string {
  const dir = mkdtempSync(join(base, 'case-'));
  cpSync(clean, dir, { recursive: true });
  const db = new Database(join(dir, storeDirName, storeFileName));
  try {
    const { name } = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rxdocs__auditLog__%'").get() as { name: string };
    edit(db, `"${name}"`);
  } finally {
    db.close();
  }
  return dir;
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'cb-audit-cli-'));
  clean = join(base, 'clean');
  const core = await startCore({ dataDir: clean, appVersion: '0.0.0-test', host: 'test', logger: silentLogger });
  deviceId = core.deviceId;
  const actor = { userId: 'ada', name: 'Ada' };
  for (let i = 0; i < 5; i++) await core.writes.run({ action: 'expense.create', actor }, (tx) => tx.insert('expenses', expense({ description: `Expense ${i}` }) as never));
  const docs = await core.store.db.collections.auditLog.find({ selector: { deviceId }, sort: [{ deviceId: 'asc' }, { seq: 'asc' }] }).exec();
  ids = docs.map((d) => d.id);
  const file = core.store.file;
  await core.close();
  storeFileName = file.split(/[\\/]/).pop()!;
  storeDirName = readdirSync(clean).find((entry) => file.startsWith(join(clean, entry)))!;
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('npm run cli -- audit verify', () => {
  it('exits 0 and prints the entries verified per device when the log is whole', () => {
    const { code, out } = cli(clean);
    expect(out).toContain(`[${deviceId}]: ${ids.length} entries verified (last seq ${ids.length})`);
    expect(out).toContain(`The audit log is intact: ${ids.length} entries on 1 device.`);
    expect(code).toBe(0);
    const json = cli(clean, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, devices: [{ deviceId, verified: ids.length, ok: true }] });
  });

  it('exits non-zero and names the entry whose row JSON was edited in the file', () => {
    const dir = tampered((db, table) => db.prepare(`UPDATE ${table} SET data = json_set(data, '$.userId', 'mallory') WHERE id = ?`).run(ids[2]));
    const { code, out } = cli(dir);
    expect(code).not.toBe(0);
    expect(out).toContain(`first broken entry on device ${deviceId} is seq 3 (id ${ids[2]})`);
    expect(out).toContain('hash mismatch');
  });

  it('exits non-zero and names the entry after a row deleted from the middle', () => {
    const dir = tampered((db, table) => db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(ids[1]));
    const { code, out } = cli(dir);
    expect(code).not.toBe(0);
    expect(out).toContain(`seq 3 (id ${ids[2]}): entries 2..2 are missing`);
  });

  it('exits non-zero when the diff of an entry was changed', () => {
    const dir = tampered((db, table) => db.prepare(`UPDATE ${table} SET data = json_set(data, '$.diff.after.amountMinor', 1) WHERE id = ?`).run(ids[4]));
    const { code, out } = cli(dir, '--json');
    expect(code).not.toBe(0);
    const result = JSON.parse(out) as { ok: boolean; devices: { firstBreak: { seq: number; id: string; problem: string } }[] };
    expect(result.ok).toBe(false);
    expect(result.devices[0]!.firstBreak).toEqual({ seq: 5, id: ids[4], problem: 'its content was changed after it was written (hash mismatch)' });
  });
});
