/**
 * Durability: a child process writes in a loop and is killed with SIGKILL
 * after a number of acknowledged writes. Every acknowledged document must be
 * in the file afterwards, and the file must pass PRAGMA integrity_check.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRxStorageBetterSqlite3 } from './index';
import { createInstance, makeTempDir, testSchema } from './test-support';

const ROOT = resolve(__dirname, '../../../..');
const FIXTURE = join(__dirname, 'kill-writer.fixture.ts');

/** Runs the writer until `acks` documents are acknowledged, then SIGKILLs it; returns the acknowledged ids. */
function writeThenKill(dir: string, runTag: string, acks: number): Promise<{ acked: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    // node itself with tsx as a loader: SIGKILL of the tsx wrapper would leave its node child
    // writing (the kill untested, and the writer running on after the test).
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, runTag], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
      if (!killed && acked.length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!killed) reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolvePromise({ acked, signal });
    });
  });
}

let tmp: ReturnType<typeof makeTempDir>;
beforeAll(() => {
  tmp = makeTempDir('rxs-kill-');
});
afterAll(() => tmp.cleanup());

describe('SIGKILL during writes', () => {
  it('keeps every acknowledged write and an intact file, across repeated crashes', async () => {
    const allAcked: string[] = [];
    for (const [round, acks] of [
      ['r1', 400],
      ['r2', 257],
      ['r3', 1000],
    ] as const) {
      const { acked, signal } = await writeThenKill(tmp.dir, round, acks);
      expect(signal).toBe('SIGKILL');
      expect(acked.length).toBeGreaterThanOrEqual(acks);
      allAcked.push(...acked);

      const file = join(tmp.dir, 'crash.sqlite');
      const raw = new Database(file);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();

      const instance = await createInstance(getRxStorageBetterSqlite3({ path: tmp.dir }), 'crash', 'docs', testSchema());
      const found = await instance.findDocumentsById(allAcked, false);
      const foundIds = new Set(found.map((d) => d.id));
      const missing = allAcked.filter((id) => !foundIds.has(id));
      expect(missing).toEqual([]);
      await instance.close();
    }
  }, 120_000);
});
