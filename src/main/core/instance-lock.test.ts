import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock } from './instance-lock';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'cb-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('instance lock', () => {
  it('refuses a second holder while another live process holds it, with a clear message', async () => {
    const file = join(tempDir(), 'counterbook.lock');
    // Another live process: a sleeping child whose pid we write as the holder.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      writeFileSync(file, JSON.stringify({ pid: child.pid, what: 'browser', since: '2026-01-01T00:00:00Z' }));
      expect(() => acquireInstanceLock(file, 'cli')).toThrow(/already open in another Counterbook \(browser \d+/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a dead process, and releases it', async () => {
    const file = join(tempDir(), 'counterbook.lock');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    writeFileSync(file, JSON.stringify({ pid: child.pid, what: 'electron' }));
    const lock = acquireInstanceLock(file, 'cli');
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('treats a half-written lock file as stale', () => {
    const file = join(tempDir(), 'counterbook.lock');
    writeFileSync(file, '{"pid": 12');
    const lock = acquireInstanceLock(file, 'cli');
    lock.release();
  });
});
