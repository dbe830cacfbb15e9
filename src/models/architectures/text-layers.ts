import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';

// Layers the text architectures need and tfjs-layers lacks. Each takes the token ids
// (int32 [batch, time], 0 = padding) as a second input instead of relying on a mask
// propagated from the embedding: a bare embedding source (a cut model, a word-vector
// table) carries no mask, and tfjs-layers' Conv1D and 1D pooling layers ignore one
// without a word (checked: GlobalAveragePooling1D averages the padding in).
// Registered with tfjs' serialization, so models holding them save and load.

type Shape = (number | null)[];

// tfjs-layers' typings say computeMask returns a tensor; its own layers return null for "no mask".
const NO_MASK = null as unknown as tf.Tensor;

function pair(inputs: tf.Tensor | tf.Tensor[], layer: string): [tf.Tensor, tf.Tensor] {
  if (!Array.isArray(inputs) || inputs.length !== 2) {
    throw new TypeError(`layer ${layer} takes two inputs: [values, token ids]`);
  }
  return [inputs[0]!, inputs[1]!];
}

/** 1 where a token is, 0 at padding: float [batch, time]. */
function presence(ids: tf.Tensor): tf.Tensor2D {
  return tf.cast(tf.notEqual(ids, 0), 'float32') as tf.Tensor2D;
}

export interface TokenMaskArgs extends LayerArgs {
  /** Also hand the mask (ids != 0) to the next layers (GRU and Bidirectional honour it; Conv1D and pooling ignore it). */
  readonly emitMask?: boolean;
}

/**
 * [values [b, t, d], ids [b, t]] -> values with the padding positions zeroed, and,
 * with emitMask, the Keras mask ids != 0 for recurrent layers downstream.
 */
export class TokenMask extends tfl.layers.Layer {
  static readonly className = 'TlxTokenMask';
  readonly emitMask: boolean;

  constructor(args: TokenMaskArgs = {}) {
    super(args);
    this.emitMask = args.emitMask ?? true;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape[])[0]!;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ids] = pair(inputs, this.name);
      return tf.mul(x, tf.expandDims(presence(ids), -1));
    });
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!this.emitMask) return NO_MASK;
    const [, ids] = pair(inputs, this.name);
    return tf.notEqual(ids, 0);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), emitMask: this.emitMask };
  }
}

/** [values [b, t, d], ids [b, t]] -> [b, d]: a reduction over the time axis that knows the padding by the ids. */
abstract class OverTime extends tfl.layers.Layer {
  constructor(args: LayerArgs = {}) {
    super(args);
    // It consumes the time axis, so a mask from upstream ends here.
    this.supportsMasking = true;
  }

  override computeMask(): tf.Tensor {
    return NO_MASK;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [x] = inputShape as Shape[];
    return [x![0]!, x![2]!];
  }
}

/** [values [b, t, d], ids [b, t]] -> [b, d]: the mean over the non-padding positions (0 for an empty sentence). */
export class MaskedMeanPool extends OverTime {
  static readonly className = 'TlxMaskedMeanPool';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ids] = pair(inputs, this.name);
      const m = presence(ids);
      const sum = tf.sum(tf.mul(x, tf.expandDims(m, -1)), 1);
      // max(count, 1): an all-padding row gives 0, not NaN.
      const count = tf.maximum(tf.sum(m, 1, true), 1);
      return tf.div(sum, count);
    });
  }
}

/**
 * [convolved [b, t - w + 1, f], ids [b, t]] -> [b, f]: the max over the windows that
 * start at a token. Windows starting in the padding count as 0, which leaves the max
 * unchanged for non-negative (ReLU) feature maps, and keeps it finite for an empty
 * sentence. With the padding zeroed before the convolution (TokenMask), a window
 * that runs past the sentence's end sees zeros whatever the amount of padding.
 */
export class MaskedMaxOverTime extends OverTime {
  static readonly className = 'TlxMaskedMaxOverTime';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ids] = pair(inputs, this.name);
      const windows = x.shape[1]!;
      const starts = tf.slice(presence(ids), [0, 0], [-1, windows]);
      return tf.max(tf.mul(x, tf.expandDims(starts, -1)), 1);
    });
  }
}

for (const layer of [TokenMask, MaskedMeanPool, MaskedMaxOverTime]) tf.serialization.registerClass(layer);
