import { resolve } from 'node:path';
import type { Embeddings, ResolvedData, ResolvedExperiment } from '../config/resolved.js';
import { dataModality } from '../data/datasets.js';
import { TOKENIZER_VERSION } from '../data/text/tokenize.js';
import { InternalError } from '../errors.js';
import { OPTIMIZERS_VERSION } from '../train/optimizers/version.js';
import { hashOf } from './canonical-hash.js';
import type { Trial } from './trials.js';

// Units of work shared between trials, each keyed by a hash of exactly what it
// reads: the same key is the same work, done once. The backend that computes a
// task is not in its key: results are cached per backend (execute/task-cache.ts).

/** What a task's inputs depend on beyond the experiment. */
export interface KeyContext {
  /** The experiment file's directory: relative data paths start there, so they are keyed resolved. */
  readonly baseDir: string;
  /**
   * The content hash of a source.model's files (model.json and weights;
   * models/model-hash.ts), so an edited or re-downloaded model is another source.
   * Undefined when unknown (not downloaded yet): keys then say so and match no cache entry.
   */
  readonly modelHash: (model: string) => string | undefined;
  /** Whether a source.model is a LayersModel or a GraphModel; undefined when unknown (taken as a LayersModel). */
  readonly modelKind?: (model: string) => 'layers' | 'graph' | undefined;
  /** The content hash of an embeddings block's file (source.embeddings, source.pretrain.embeddings); undefined when unknown (not downloaded yet). */
  readonly embeddingsHash?: (embeddings: Embeddings) => string | undefined;
}

/** Why a graph-model source has no scratch baseline: recorded in each trial and the summary. */
export const GRAPH_SCRATCH_UNAVAILABLE = 'source.model is a graph model, a frozen function with no layer topology to train again from fresh weights: ' +
  'there is no scratch baseline of its architecture';

/** Why the scratch baseline the experiment asks for (indicators.scratch) cannot be trained, or undefined. */
export function scratchUnavailable(e: ResolvedExperiment, c: KeyContext): string | undefined {
  if (!e.indicators.scratch || e.source.model == null) return undefined;
  return c.modelKind?.(e.source.model) === 'graph' ? GRAPH_SCRATCH_UNAVAILABLE : undefined;
}

/**
 * What the pretrained source depends on: the pretrain block (its data resolved, its
 * optimizer with every parameter), the seed, the input scaling and the version of
 * the optimizers' implementation.
 */
export function pretrainKey(e: ResolvedExperiment, c: KeyContext): string {
  const spec = e.source.pretrain;
  if (!spec) throw new InternalError('a pretrain key for a source without a pretrain block');
  const embeddings = spec.embeddings ? { embeddings: embeddingsKey(spec.embeddings, c) } : {};
  return `pretrain-${hashOf({ pretrain: { ...spec, data: dataKey(spec.data, c), ...embeddings }, scale: e.source.input.scale, ...textKey(e, spec.data),
    seed: e.seed, optimizers: OPTIMIZERS_VERSION })}`;
}

/** The source's identity: its pretrain key, the content of its model files, or that of its word vectors. */
export function sourceKey(e: ResolvedExperiment, c: KeyContext): string {
  if (e.source.embeddings) return `embeddings-${hashOf(embeddingsKey(e.source.embeddings, c))}`;
  if (e.source.model == null) return pretrainKey(e, c);
  const hash = c.modelHash(e.source.model);
  return hash != null ? `model-${hash}` : `model-unread-${hashOf(e.source.model)}`;
}

/**
 * A source.embeddings source for one seed: an embedding layer over the vocabulary
 * of that seed's training texts, so it depends on the vectors, the tokenizer
 * settings, the target data and the seed.
 */
export function embeddingsSourceKey(e: ResolvedExperiment, seed: number, c: KeyContext): string {
  return `${sourceKey(e, c)}-${hashOf({ ...textKey(e, e.target.data), data: dataKey(e.target.data, c), seed })}`;
}

