import * as tfl from '@tensorflow/tfjs-layers';
import type { HeadLayer } from '../config/resolved.js';
import { applyHeadLayer } from './head.js';

export interface TargetModelSpec {
  /** Name of the feature layer; layers after it are dropped. */
  readonly cut: string;
  readonly frozen: readonly string[];
  readonly head: readonly HeadLayer[];
  readonly classes: number;
}

/** The source up to and including the cut: the feature extractor. Shares its layers. */
export function truncate(source: tfl.LayersModel, cut: string): tfl.LayersModel {
  return tfl.model({ inputs: source.inputs, outputs: source.getLayer(cut).output as tfl.SymbolicTensor });
}

/**
 * The target model: the source cut at `cut`, the head, and a softmax output over
 * the target classes; the frozen layers are marked untrainable (compile after).
 */
export function buildTargetModel(source: tfl.LayersModel, spec: TargetModelSpec): tfl.LayersModel {
  const output = appendHead(source.getLayer(spec.cut).output as tfl.SymbolicTensor, spec, tokenIds(source));
  const model = tfl.model({ inputs: source.inputs, outputs: output });
  for (const layer of model.layers) {
    layer.trainable = !spec.frozen.includes(layer.name);
    if (!layer.trainable && layer.getClassName() === 'BatchNormalization') inferenceOnly(layer);
  }
  return model;
}

/**
 * The head alone, on features of `shape` per example: what is trained on a source
 * that is only a function of the images (a graph model), its features computed first.
 */
export function buildHeadModel(shape: readonly number[], spec: Pick<TargetModelSpec, 'head' | 'classes'>): tfl.LayersModel {
  const features = tfl.input({ shape: [...shape], name: 'features' });
  return tfl.model({ inputs: features, outputs: appendHead(features, spec) });
}

/** A text model's input, the token ids (text heads leave padding out by them); none for an image model. */
function tokenIds(model: tfl.LayersModel): tfl.SymbolicTensor | undefined {
  const input = model.inputs[0];
  return model.inputs.length === 1 && input?.dtype === 'int32' ? input : undefined;
}

/** The head layers, a flatten where the features are not flat, and the softmax output over the target classes. */
function appendHead(features: tfl.SymbolicTensor, spec: Pick<TargetModelSpec, 'head' | 'classes'>, ids?: tfl.SymbolicTensor): tfl.SymbolicTensor {
  let x = features;
  spec.head.forEach((layer, i) => {
    x = applyHeadLayer(layer, i, { x, ...(ids ? { ids } : {}) });
  });
  if (x.shape.length > 2) x = tfl.layers.flatten({ name: 'head_flatten' }).apply(x) as tfl.SymbolicTensor;
  return tfl.layers.dense({ units: spec.classes, activation: 'softmax', name: 'target_output' }).apply(x) as tfl.SymbolicTensor;
}

/**
 * A frozen batch-norm layer normalizes with its moving statistics and never updates
 * them, as in Keras: tfjs-layers would otherwise run it in training mode during fit
 * (batch statistics, moving averages updated) whatever its trainable flag says.
 */
function inferenceOnly(layer: tfl.layers.Layer): void {
  if (INFERENCE_ONLY.has(layer)) return;
  INFERENCE_ONLY.add(layer);
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
}

const INFERENCE_ONLY = new WeakSet<tfl.layers.Layer>();

/** Whether the layer was held in inference mode by buildTargetModel. */
export function isInferenceOnly(layer: tfl.layers.Layer): boolean {
  return INFERENCE_ONLY.has(layer);
}
