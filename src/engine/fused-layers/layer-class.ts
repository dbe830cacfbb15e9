import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { InternalError } from '../../errors.js';

/** A tfjs-layers layer's call, as its class defines it. */
export type LayerCall = (this: LayerInternals, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/** The fields of tfjs-layers' layers that tlx's routes read (their own names in tfjs-layers 4.x). */
export interface LayerInternals {
  readonly [field: string]: unknown;
}

const routed = new Set<string>();

/**
 * Puts `route` in front of the `call` of the tfjs-layers class registered as
 * `className` (taken from the serialization registry, which holds every layer class,
 * so models built by tlx and models loaded from files both go through it). The
 * route returns undefined to leave a call to the class's own code. Once per class.
 */
export function routeLayerCall(
  className: string,
  route: (layer: LayerInternals, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | undefined,
): void {
  if (routed.has(className)) return;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  const prototype = (entry?.[0] as { prototype?: { call?: LayerCall } } | undefined)?.prototype;
  const original = prototype?.call;
  if (prototype == null || typeof original !== 'function') {
    throw new InternalError(`tfjs-layers has no layer class '${className}' with a call method`);
  }
  prototype.call = function routedCall(this: LayerInternals, inputs, kwargs) {
    return route(this, inputs, kwargs ?? {}) ?? original.call(this, inputs, kwargs);
  };
  routed.add(className);
}

/** The single input tensor of a call, or undefined for several. */
export function singleInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | undefined {
  if (!Array.isArray(inputs)) return inputs;
  return inputs.length === 1 ? inputs[0] : undefined;
}

/** Whether the active backend has kernel `name` (registered by tlx on wasm only). */
export function backendHas(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) != null;
}
