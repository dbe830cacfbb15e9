import type { ResolvedExperiment } from '../config/resolved.js';
import { TrialError } from '../errors.js';
import type { MetricValues } from '../train/metrics.js';
import type { CurvePoint, FitResult, RungOptions } from '../train/fit.js';
import type { FeatureCache } from '../train/frozen-features.js';
import type { Misclassified } from '../results/trial-record.js';
import type { EmbeddingsStats } from '../models/embedding-weights.js';

interface TaskBase {
  readonly key: string;
  readonly experiment: ResolvedExperiment;
  /** The source's model.json: pretrained (the pretrain task writes it), on disk, or a downloaded URL. */
  readonly sourceModel: string;
  /** The experiment file's directory: relative data paths start there. */
  readonly baseDir: string;
  /** The cache (.tlx-cache): word vectors restricted to a vocabulary are kept there. */
  readonly cacheDir: string;
  /** Bytes cached frozen-layer features may take (run.cacheBudget); false: --no-cache. */
  readonly featureBudget: number | false;
}

/** Work a worker can be given. */
export type TaskRequest =
  | (TaskBase & { readonly kind: 'pretrain' })
  | (TaskBase & { readonly kind: 'probe'; readonly seed: number })
  | (TaskBase & { readonly kind: 'scratch'; readonly seed: number })
  | (TaskBase & { readonly kind: 'finetune'; readonly seed: number; readonly exportDir?: string; readonly rung?: RungOptions });

export interface PretrainResult {
  readonly test: MetricValues;
  readonly seconds: number;
  readonly layers: readonly string[];
  /** The pretraining curve and test confusion matrix (absent in sources cached by older versions). */
  readonly curve?: readonly CurvePoint[];
  readonly confusion?: number[][];
  /** A text source started from word vectors: which, and their coverage of its training texts. */
  readonly embeddings?: EmbeddingsStats;
}
export interface ProbeResult { readonly test: MetricValues; readonly seconds: number }
export interface FinetuneResult extends FitResult {
  /** The test examples it got most confidently wrong, where they can be shown (texts, image files). */
  readonly misclassified?: readonly Misclassified[];
  readonly frozen: readonly string[];
  /** Layers a fine-tuning phase unfroze. */
  readonly unfrozen?: readonly string[];
  /** Gradual unfreezing: the layers each stage unfroze, from the top. */
  readonly stages?: readonly (readonly string[])[];
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
  | { readonly type: 'failed'; readonly key: string; readonly error: SerializedError; readonly fatal?: boolean };

/** An error as plain data: what the runner records of a task's failure. */
export interface SerializedError {
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  readonly hint?: string;
}

/** The parts of a thrown value the runner keeps: message, stack, and a string code and hint if it has them. */
export function serializeError(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  const { code, hint } = e as { code?: unknown; hint?: unknown };
  return {
    message: e.message,
    ...(e.stack != null ? { stack: e.stack } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof hint === 'string' ? { hint } : {}),
  };
}

/** A failure a worker reported, with the code, stack and hint its cause had. */
export function taskError(key: string, error: SerializedError): TrialError {
  return new TrialError(key, error.message, {
    ...(error.code != null ? { code: error.code } : {}),
    ...(error.stack != null ? { causeStack: error.stack } : {}),
    ...(error.hint != null ? { hint: error.hint } : {}),
  });
}
