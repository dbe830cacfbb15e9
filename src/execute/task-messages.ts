import type { BackendName } from '../engine/backend-name.js';
import type { ResolvedExperiment } from '../config/resolved.js';
import type { MetricValues } from '../train/metrics.js';
import type { FitResult } from '../train/fit.js';

/** Work a worker can be given; each names the cache directory for artifacts. */
export type TaskRequest =
  | { readonly kind: 'pretrain'; readonly key: string; readonly experiment: ResolvedExperiment; readonly cacheDir: string }
  | { readonly kind: 'probe'; readonly key: string; readonly experiment: ResolvedExperiment; readonly seed: number; readonly cacheDir: string }
  | { readonly kind: 'scratch'; readonly key: string; readonly experiment: ResolvedExperiment; readonly seed: number; readonly cacheDir: string }
  | { readonly kind: 'finetune'; readonly key: string; readonly experiment: ResolvedExperiment; readonly seed: number; readonly cacheDir: string };

export interface PretrainResult { readonly test: MetricValues; readonly seconds: number; readonly layers: readonly string[] }
export interface ProbeResult { readonly test: MetricValues; readonly seconds: number }
export interface FinetuneResult extends FitResult { readonly frozen: readonly string[] }

export interface TaskResults {
  pretrain: PretrainResult;
  probe: ProbeResult;
  scratch: FitResult;
  finetune: FinetuneResult;
}

/** Messages a worker sends. Errors cross the boundary as plain data. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly key: string; readonly epoch: number; readonly epochs: number; readonly score?: number }
  | { readonly type: 'done'; readonly key: string; readonly result: unknown }
  | { readonly type: 'failed'; readonly key: string; readonly error: { readonly message: string; readonly stack?: string; readonly code?: string } };

export interface WorkerSetup { readonly backend: BackendName }
