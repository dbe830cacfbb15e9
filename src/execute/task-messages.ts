import type { ResolvedExperiment } from '../config/resolved.js';
import type { MetricValues } from '../train/metrics.js';
import type { FitResult } from '../train/fit.js';
import type { FeatureCache } from '../train/frozen-features.js';

interface TaskBase {
  readonly key: string;
  readonly experiment: ResolvedExperiment;
  /** The source's model.json: pretrained (the pretrain task writes it), on disk, or a downloaded URL. */
  readonly sourceModel: string;
  /** The experiment file's directory: relative data paths start there. */
  readonly baseDir: string;
  /** Bytes cached frozen-layer features may take (run.cacheBudget); false: --no-cache. */
  readonly featureBudget: number | false;
}

/** Work a worker can be given. */
export type TaskRequest =
  | (TaskBase & { readonly kind: 'pretrain' })
  | (TaskBase & { readonly kind: 'probe'; readonly seed: number })
  | (TaskBase & { readonly kind: 'scratch'; readonly seed: number })
  | (TaskBase & { readonly kind: 'finetune'; readonly seed: number; readonly exportDir?: string });

export interface PretrainResult { readonly test: MetricValues; readonly seconds: number; readonly layers: readonly string[] }
export interface ProbeResult { readonly test: MetricValues; readonly seconds: number }
export interface FinetuneResult extends FitResult {
  readonly frozen: readonly string[];
  /** Layers a fine-tuning phase unfroze. */
  readonly unfrozen?: readonly string[];
  /** Per training phase: where frozen-layer features were cached, or why not. */
  readonly featureCache: readonly FeatureCache[];
}

export interface TaskResults {
  pretrain: PretrainResult;
  probe: ProbeResult;
  scratch: FinetuneResult;
  finetune: FinetuneResult;
}

/** Messages a worker sends. Errors cross the boundary as plain data. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly key: string; readonly epoch: number; readonly epochs: number; readonly score?: number }
  | { readonly type: 'done'; readonly key: string; readonly result: unknown }
  | { readonly type: 'failed'; readonly key: string; readonly error: { readonly message: string; readonly stack?: string; readonly code?: string } };
