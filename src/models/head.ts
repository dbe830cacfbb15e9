import * as tfl from '@tensorflow/tfjs-layers';
import type { HeadLayer } from '../config/resolved.js';
import { ModelError } from './model-error.js';
import { biGruBlock, maskedMeanPool, textCnnBlock } from './architectures/index.js';

type HeadKind = HeadLayer extends infer L ? (L extends Record<infer K, unknown> ? K : never) : never;

/** What a head layer is applied to: the features so far, and the token ids when the model reads texts (for padding). */
interface HeadInput {
  readonly x: tfl.SymbolicTensor;
  readonly ids?: tfl.SymbolicTensor;
}

const layer = (l: tfl.layers.Layer) => ({ x }: HeadInput) => l.apply(x) as tfl.SymbolicTensor;

/** A block over a sequence of word vectors ([batch, words, width]), refused on anything else. */
function sequence(kind: string, name: string, build: (input: Required<HeadInput>) => tfl.SymbolicTensor) {
  return (input: HeadInput) => {
    if (input.x.shape.length !== 3 || input.ids == null) {
      throw new ModelError('E_HEAD_INPUT', name, `${kind} takes a sequence of word vectors ([words, width] per text), not features of shape [${input.x.shape.slice(1).join(', ')}]`,
        'text heads go on a text source cut at its embedding layer (cut: embedding)');
    }
    return build(input as Required<HeadInput>);
  };
}

/** Each head layer of the experiment file, applied to the features (normalize.ts filled its defaults). */
const HEAD_LAYERS = {
  dense: (c: { units: number; activation?: string; l1?: number; l2?: number }, name) => layer(tfl.layers.dense({
    units: c.units, activation: (c.activation ?? 'relu') as 'relu', name,
    ...(c.l1 || c.l2 ? { kernelRegularizer: tfl.regularizers.l1l2({ l1: c.l1 ?? 0, l2: c.l2 ?? 0 }) } : {}),
  })),
  activation: (c: { activation: string }, name) => layer(tfl.layers.activation({ activation: c.activation as 'relu', name })),
  dropout: (c: { rate: number }, name) => layer(tfl.layers.dropout({ rate: c.rate, name })),
  flatten: (_c: object, name) => layer(tfl.layers.flatten({ name })),
  batchNormalization: (_c: object, name) => layer(tfl.layers.batchNormalization({ name })),
  globalAveragePooling2d: (_c: object, name) => layer(tfl.layers.globalAveragePooling2d({ name })),
  textCnn: (c: { widths?: number[]; filters?: number }, name) =>
    sequence('textCnn', name, ({ x, ids }) => textCnnBlock(x, { name, ids, ...(c.widths ? { widths: c.widths } : {}), ...(c.filters ? { filters: c.filters } : {}) })),
  bidirectionalGru: (c: { units?: number }, name) => sequence('bidirectionalGru', name, ({ x, ids }) => biGruBlock(x, { name, ids, ...(c.units ? { units: c.units } : {}) })),
  meanPool: (_c: object, name) => sequence('meanPool', name, ({ x, ids }) => maskedMeanPool(x, { name, ids })),
} as const satisfies Record<HeadKind, (config: never, name: string) => (input: HeadInput) => tfl.SymbolicTensor>;

/** The head layer `spec` (the index-th) applied to `input.x`. */
export function applyHeadLayer(spec: HeadLayer, index: number, input: HeadInput): tfl.SymbolicTensor {
  const [kind, config] = Object.entries(spec)[0] as [HeadKind, never];
  return HEAD_LAYERS[kind](config, `head_${index}_${kind}`)(input);
}
