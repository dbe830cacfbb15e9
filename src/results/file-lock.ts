import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Who holds a lock: written into the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly purpose: string;
}

export interface Lock {
  readonly path: string;
  /** Removes the lock file; safe to call twice, and from an exit handler (synchronous). */
  release(): void;
}

/**
 * Takes an exclusive lock by creating `path` (O_EXCL, so two processes, or two
 * machines on a shared file system, cannot both succeed). A lock left by a process
 * on this host that no longer exists is stale and taken over. Returns the holder
 * when someone else has it.
 */
export function tryLock(path: string, purpose: string): Lock | LockHolder {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      let held = true;
      return { path, release: () => { if (held) rmSync(path, { force: true }); held = false; } };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder != null ? !isStale(holder) : justCreated(path)) return holder ?? { pid: 0, host: 'unknown', since: '', purpose: 'being taken' };
      rmSync(path, { force: true });
    }
  }
  return readHolder(path) ?? { pid: 0, host: 'unknown', since: '', purpose };
}

/** Waits (polling) until the lock is free, then takes it. */
export async function waitForLock(path: string, purpose: string, pollMs = 500): Promise<Lock> {
  for (;;) {
    const result = tryLock(path, purpose);
    if (isLock(result)) return result;
    await sleep(pollMs);
  }
}

export function isLock(value: Lock | LockHolder): value is Lock {
  return 'release' in value;
}

function readHolder(path: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return null; // being written this moment, or left half-written by a crash
  }
}

/** An empty lock file may be one another process is writing this moment. */
function justCreated(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 5000;
  } catch {
    return false;
  }
}

function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false; // cannot tell from here
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
