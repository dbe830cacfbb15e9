import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING } from '../kernels/batch-norm-training.js';
import { backendHas, routeLayerCall, singleInput } from './layer-class.js';

/** tfjs-layers' LayerVariable, as BatchNormalization holds its weights. */
interface LayerVariable {
  read(): tf.Tensor;
  write(value: tf.Tensor): void;
}

/**
 * BatchNormalization in training, over the last axis, as one kernel forward and one
 * back (batch-norm-training.ts), where tfjs-layers runs moments and a dozen
 * elementwise gradient ops. Same outputs (its statistics are summed as tfjs'
 * moments sum them on wasm), same moving-average updates, written as tfjs-layers
 * writes them. Inference, other axes and backends without the kernel keep
 * tfjs-layers' own code.
 */
export function routeBatchNormalization(): void {
  routeLayerCall('BatchNormalization', (layer, inputs, kwargs) => {
    const x = singleInput(inputs);
    if (kwargs.training !== true || x == null || x.dtype !== 'float32' || x.rank < 2) return undefined;
    const axis = layer.axis as number;
    if ((axis >= 0 ? axis : axis + x.rank) !== x.rank - 1 || !backendHas(BATCH_NORM_TRAINING)) return undefined;
    return tf.tidy(() => {
      const channels = x.shape[x.rank - 1]!;
      const gamma = layer.gamma as LayerVariable | null;
      const beta = layer.beta as LayerVariable | null;
      const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING, {
        x,
        scale: gamma?.read() ?? tf.ones([channels]),
        offset: beta?.read() ?? tf.zeros([channels]),
      }, { varianceEpsilon: layer.epsilon as number }) as tf.Tensor[];
      const momentum = layer.momentum as number;
      for (const [variable, value] of [[layer.movingMean, mean], [layer.movingVariance, variance]] as const) {
        // tfjs-layers' doMovingAverage: w - (w - value) * (1 - momentum).
        tf.tidy(() => {
          const moving = variable as LayerVariable;
          const old = moving.read();
          moving.write(tf.sub(old, tf.mul(tf.sub(old, value!), 1 - momentum)));
        });
      }
      return y!;
    });
  });
}
