import type { Metric, ProbeKind } from '../config/resolved.js';
import type { BackendIdentity } from '../engine/backend-identity.js';
import type { TimeToTarget } from '../indicators/time-to-target.js';
import type { GridPoint } from '../plan/grid.js';
import type { CurvePoint } from '../train/fit.js';
import type { FeatureCache } from '../train/frozen-features.js';
import type { MetricValues } from '../train/metrics.js';

/** A test example a trial got wrong, as a report shows it: the text or file, its class and the class given. */
export interface Misclassified {
  readonly example: string;
  readonly label: string;
  readonly predicted: string;
  readonly probability: number;
}

/** Where a trial of a `search` came from (absent in a `grid` sweep's records). */
export interface SearchMark {
  readonly strategy: 'grid' | 'random' | 'sobol' | 'asha' | 'tpe';
  /** The configuration's suggestion number in the search journal (0-based): the order the search proposed them. */
  readonly suggestion: number;
  /** ASHA: the rung this record ends (0 is the lowest); a promoted trial has a record per rung, the latest supersedes. */
  readonly rung?: number;
  /** Epochs the trial has been trained to in all (ASHA's fidelity; train.epochs otherwise). */
  readonly epochs: number;
  /** The compute of this record alone: epochs trained and wall seconds since the trial's previous rung (all of it without ASHA). */
  readonly addedEpochs: number;
  readonly addedSeconds: number;
}

/** One line of trials.jsonl: everything about one finished trial. */
export interface TrialRecord {
  readonly trial: string;
  readonly pointId: string;
  readonly point: GridPoint;
  readonly repeat: number;
  readonly seed: number;
  readonly status: 'ok' | 'diverged' | 'failed';
  readonly search?: SearchMark;
  /** The backend, package and version that computed it (absent in records of older tlx versions). */
  readonly backend?: BackendIdentity;
  /** The source it started from: its pretrain task key, or model-<hash of source.model's files> (absent in older records). */
  readonly source?: string;
  readonly error?: { readonly message: string; readonly code?: string };
  readonly frozen?: readonly string[];
  readonly unfrozen?: readonly string[];
  /** Gradual unfreezing: the layers each stage of phase 2 unfroze, from the top (curve points carry their stage). */
  readonly stages?: readonly (readonly string[])[];
  /** Per training phase: the layer whose cached output was trained on, or why nothing was cached. */
  readonly featureCache?: readonly FeatureCache[];
  /** Examples per step when a batch did not fit the backend's memory and was split (train/micro-batch.ts). */
  readonly microBatch?: number;
  readonly curve?: readonly CurvePoint[];
  /** Where the weights tested come from when earlyStopping.restoreBest set them back to an earlier point. */
  readonly restored?: { readonly epoch: number; readonly steps: number };
  readonly test?: MetricValues;
  readonly confusion?: number[][];
  /** Test examples it got most confidently wrong, where they can be shown: texts, image files. */
  readonly misclassified?: readonly Misclassified[];
  readonly seconds?: number;
  readonly scratch?: { readonly task: string; readonly test: MetricValues; readonly curve: readonly CurvePoint[] };
  /** Why there is no scratch baseline although indicators.scratch asked for one (a graph-model source). */
  readonly scratchUnavailable?: string;
  readonly indicators?: {
    readonly transferOnly?: { readonly probe: ProbeKind; readonly test: MetricValues };
    readonly timeToTarget?: TimeToTarget | null;
    readonly finalVsScratch?: { readonly metric: Metric; readonly transfer: number; readonly scratch: number; readonly difference: number };
  };
  readonly finishedAt: string;
}
