import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { ResolvedExperiment } from '../config/resolved.js';
import type { BackendInfo } from '../engine/init-backend.js';

/** Everything needed to know what ran and to run it again elsewhere. */
export interface Manifest {
  readonly name: string;
  readonly runId: string;
  readonly experimentFile: string;
  readonly experimentCommit: string | null;
  readonly configHash: string;
  /** The `--set path=value` overrides applied to the file; `config` has them in place. */
  readonly overrides: readonly string[];
  readonly config: ResolvedExperiment;
  readonly tlxVersion: string;
  readonly backend: BackendInfo;
  readonly node: string;
  readonly cpu: { readonly model: string; readonly cores: number; readonly memoryGiB: number };
  readonly concurrency: number;
  readonly trials: number;
  /** Facts about how this run computed its numbers that a reader should know. */
  readonly notes: readonly string[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: 'running' | 'finished';
}

/** The commit of the experiment file's repository, when it is in one. */
export function gitCommit(file: string): string | null {
  try {
    return execFileSync('git', ['-C', dirname(file), 'rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

export function machine(): Manifest['cpu'] {
  return { model: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
}
