import * as tfl from '@tensorflow/tfjs-layers';
import { isInferenceOnly } from './target-model.js';

type Symbolic = tfl.SymbolicTensor;

/** Layers whose training-time output is random: never part of a cached prefix. */
const STOCHASTIC = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

export type PrefixSplit =
  | {
    readonly ok: true;
    /** Input → the boundary tensor: computed once, outside training. */
    readonly prefix: tfl.LayersModel;
    /** Boundary → output, sharing the model's layers (and so its weights). */
    readonly suffix: tfl.LayersModel;
    /** The layer whose output the suffix starts from. */
    readonly boundary: string;
  }
  | { readonly ok: false; readonly reason: string };

/**
 * Splits a model where its constant part ends. A tensor is constant when every
 * layer on the way from the input to it is frozen or weightless, not stochastic
 * and, for batch normalization, held in inference mode: its value under training
 * is then a pure function of the input, so it can be computed once per example
 * instead of once per epoch, with the same numbers.
 */
export function splitFrozenPrefix(model: tfl.LayersModel): PrefixSplit {
  const constant = memo((t: Symbolic): boolean =>
    t.sourceLayer.getClassName() === 'InputLayer' ||
    (constantLayer(t.sourceLayer) && t.inputs.every((i) => constant(i))));
  const boundary = new Map<number, Symbolic>();
  const visit = memo((t: Symbolic): true => {
    if (constant(t)) boundary.set(t.id, t);
    else t.inputs.forEach(visit);
    return true;
  });
  model.outputs.forEach(visit);
  const cuts = [...boundary.values()];
  if (cuts.length !== 1) return { ok: false, reason: `the frozen layers feed the trainable ones through ${cuts.length} tensors` };
  const cut = cuts[0]!;
  if (cut.sourceLayer.getClassName() === 'InputLayer') return { ok: false, reason: 'no frozen layer comes first' };

  const features = tfl.input({ shape: cut.shape.slice(1) as number[], name: `${cut.sourceLayer.name}_features` });
  const rebuilt = memo((t: Symbolic): Symbolic => {
    if (t.id === cut.id) return features;
    const inputs = t.inputs.map(rebuilt);
    const out = t.sourceLayer.apply(inputs.length === 1 ? inputs[0]! : inputs, t.callArgs) as Symbolic | Symbolic[];
    return Array.isArray(out) ? out[t.outputTensorIndex ?? 0]! : out;
  });
  return {
    ok: true,
    prefix: tfl.model({ inputs: model.inputs, outputs: cut }),
    suffix: tfl.model({ inputs: features, outputs: model.outputs.map(rebuilt) }),
    boundary: cut.sourceLayer.name,
  };
}

function constantLayer(layer: tfl.layers.Layer): boolean {
  const kind = layer.getClassName();
  if (STOCHASTIC.has(kind) || layer instanceof tfl.LayersModel) return false;
  // A frozen batch norm only stays constant when held in inference mode.
  if (kind === 'BatchNormalization' && !isInferenceOnly(layer)) return false;
  return layer.trainableWeights.length === 0;
}

/** Per symbolic tensor, so shared branches are walked (and rebuilt) once. */
function memo<T>(f: (t: Symbolic) => T): (t: Symbolic) => T {
  const seen = new Map<number, T>();
  return (t) => {
    if (!seen.has(t.id)) seen.set(t.id, f(t));
    return seen.get(t.id)!;
  };
}
