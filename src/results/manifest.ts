import type { ResolvedExperiment } from '../config/resolved.js';
import type { Shard } from '../plan/shard.js';
import type { Environment } from './environment.js';

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
  /** The seed of each repeat (experiment seed + repeat index). */
  readonly seeds: readonly number[];
  readonly environment: Environment;
  readonly concurrency: number;
  /** The slice of the sweep this run did, when it was one shard of several. */
  readonly shard?: Shard;
  /** Runs joined into this one by tlx merge. */
  readonly mergedFrom?: readonly { readonly dir: string; readonly shard?: Shard; readonly environment: Environment; readonly status: Manifest['status'] }[];
  /** Trials this run (or shard) is responsible for. */
  readonly trials: number;
  /** Facts about how this run computed its numbers that a reader should know. */
  readonly notes: readonly string[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** interrupted: stopped by Ctrl-C or SIGTERM; the same command resumes it. */
  readonly status: 'running' | 'finished' | 'interrupted';
}