/** Word vectors by their content (and the format they are read as); a file not read yet by where it is. */
function embeddingsKey(embeddings: Embeddings, c: KeyContext): object {
  const hash = c.embeddingsHash?.(embeddings);
  return hash != null ? { sha256: hash, format: embeddings.format ?? null } : { unread: embeddings };
}

/** Texts become token ids by the tokenizer's settings and its implementation's version; images are not tokenized. */
function textKey(e: ResolvedExperiment, data: ResolvedData): object {
  return dataModality(data) === 'text' ? { text: e.source.input.text, tokenizer: TOKENIZER_VERSION } : {};
}

/** The transfer-only probe: source, cut, input scaling, target data, probe kind and k, metrics, seed. */
export function probeKey(e: ResolvedExperiment, seed: number, c: KeyContext): string {
  return `probe-${hashOf({ source: sourceKey(e, c), cut: e.source.cut, scale: e.source.input.scale, ...textKey(e, e.target.data), data: dataKey(e.target.data, c),
    probe: e.indicators.transferOnly, metrics: e.metrics, seed })}`;
}

/**
 * The scratch baseline: the target architecture (source up to the cut, head) with
 * fresh weights, trained with the same settings (the optimizer with every parameter,
 * and its implementation's version) on the same data. Freezing does not change it,
 * so a freeze sweep shares one per seed.
 */
export function scratchKey(e: ResolvedExperiment, seed: number, c: KeyContext): string {
  return `scratch-${hashOf({ source: sourceKey(e, c), cut: e.source.cut, scale: e.source.input.scale, ...textKey(e, e.target.data), head: e.transfer.head,
    data: dataKey(e.target.data, c), train: scratchTrain(e), optimizers: OPTIMIZERS_VERSION, metrics: e.metrics, seed })}`;
}

/** The scratch baseline's budget: the transferred model's epochs over all its phases. */
export function scratchTrain(e: ResolvedExperiment): ResolvedExperiment['train'] {
  return { ...e.train, epochs: e.train.epochs + (e.transfer.fineTune?.epochs ?? 0) };
}

/** A data block with its file paths resolved: the same relative path from two experiment folders is two datasets. */
function dataKey(data: ResolvedData, c: KeyContext): ResolvedData {
  const at = (p: string | undefined) => (p == null ? undefined : resolve(c.baseDir, p));
  return { ...data, path: at(data.path), images: at(data.images), labels: at(data.labels) } as ResolvedData;
}

export interface TaskPlan {
  readonly pretrain: Map<string, Trial>;
  readonly scratch: Map<string, Trial>;
  readonly probe: Map<string, Trial>;
  /** trial id -> its scratch / probe task key */
  readonly scratchOf: Map<string, string>;
  readonly probeOf: Map<string, string>;
  /** trial id -> why its scratch baseline cannot be trained (see scratchUnavailable) */
  readonly scratchUnavailable: Map<string, string>;
}

/** The distinct shared tasks of a set of trials, each with a trial that describes it. */
export function planTasks(trials: readonly Trial[], c: KeyContext): TaskPlan {
  const plan: TaskPlan = { pretrain: new Map(), scratch: new Map(), probe: new Map(), scratchOf: new Map(), probeOf: new Map(), scratchUnavailable: new Map() };
  for (const t of trials) {
    const e = t.experiment;
    if (e.source.pretrain) {
      const p = pretrainKey(e, c);
      if (!plan.pretrain.has(p)) plan.pretrain.set(p, t);
    }
    const unavailable = scratchUnavailable(e, c);
    if (unavailable != null) plan.scratchUnavailable.set(t.id, unavailable);
    else if (e.indicators.scratch) {
      const s = scratchKey(e, t.seed, c);
      if (!plan.scratch.has(s)) plan.scratch.set(s, t);
      plan.scratchOf.set(t.id, s);
    }
    const q = probeKey(e, t.seed, c);
    if (!plan.probe.has(q)) plan.probe.set(q, t);
    plan.probeOf.set(t.id, q);
  }
  return plan;
}
