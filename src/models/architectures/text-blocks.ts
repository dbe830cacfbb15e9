import * as tfl from '@tensorflow/tfjs-layers';
import '../../engine/chained-ops.js';
import { UsageError } from '../../errors.js';
import { MaskedMaxOverTime, MaskedMeanPool, TokenMask } from './text-layers.js';

// The heads of the text architectures as blocks over any [batch, time, dim] sequence
// of word vectors, so the same head goes on a bare embedding source (Kim 2014's
// static / non-static / rand protocol) as in the built-in models.

const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) =>
  layer.apply(x) as tfl.SymbolicTensor;

export interface TextCnnBlockOptions {
  /** The name of the block's output (the concatenated features). */
  readonly name: string;
  /** Prefix of the inner layers' names (`<prefix>_conv3`, `<prefix>_pool3`); defaults to `name`. */
  readonly prefix?: string;
  /** The token ids: padding is zeroed and the max taken over windows that start at a token. */
  readonly ids?: tfl.SymbolicTensor;
  /** Window widths, one convolution each (Kim: 3, 4, 5). */
  readonly widths?: readonly number[];
  /** Feature maps per width (Kim: 100). */
  readonly filters?: number;
}

/** Kim's CNN head: per width a ReLU Conv1D, max over time, all concatenated. */
export function textCnnBlock(x: tfl.SymbolicTensor, options: TextCnnBlockOptions): tfl.SymbolicTensor {
  const { name, prefix = name, ids, widths = [3, 4, 5], filters = 100 } = options;
  const time = x.shape[1];
  const tooWide = widths.find((w) => time != null && w > time);
  if (tooWide != null) {
    throw new UsageError('E_TEXT_WIDTH', `the text CNN '${name}' has a window of width ${tooWide}, wider than its ${time} positions`,
      `give a maxLength of at least ${tooWide}, or narrower widths`);
  }
  const input = ids ? apply(new TokenMask({ emitMask: false, name: `${prefix}_zero_padding` }), [x, ids]) : x;
  const pooled = widths.map((w, i) => {
    const poolName = widths.length === 1 ? name : `${prefix}_pool${w}`;
    const c = apply(tfl.layers.conv1d({ filters, kernelSize: w, activation: 'relu', name: `${prefix}_conv${w}${suffix(widths, i)}` }), input);
    return ids
      ? apply(new MaskedMaxOverTime({ name: poolName + suffix(widths, i) }), [c, ids])
      : apply(tfl.layers.globalMaxPooling1d({ name: poolName + suffix(widths, i) }), c);
  });
  return pooled.length === 1 ? pooled[0]! : apply(tfl.layers.concatenate({ axis: -1, name }), pooled);
}

/** A repeated width gets its position in the names, which must be unique. */
function suffix(widths: readonly number[], i: number): string {
  return widths.indexOf(widths[i]!) === i ? '' : `_${i}`;
}

export interface BiGruBlockOptions {
  /** The name of the Bidirectional layer (its output is the block's). */
  readonly name: string;
  /** GRU units per direction; the output has twice as many. */
  readonly units?: number;
  /** The token ids: the GRUs skip the padding (a masked step keeps the state). */
  readonly ids?: tfl.SymbolicTensor;
}

/** A bidirectional GRU over the sequence, its two final states concatenated. */
export function biGruBlock(x: tfl.SymbolicTensor, options: BiGruBlockOptions): tfl.SymbolicTensor {
  const { name, units = 64, ids } = options;
  const input = ids ? apply(new TokenMask({ emitMask: true, name: `${name}_mask` }), [x, ids]) : x;
  // Keras' defaults, the recurrent kernel Orthogonal (which needs engine/chained-ops.ts under Node).
  const gru = tfl.layers.gru({ units, name: `${name}_gru` });
  return apply(tfl.layers.bidirectional({ layer: gru as unknown as tfl.RNN, mergeMode: 'concat', name }), input);
}

export interface MaskedMeanPoolOptions {
  readonly name: string;
  /** The token ids: positions with id 0 are left out of the mean. */
  readonly ids: tfl.SymbolicTensor;
}

/** The bag of embeddings: the mean word vector of the sentence, padding left out. */
export function maskedMeanPool(x: tfl.SymbolicTensor, options: MaskedMeanPoolOptions): tfl.SymbolicTensor {
  return apply(new MaskedMeanPool({ name: options.name }), [x, options.ids]);
}
