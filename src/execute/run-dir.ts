import { existsSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LoadedExperiment } from '../config/load.js';
import { UsageError } from '../errors.js';
import { isOsError, osReason } from '../os-error.js';
import { type Shard, shardName } from '../plan/shard.js';
import { isLock, type Lock, tryLock } from '../results/file-lock.js';
import { repairTornTail } from '../results/trials-log.js';

/** results/<name>/<run id>, and shard-<i>-of-<N>/ inside it for one shard. */
export function runDirFor(resultsDir: string, name: string, runId: string, shard?: Shard): string {
  const dir = join(resultsDir, name, runId);
  return shard == null || shard.count === 1 ? dir : join(dir, shardName(shard));
}

/** The run directory of an experiment: its name, and the first 8 digits of its hash as the run id. */
export function runDirOf(resultsDir: string, loaded: Pick<LoadedExperiment, 'experiment' | 'hash'>, shard?: Shard): string {
  return runDirFor(resultsDir, loaded.experiment.name, loaded.hash.slice(0, 8), shard);
}

/**
 * Takes the run directory for this process: its lock (another live process
 * writing it is an error that names it), a torn trials.jsonl tail cut, and with
 * `fresh` the previous run moved aside to <dir>.replaced-<time>, not deleted.
 */
export function openRunDir(dir: string, purpose: string, fresh: boolean): { lock: Lock; movedTo?: string } {
  try {
    return open(dir, purpose, fresh);
  } catch (error) {
    // The run command checks the folder first (folderProblem); this covers callers that do not.
    if (!isOsError(error)) throw error;
    throw new UsageError('E_RESULTS_DIR', `${relative(process.cwd(), dir) || dir}: cannot write the run folder: ${osReason(error)}`,
      'give a folder where results can be written (--results DIR)');
  }
}

function open(dir: string, purpose: string, fresh: boolean): { lock: Lock; movedTo?: string } {
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
