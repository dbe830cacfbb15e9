import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { didYouMean } from '../config/suggest.js';

// What TensorFlow.js would otherwise fail on deep inside loadLayersModel, with a
// stack and no file named: found in the model.json before anything is built, so
// validate and run refuse the model with the layer named.

/** A reason a model.json's topology cannot be loaded, without the file (the caller names it). */
export interface ModelProblem {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export interface LayerJson {
  class_name?: unknown;
  name?: unknown;
  config?: { name?: unknown; layers?: unknown; layer?: unknown; input_layers?: unknown; [key: string]: unknown };
}

const CONTAINERS = new Set(['Sequential', 'Model', 'Functional']);
const SHAPE_KEYS = ['batch_input_shape', 'input_shape', 'batchInputShape', 'inputShape'];

/** The layer classes this TensorFlow.js can build (what tfjs-layers registered). */
function layerClasses(): string[] {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  return Object.entries(map).filter(([, [cls]]) => cls.prototype instanceof tfl.layers.Layer).map(([name]) => name);
}

const nameOf = (layer: LayerJson): string => String(layer.config?.name ?? layer.name ?? '?');
const hasShape = (layer: LayerJson): boolean => SHAPE_KEYS.some((k) => Array.isArray(layer.config?.[k]));

/**
 * The first problem of a model's layers (recursively, into nested models and
 * wrapped layers): an unknown or unsupported layer class, duplicate names, no input
 * shape. Undefined when TensorFlow.js can build it.
 */
export function topologyProblem(model: LayerJson): ModelProblem | undefined {
  return containerProblem(model, layerClasses());
}

function containerProblem(model: LayerJson, known: readonly string[]): ModelProblem | undefined {
  const layers = model.config?.layers;
  if (!Array.isArray(layers) || layers.length === 0) {
    return { code: 'E_MODEL_FORMAT', message: `the ${String(model.class_name)} model '${nameOf(model)}' lists no layers` };
  }
  const seen = new Map<string, number>();
  for (const [i, layer] of (layers as LayerJson[]).entries()) {
    const problem = layerProblem(layer, i, known);
    if (problem) return problem;
    const name = nameOf(layer);
    const first = seen.get(name);
    if (first != null) {
      return {
        code: 'E_MODEL_LAYER', message: `layers ${first} and ${i} are both named '${name}'`,
        hint: 'layer names must be unique within a model (tlx cuts and freezes by name): rename one and save the model again',
      };
    }
    seen.set(name, i);
  }
  return inputProblem(model, layers as LayerJson[]);
}

function layerProblem(layer: LayerJson, index: number, known: readonly string[]): ModelProblem | undefined {
  const className = layer?.class_name;
  if (typeof className !== 'string' || layer.config == null || typeof layer.config !== 'object') {
    return { code: 'E_MODEL_FORMAT', message: `layer ${index} has no class_name and config` };
  }
  const name = nameOf(layer);
  if (className === 'Lambda') {
    return {
      code: 'E_MODEL_LAYER', message: `layer '${name}' is a Lambda layer (Python code), which TensorFlow.js cannot run`,
      hint: 'rebuild the model with built-in layers in place of the Lambda layer, then convert it again',
    };
  }
  if (!known.includes(className)) {
    return {
      code: 'E_MODEL_LAYER', message: `layer '${name}' has class '${className}', which TensorFlow.js does not know`,
      hint: didYouMean(className, known) ?? 'custom layers cannot be loaded: rebuild the model with built-in layers, then convert it again',
    };
  }
  if (CONTAINERS.has(className)) return containerProblem(layer, known);
  const wrapped = layer.config.layer as LayerJson | undefined;
  return wrapped != null && typeof wrapped === 'object' ? layerProblem(wrapped, index, known) : undefined;
}

function inputProblem(model: LayerJson, layers: readonly LayerJson[]): ModelProblem | undefined {
  const noShape = (layer: LayerJson): ModelProblem => ({
    code: 'E_MODEL_INPUT', message: `layer '${nameOf(layer)}' has no input shape, so the model's input size is unknown`,
    hint: 'build the model with an input shape (inputShape on its first layer, or an Input layer) and save it again',
  });
  if (model.class_name === 'Sequential') return hasShape(layers[0]!) ? undefined : noShape(layers[0]!);
  const inputs = layers.filter((l) => l.class_name === 'InputLayer');
  if (inputs.length === 0 || !Array.isArray(model.config?.input_layers) || model.config.input_layers.length === 0) {
    return { code: 'E_MODEL_INPUT', message: `the model '${nameOf(model)}' has no input layer`, hint: 'save the model with its Input layer' };
  }
  const shapeless = inputs.find((l) => !hasShape(l));
  return shapeless ? noShape(shapeless) : undefined;
}
