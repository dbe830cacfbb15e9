import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendIdentity, backendFolder } from '../engine/backend-identity.js';
import { readMeta, readModelArtifacts } from '../models/model-files.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { isLock, tryLock, waitForLock } from '../results/file-lock.js';

// The cache directory (.tlx-cache): pretrained sources as model folders and shared
// task results as JSON, both per backend identity (package and version: backends
// differ in the last bits). Entries are written atomically and read defensively: an
// entry that cannot be read whole (truncated, corrupt, a weight file missing) is
// computed again, with a note, never trusted and never fatal.

export interface CacheOptions {
  /** Told when an entry was unusable and is computed again. */
  readonly note?: (text: string) => void;
}

/** Where task results computed on a backend are kept. */
export function taskCacheDir(cacheDir: string, backend: BackendIdentity): string {
  return join(cacheDir, 'tasks', backendFolder(backend));
}

/** The folder of a pretrained source built on a backend: model.json, weights.bin, meta.json. */
export function pretrainedDir(cacheDir: string, backend: BackendIdentity, key: string): string {
  return join(cacheDir, 'pretrain', backendFolder(backend), key);
}

/**
 * Results of shared tasks (scratch baselines, probes), keyed by the task's hash
 * under the backend that computed them. A task is computed by whichever process
 * gets to it first — another shard, or this run before a crash — under a lock, so
 * the others wait for it and read it rather than repeating it.
 */
export async function cachedTask<T extends object>(
  cacheDir: string, backend: BackendIdentity, key: string, compute: () => Promise<T>, options: CacheOptions = {},
): Promise<T> {
  const path = join(taskCacheDir(cacheDir, backend), `${key}.json`);
  let noted = false;
  const read = (): T | undefined => {
    const problem = entryProblem(path);
    if (problem === undefined) return JSON.parse(readFileSync(path, 'utf8')) as T;
    if (problem !== null && !noted) options.note?.(`the cached result of ${key} is unusable (${problem}): computing it again`);
    noted ||= problem !== null;
    return undefined;
  };
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

/** null: no entry; undefined: a usable one (a JSON object with test metrics); else what is wrong. */
function entryProblem(path: string): string | null | undefined {
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const test = typeof value === 'object' && value !== null ? (value as { test?: unknown }).test : undefined;
    return typeof test === 'object' && test !== null ? undefined : 'not a task result';
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Builds a pretrained source into its folder unless a usable one is there, holding
 * the folder's lock so two processes never build it at once. An unusable folder
 * (meta.json or model.json unreadable, a weight shard missing or short) is removed
 * first, so `build` makes it again.
 */
export async function cachedModel<T>(
  cacheDir: string, backend: BackendIdentity, key: string, build: (dir: string) => Promise<T>, options: CacheOptions = {},
): Promise<T> {
  const dir = pretrainedDir(cacheDir, backend, key);
  return underLock(cacheDir, `${key}@${backendFolder(backend)}`, async () => {
    const problem = existsSync(dir) ? modelDirProblem(dir) : undefined;
    if (problem !== undefined) {
      options.note?.(`the cached pretrained source ${key} is unusable (${problem}): training it again`);
      rmSync(dir, { recursive: true, force: true });
    }
    return build(dir);
  });
}

function modelDirProblem(dir: string): string | undefined {
  try {
    if (!existsSync(join(dir, 'meta.json'))) return 'no meta.json';
    const meta = readMeta<unknown>(dir);
    if (typeof meta !== 'object' || meta === null) return 'meta.json is not an object';
    readModelArtifacts(join(dir, 'model.json'));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Runs `compute` holding the lock of a cached artifact, so two processes never build it at once. */
export async function underLock<T>(cacheDir: string, key: string, compute: () => Promise<T>): Promise<T> {
  const lock = await waitForLock(join(cacheDir, 'locks', `${key}.lock`), `building ${key}`);
  try {
    return await compute();
  } finally {
    lock.release();
  }
}
