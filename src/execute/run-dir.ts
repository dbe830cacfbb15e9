import { existsSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { type Shard, shardName } from '../plan/shard.js';
import { isLock, type Lock, tryLock } from '../results/file-lock.js';
import { repairTornTail } from '../results/trials-log.js';

/** results/<name>/<run id>, and shard-<i>-of-<N>/ inside it for one shard. */
export function runDirFor(resultsDir: string, name: string, runId: string, shard?: Shard): string {
  const dir = join(resultsDir, name, runId);
  return shard == null || shard.count === 1 ? dir : join(dir, shardName(shard));
}

/**
 * Takes the run directory for this process: its lock (another live process
 * writing it is an error that names it), a torn trials.jsonl tail cut, and with
 * `fresh` the previous run moved aside to <dir>.replaced-<time>, not deleted.
 */
export function openRunDir(dir: string, purpose: string, fresh: boolean): { lock: Lock; movedTo?: string } {
  const lockPath = join(dir, 'run.lock');
  let lock = take(dir, lockPath, purpose);
  let movedTo: string | undefined;
  if (fresh && existsSync(join(dir, 'trials.jsonl'))) {
    lock.release();
    movedTo = `${dir}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dir, movedTo);
    lock = take(dir, lockPath, purpose);
  }
  repairTornTail(join(dir, 'trials.jsonl'));
  return { lock, ...(movedTo ? { movedTo } : {}) };
}

function take(dir: string, lockPath: string, purpose: string): Lock {
  const result = tryLock(lockPath, purpose);
  if (isLock(result)) return result;
  throw new UsageError('E_LOCKED',
    `${relative(process.cwd(), dir) || dir} is being written by process ${result.pid} on ${result.host} (since ${result.since}: ${result.purpose})`,
    `wait for it to finish, or stop it; if that process is gone for good, delete ${relative(process.cwd(), lockPath)}`);
}
