import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, redact, redactText } from './log';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('logger', () => {
  it('never writes secrets: keys like pin, password, token, and credentials inside URLs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-log-'));
    dirs.push(dir);
    const log = createFileLogger({ dir });
    log.info('connecting to postgres://device_1:s3cr3t-pass@db.example.com/shop', { pin: '1234', nested: { password: 'hunter2', apiToken: 'tok' }, count: 3 });
    const text = readFileSync(join(dir, 'counterbook.log'), 'utf8');
    for (const secret of ['s3cr3t-pass', '1234', 'hunter2', 'tok"']) expect(text).not.toContain(secret);
    expect(text).toContain('"count":3');
    expect(text).toContain('device_1:[redacted]@');
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-log-'));
    dirs.push(dir);
    const log = createFileLogger({ dir, maxBytes: 500, keep: 3 });
    for (let i = 0; i < 100; i++) log.info(`line ${i}`, { filler: 'x'.repeat(50) });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['counterbook.1.log', 'counterbook.2.log', 'counterbook.3.log', 'counterbook.log']);
    expect(readFileSync(join(dir, 'counterbook.log'), 'utf8')).toContain('line 99');
  });

  it('redacts errors and query-string tokens', () => {
    expect(redactText('GET /api?token=abc&x=1')).toBe('GET /api?token=[redacted]&x=1');
    const e = redact(new Error('bad postgres://a:b@h/db')) as { message: string };
    expect(e.message).toBe('bad postgres://a:[redacted]@h/db');
  });
});
