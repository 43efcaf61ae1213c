import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiError } from '@shared/api/errors';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface InstanceLock {
  release(): void;
}

/**
 * One app instance per data folder: a second desktop window, browser host or CLI
 * writer on the same folder gets a clear message instead of a second writer on the
 * store. A lock left by a crashed process (its pid is gone) is taken over.
 */
export function acquireInstanceLock(lockFile: string, what: string): InstanceLock {
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, what, since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          const holder = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number };
          if (holder.pid === process.pid) rmSync(lockFile, { force: true });
        } catch {
          // Already gone.
        }
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; what?: string; since?: string } = {};
      try {
        holder = JSON.parse(readFileSync(lockFile, 'utf8')) as typeof holder;
      } catch {
        // A half-written lock file from a crash: treat as stale.
      }
      if (holder.pid && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new ApiError(
          'LOCKED',
          `This data folder is already open in another Counterbook (${holder.what ?? 'process'} ${holder.pid}, since ${holder.since ?? 'unknown'}). Close it first, or choose another folder with --data-dir.`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new ApiError('LOCKED', `Could not take the lock on ${lockFile}.`);
}
