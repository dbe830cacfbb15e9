import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../results/atomic-write.js';
import { isLock, tryLock, waitForLock } from '../results/file-lock.js';

/**
 * Results of shared tasks (scratch baselines, probes) on disk under the cache
 * directory, keyed by the task's hash and the backend that computed them (backends
 * differ in the last bits). A task is computed by whichever process gets to it
 * first — another shard, or this run before a crash — under a lock, so the others
 * wait for it and read it rather than repeating it.
 */
export async function cachedTask<T>(cacheDir: string, backend: string, key: string, compute: () => Promise<T>): Promise<T> {
  const path = join(cacheDir, 'tasks', backend, `${key}.json`);
  const read = (): T | undefined => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined);
  const hit = read();
  if (hit !== undefined) return hit;
  // Taken synchronously when free, so the task is queued in call order (a trial's
  // shared tasks before the trials that wait for them).
  const free = tryLock(`${path}.lock`, `computing task ${key}`);
  const lock = isLock(free) ? free : await waitForLock(`${path}.lock`, `computing task ${key}`);
  try {
    const done = read();
    if (done !== undefined) return done;
    const result = await compute();
    writeFileAtomic(path, JSON.stringify(result));
    return result;
  } finally {
    lock.release();
  }
}

/** Runs `compute` holding the lock of a cached artifact (a pretrained source), so two processes never build it at once. */
export async function underLock<T>(cacheDir: string, key: string, compute: () => Promise<T>): Promise<T> {
  const lock = await waitForLock(join(cacheDir, 'locks', `${key}.lock`), `building ${key}`);
  try {
    return await compute();
  } finally {
    lock.release();
  }
}
