import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '@shared/ids';
import { silentLogger } from '../core/log';
import { openStore, type Store } from '../store/open-store';
import { WritePath } from '../store/write-path';
import { expense, user } from '../locks/test-fixtures';
import { AuditService, HIDDEN } from './audit-service';
import { ChainVerifier, verifyChain } from './hash-chain';

let dir: string;
let store: Store;
let now: number;
let service: AuditService;
const clock = () => now;
const ada = { userId: 'ada', name: 'Ada' };
const bo = { userId: 'bo', name: 'Bo' };

function writer(deviceId: string): WritePath {
  return new WritePath({ db: store.db, sqlite: store.sqlite, deviceId, appVersion: '1.2.3', logger: silentLogger, clock });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-audit-'));
  store = await openStore({ dir });
  now = Date.UTC(2026, 10, 21, 9);
  service = new AuditService(store.db, store.sqlite, 'device-a');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function auditTable(): string {
  return (store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rxdocs__auditLog__%'").get() as { name: string }).name;
}

describe('audit.list and audit.entry', () => {
  it('lists newest first with names, filters, and pages with a cursor', async () => {
    const w = writer('device-a');
    await w.run({ action: 'user.create', actor: ada }, (tx) => tx.insert('users', user({ id: 'ada', name: 'Ada Lovelace', pinHash: 'scrypt$secret', createdBy: 'ada' }) as never));
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      now += 1000;
      const e = expense({ description: `Expense ${i}` });
      ids.push(e.id);
      await w.run({ action: 'expense.create', actor: i % 2 ? bo : ada }, (tx) => tx.insert('expenses', e as never));
    }
    now += 1000;
    await w.run({ action: 'expense.edit', actor: bo, reason: 'typo' }, (tx) => tx.update('expenses', ids[0]!, { description: 'Milk' } as never));

    const all = await service.list({ limit: 50 }, { id: 'bo', name: 'Bo (session)' });
    expect(all.entries).toHaveLength(9);
    expect(all.nextCursor).toBeNull();
    expect(all.entries[0]).toMatchObject({ action: 'expense.edit', user: { id: 'bo', name: 'Bo (session)' }, reason: 'typo', fields: ['description'], change: 'changed' });
    expect(all.entries.at(-1)).toMatchObject({ action: 'user.create', user: { name: 'Ada Lovelace' }, change: 'created' });
    expect(all.entries.map((e) => e.at)).toEqual([...all.entries.map((e) => e.at)].sort((a, b) => b - a));

    // Pages of 3 cover the same entries, in the same order.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await service.list({ limit: 3, cursor });
      paged.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all.entries.map((e) => e.id));

    expect((await service.list({ limit: 50, userId: 'ada' })).entries.map((e) => e.user.id)).toEqual(['ada', 'ada', 'ada', 'ada', 'ada']);
    expect((await service.list({ limit: 50, resourceType: 'expenses', resourceId: ids[0] })).entries.map((e) => e.action)).toEqual(['expense.edit', 'expense.create']);
    expect((await service.list({ limit: 50, resourceType: 'users' })).entries).toHaveLength(1);
    expect((await service.list({ limit: 50, action: 'expense.' })).entries).toHaveLength(8);
    expect((await service.list({ limit: 50, action: 'expense.edit' })).entries).toHaveLength(1);
    const start = Date.UTC(2026, 10, 21, 9) + 2000;
    const ranged = await service.list({ limit: 50, from: start, to: start + 3000 });
    expect(ranged.entries.map((e) => e.at)).toEqual([start + 2000, start + 1000, start]);

    // Secrets in a diff are hidden from the screen (the chain still covers them).
    const created = all.entries.at(-1)!;
    const entry = await service.entry(created.id);
    expect(entry.diff.find((f) => f.field === 'pinHash')).toEqual({ field: 'pinHash', after: HIDDEN });
    expect(entry.diff.find((f) => f.field === 'name')).toEqual({ field: 'name', after: 'Ada Lovelace' });
    expect(entry.diff.find((f) => f.field === 'createdBy')).toEqual({ field: 'createdBy', after: 'ada', afterName: 'Ada Lovelace' });
    expect(entry).toMatchObject({ appVersion: '1.2.3', device: { id: 'device-a', name: 'This device', thisDevice: true } });
    const edit = await service.entry(all.entries[0]!.id);
    expect(edit.diff).toEqual([{ field: 'description', before: 'Expense 0', after: 'Milk' }]);
    await expect(service.entry('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.list({ limit: 3, userId: 'ada', cursor: all.nextCursor ?? (await service.list({ limit: 1 })).nextCursor! })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});

describe('audit.verify', () => {
  it('streams each device chain in pages and reports it whole', async () => {
    const a = writer('device-a');
    const b = writer('device-b');
    for (let i = 0; i < 25; i++) {
      await (i % 3 ? a : b).run({ action: 'expense.create', actor: ada }, (tx) => tx.insert('expenses', expense() as never));
    }
    let progressCalls = 0;
    const result = await service.verify({ pageSize: 4, onProgress: () => progressCalls++ });
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(25);
    expect(result.devices).toEqual([
      expect.objectContaining({ deviceId: 'device-a', entries: 16, verified: 16, lastSeq: 16, ok: true, firstBreak: null, thisDevice: true }),
      expect.objectContaining({ deviceId: 'device-b', entries: 9, verified: 9, lastSeq: 9, ok: true, thisDevice: false }),
    ]);
    expect(progressCalls).toBeGreaterThanOrEqual(6);
  });

  async function chainOf(n: number) {
    const w = writer('device-a');
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const e = expense({ description: `Expense ${i}` });
      await w.run({ action: 'expense.create', actor: ada }, (tx) => tx.insert('expenses', e as never));
    }
    const docs = await store.db.collections.auditLog.find({ sort: [{ seq: 'asc' }] }).exec();
    for (const d of docs) ids.push(d.id);
    return ids;
  }

  it('locates an entry whose JSON was edited in the SQLite file', async () => {
    const ids = await chainOf(6);
    store.sqlite.prepare(`UPDATE "${auditTable()}" SET data = json_set(data, '$.diff.after.description', 'Nothing to see') WHERE id = ?`).run(ids[3]);
    const result = await service.verify({ pageSize: 2 });
    expect(result.ok).toBe(false);
    expect(result.devices[0]).toMatchObject({ deviceId: 'device-a', verified: 3, firstBreak: { seq: 4, id: ids[3], problem: expect.stringContaining('hash mismatch') } });
  });

  it('locates a deleted row, a tombstoned row and a damaged row', async () => {
    const ids = await chainOf(6);
    store.sqlite.prepare(`DELETE FROM "${auditTable()}" WHERE id = ?`).run(ids[2]);
    expect((await service.verify()).devices[0]!.firstBreak).toEqual({ seq: 4, id: ids[3], problem: 'entries 3..3 are missing' });

    store.sqlite.prepare(`UPDATE "${auditTable()}" SET deleted = 1 WHERE id = ?`).run(ids[1]);
    expect((await service.verify()).devices[0]!.firstBreak).toMatchObject({ seq: 2, id: ids[1], problem: expect.stringContaining('deleted') });

    store.sqlite.prepare(`UPDATE "${auditTable()}" SET data = '{not json' WHERE id = ?`).run(ids[0]);
    expect((await service.verify()).devices[0]!.firstBreak).toMatchObject({ seq: 1, id: ids[0], problem: expect.stringContaining('cannot be read') });
  });

  it('detects a forged entry even when its own hash was recomputed (the next entry no longer links)', async () => {
    const ids = await chainOf(4);
    store.sqlite.prepare(`UPDATE "${auditTable()}" SET data = json_set(data, '$.hash', ?) WHERE id = ?`).run('0'.repeat(64), ids[1]);
    const result = await service.verify();
    expect(result.devices[0]!.firstBreak).toMatchObject({ seq: 2, id: ids[1] });
  });
});

describe('ChainVerifier', () => {
  it('agrees with verifyChain and reports the first break only', async () => {
    const w = writer('device-a');
    for (let i = 0; i < 3; i++) await w.run({ action: 'expense.create', actor: ada }, (tx) => tx.insert('expenses', { ...expense(), id: newId() } as never));
    const docs = (await store.db.collections.auditLog.find({ sort: [{ seq: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
    expect(verifyChain(docs)).toBeNull();
    const v = new ChainVerifier();
    v.push(docs[0]!);
    expect(v.push({ ...docs[2]! })).toMatchObject({ seq: 3, problem: 'entries 2..2 are missing' });
    expect(v.push(docs[1]!)).toMatchObject({ seq: 3 });
    expect(v.verified).toBe(1);
  });
});
