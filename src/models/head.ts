import * as tfl from '@tensorflow/tfjs-layers';
import type { HeadLayer } from '../config/resolved.js';

type HeadKind = HeadLayer extends infer L ? (L extends Record<infer K, unknown> ? K : never) : never;

/** Each head layer of the experiment file, as a tfjs layer. */
const HEAD_LAYERS = {
  dense: (c: { units: number; activation?: string; l1?: number; l2?: number }, name) => tfl.layers.dense({
    units: c.units, activation: (c.activation ?? 'relu') as 'relu', name,
    ...(c.l1 || c.l2 ? { kernelRegularizer: tfl.regularizers.l1l2({ l1: c.l1 ?? 0, l2: c.l2 ?? 0 }) } : {}),
  }),
  activation: (c: { activation: string }, name) => tfl.layers.activation({ activation: c.activation as 'relu', name }),
  dropout: (c: { rate: number }, name) => tfl.layers.dropout({ rate: c.rate, name }),
  flatten: (_c: object, name) => tfl.layers.flatten({ name }),
  batchNormalization: (_c: object, name) => tfl.layers.batchNormalization({ name }),
  globalAveragePooling2d: (_c: object, name) => tfl.layers.globalAveragePooling2d({ name }),
} as const satisfies Record<HeadKind, (config: never, name: string) => tfl.layers.Layer>;

export function headLayer(spec: HeadLayer, index: number): tfl.layers.Layer {
  const [kind, config] = Object.entries(spec)[0] as [HeadKind, never];
  return HEAD_LAYERS[kind](config, `head_${index}_${kind}`);
}
