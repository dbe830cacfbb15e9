import type { ResolvedExperiment } from '../config/resolved.js';
import { hashOf } from './canonical-hash.js';
import type { Trial } from './trials.js';

// Units of work shared between trials, each keyed by a hash of exactly what it
// depends on: the same key is the same work, done once.

/** What the pretrained source depends on. */
export function pretrainKey(e: ResolvedExperiment): string {
  return `pretrain-${hashOf({ pretrain: e.source.pretrain, model: e.source.model, seed: e.seed })}`;
}

/** The transfer-only probe: source, cut, target data, probe kind, seed. */
export function probeKey(e: ResolvedExperiment, seed: number): string {
  return `probe-${hashOf({ source: pretrainKey(e), cut: e.source.cut, data: e.target.data, probe: e.indicators.transferOnly, seed })}`;
}

/**
 * The scratch baseline: the target architecture (source up to the cut, head) with
 * fresh weights, trained with the same settings on the same data. Freezing does
 * not change it, so a freeze sweep shares one per seed.
 */
export function scratchKey(e: ResolvedExperiment, seed: number): string {
  return `scratch-${hashOf({ source: pretrainKey(e), cut: e.source.cut, head: e.transfer.head, data: e.target.data, train: scratchTrain(e), metrics: e.metrics, seed })}`;
}

/** The scratch baseline's budget: the transferred model's epochs over all its phases. */
export function scratchTrain(e: ResolvedExperiment): ResolvedExperiment['train'] {
  return { ...e.train, epochs: e.train.epochs + (e.transfer.fineTune?.epochs ?? 0) };
}

export interface TaskPlan {
  readonly pretrain: Map<string, Trial>;
  readonly scratch: Map<string, Trial>;
  readonly probe: Map<string, Trial>;
  /** trial id -> its scratch / probe task key */
  readonly scratchOf: Map<string, string>;
  readonly probeOf: Map<string, string>;
}

/** The distinct shared tasks of a set of trials, each with a trial that describes it. */
export function planTasks(trials: readonly Trial[]): TaskPlan {
  const plan: TaskPlan = { pretrain: new Map(), scratch: new Map(), probe: new Map(), scratchOf: new Map(), probeOf: new Map() };
  for (const t of trials) {
    const e = t.experiment;
    const p = pretrainKey(e);
    if (e.source.pretrain && !plan.pretrain.has(p)) plan.pretrain.set(p, t);
    if (e.indicators.scratch) {
      const s = scratchKey(e, t.seed);
      if (!plan.scratch.has(s)) plan.scratch.set(s, t);
      plan.scratchOf.set(t.id, s);
    }
    const q = probeKey(e, t.seed);
    if (!plan.probe.has(q)) plan.probe.set(q, t);
    plan.probeOf.set(t.id, q);
  }
  return plan;
}
