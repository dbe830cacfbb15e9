import type * as tfl from '@tensorflow/tfjs-layers';
import type { FineTune, Metric, ResolvedTrain } from '../config/resolved.js';
import { groupedLayers, unfreezeStages } from '../models/layer-groups.js';
import { resolvedValue } from '../models/surgery.js';
import { type CurvePoint, fit, type FitResult } from '../train/fit.js';
import type { FeatureCache, TrainingView } from '../train/frozen-features.js';
import type { WeightTreatments } from '../train/optimizers/per-weight.js';

export interface FineTunePhaseOptions {
  readonly fineTune: FineTune;
  /** The layers the phase unfreezes (resolveUnfreeze), in model order. */
  readonly unfrozen: readonly string[];
  readonly train: ResolvedTrain;
  readonly metrics: readonly Metric[];
  /** Phase 1's last point: the curve continues from it. */
  readonly after: CurvePoint;
  /** What to train on, for the model's trainable layers as they are now. */
  readonly view: () => Promise<TrainingView>;
  readonly treatments?: WeightTreatments;
  readonly onEpoch: (point: CurvePoint) => void;
}

export interface FineTunePhaseResult extends FitResult {
  /** The layers unfrozen, and per stage of gradual unfreezing, each stage's. */
  readonly unfrozen: readonly string[];
  readonly stages?: readonly (readonly string[])[];
  readonly featureCache: readonly FeatureCache[];
}

/**
 * Phase 2: the layers `unfrozen` made trainable and training continued at the
 * phase's learning rate. Gradual (ULMFiT): one group per stage from the top, each
 * stage compiled and trained in turn with all groups unfrozen so far; its curve
 * points carry the stage. A stage that diverges or stops early ends the phase.
 */
export async function fineTunePhase(model: tfl.LayersModel, options: FineTunePhaseOptions): Promise<FineTunePhaseResult> {
  const { fineTune } = options;
  const gradual = fineTune.gradual;
  const stages = resolvedValue(unfreezeStages(groupedLayers(model, options.unfrozen), fineTune), 'transfer.fineTune.gradual');
  const train = { ...options.train, learningRate: fineTune.learningRate ?? options.train.learningRate / 10 };
  const curve: CurvePoint[] = [];
  const caches: FeatureCache[] = [];
  const done: string[] = [];
  let result: FitResult | undefined;
  let stoppedEarly = false;
  for (const [i, group] of stages.entries()) {
    for (const name of group) model.getLayer(name).trainable = true;
    done.push(...group);
    const epochs = gradual ? (i < stages.length - 1 ? gradual.epochsPerStage : fineTune.epochs - i * gradual.epochsPerStage) : fineTune.epochs;
    const view = await options.view();
    caches.push(view.cache);
    const mark = (p: CurvePoint): CurvePoint => (gradual ? { ...p, stage: i + 1 } : p);
    result = await fit(view.model, view.inputs, {
      train: { ...train, epochs }, metrics: options.metrics, after: curve[curve.length - 1] ?? options.after, phase: 2,
      ...(options.treatments ? { treatments: options.treatments } : {}),
      onEpoch: (p) => options.onEpoch(mark(p)),
    });
    curve.push(...result.curve.map(mark));
    stoppedEarly ||= result.stoppedEarly;
    if (result.status !== 'ok' || result.stoppedEarly) break;
  }
  const unfrozen = options.unfrozen.filter((name) => done.includes(name));
  return { ...result!, curve, stoppedEarly, unfrozen, ...(gradual ? { stages } : {}), featureCache: caches };
}
