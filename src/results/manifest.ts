import type { ResolvedExperiment } from '../config/resolved.js';
import type { EmbeddingsSourceMeta, EmbeddingsStats } from '../models/embedding-weights.js';
import type { ChanceTest } from '../indicators/chance.js';
import type { CurvePoint } from '../train/fit.js';
import type { MetricValues } from '../train/metrics.js';
import type { Shard } from '../plan/shard.js';
import type { Environment } from './environment.js';

/** A source model tlx pretrained, scored on its own task's test set (the cache's meta.json). */
export interface SourceScores {
  /** Its pretrain task key: the `source` of the trials that started from it. */
  readonly key: string;
  readonly test: MetricValues;
  readonly seconds: number;
  /** The pretraining curve and the test confusion matrix; absent for a source cached by an older tlx. */
  readonly curve?: readonly CurvePoint[];
  readonly confusion?: number[][];
  /** Whether its test accuracy is above chance; null without a confusion matrix. */
  readonly chance: ChanceTest | null;
  /** A text source started from word vectors: which, and their coverage of its training texts. */
  readonly embeddings?: EmbeddingsStats;
}

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
  /** source.embeddings: the embedding layer built for each seed, with the vectors' coverage of its training texts. */
  readonly embeddings?: readonly EmbeddingsSourceMeta[];
  /** The pretrained sources of its trials, with their own scores (none for source.model). */
  readonly sources?: readonly SourceScores[];
  /** Trials this run (or shard) is responsible for. */
  readonly trials: number;
  /** Facts about how this run computed its numbers that a reader should know. */
  readonly notes: readonly string[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** interrupted: stopped by Ctrl-C or SIGTERM; the same command resumes it. */
  readonly status: 'running' | 'finished' | 'interrupted';
}
