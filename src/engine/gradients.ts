import * as tf from '@tensorflow/tfjs-core';
// The tfjs-layers bundle registers tfjs-core's gradients when imported; tlx's
// overrides must come after it, or they would be overwritten.
import '@tensorflow/tfjs-layers';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from './kernels/batch-norm-training.js';
import { BAND_GRAD, BATCH_NORM_GRAD, CLIP_GRAD } from './kernels/gradient-kernels.js';

// Gradients are registered per op for every backend, so each override checks that
// the active backend is one tlx's kernels were registered on (or has tlx's one-pass
// kernel) and otherwise calls tfjs-core's own gradient, which it keeps: the cpu
// backend stays tfjs' own, the untouched reference tlx's kernels are tested against.

/** Backends whose kernels tlx replaced (registerTrainingKernels). */
const tlxBackends = new Set<string>();

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) != null;
}

function onTlxBackend(): boolean {
  return tlxBackends.has(tf.getBackend());
}

function override(kernelName: string, make: (original: tf.GradConfig) => tf.GradConfig): void {
  const original = tf.getGradient(kernelName);
  if (original == null || (original as { tlx?: boolean }).tlx) return;
  tf.registerGradient(Object.assign(make(original), { tlx: true }));
}

/**
 * The gradient of a reduction, dy spread back over x's shape. tfjs-core multiplies
 * by a ones tensor that it fills in JavaScript (~70 ms per MobileNet step); a
 * broadcast (the Tile kernel) yields the same values without it.
 */
function spreadReduction(mean: boolean): (original: tf.GradConfig) => tf.GradConfig {
  return (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      if (!onTlxBackend()) return original.gradFunc(dy, saved, attrs);
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam((attrs as unknown as tf.SumAttrs).axis, x.shape);
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const count = mean ? tf.util.sizeFromShape(axes.map((a) => x.shape[a]!)) : 1;
      return {
        x: () => tf.tidy(() => {
          const d = dy as tf.Tensor;
          const g = tf.reshape(d.dtype === 'float32' ? d : tf.cast(d, 'float32'), kept);
          return tf.broadcastTo(count === 1 ? g : tf.div(g, count), x.shape);
        }),
      };
    },
  });
}

/**
 * The gradient of Max (max over time in text CNNs): dy to every position equal to
 * the max, as tfjs-core routes it. tfjs-core compares x with the max through a
 * broadcasting Equal, which wasm computes element by element (~23 ms for one
 * [50, 48, 100] max); broadcasting the max first (Tile) makes it an even Equal (~1 ms).
 */
function maxGradient(original: tf.GradConfig): tf.GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      if (!onTlxBackend()) return original.gradFunc(dy, saved, attrs);
      const [x, y] = saved as [tf.Tensor, tf.Tensor];
      const axes = tf.util.parseAxisParam((attrs as unknown as tf.MaxAttrs).reductionIndices, x.shape);
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      return {
        x: () => tf.tidy(() => {
          const where = tf.equal(x, tf.broadcastTo(tf.reshape(y, kept), x.shape));
          return tf.mul(tf.cast(where, 'float32'), tf.broadcastTo(tf.reshape(dy as tf.Tensor, kept), x.shape));
        }),
      };
    },
  };
}

/**
 * ReLU's and ReLU6's gradients, dy where lo < x <= hi, as one kernel; tfjs-core
 * builds the mask from Step, LessEqual, Mul and Cast, then multiplies. (Where x is
 * NaN, tfjs-core's gives NaN and this 0.)
 */
function bandGradient(hi: number): (original: tf.GradConfig) => tf.GradConfig {
  return (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      if (!hasKernel(BAND_GRAD) || x.dtype !== 'float32') return original.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(BAND_GRAD, { x, dy: dy as tf.Tensor }, { lo: 0, hi }) as tf.Tensor };
    },
  });
}

/** tlx's training batch norm (only on backends that have it): one gradient kernel for all three inputs. */
const batchNormTrainingGradient: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [dy, dmean, dvariance] = dys as tf.Tensor[];
    const [x, scale, mean, variance] = saved as tf.Tensor[];
    const [dx, dscale, doffset] = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD,
      { x: x!, dy: dy!, mean: mean!, variance: variance!, scale: scale!, dmean: dmean!, dvariance: dvariance! },
      attrs) as tf.Tensor[];
    return { x: () => dx!, scale: () => dscale!, offset: () => doffset! };
  },
};

/**
 * Installs tlx's gradients for Sum, Mean, Max, ClipByValue (ReLU6) and FusedBatchNorm,
 * in effect on `backendName` (and any other backend it was called for). Idempotent.
 */
export function registerFastGradients(backendName: string): void {
  tlxBackends.add(backendName);
  override('Sum', spreadReduction(false));
  override('Mean', spreadReduction(true));
  override('Max', maxGradient);
  override('Relu', bandGradient(Infinity));
  override('Relu6', bandGradient(6));
  if (tf.getGradient(BATCH_NORM_TRAINING) == null) tf.registerGradient(batchNormTrainingGradient);

  override('ClipByValue', (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      if (!hasKernel(CLIP_GRAD) || x.dtype !== 'float32') return original.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(CLIP_GRAD, { x, dy: dy as tf.Tensor }, attrs) as tf.Tensor };
    },
  }));

  override('FusedBatchNorm', (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
      const channels = mean.shape[0];
      const fits = mean.rank === 1 && variance.rank === 1 && (scale == null || scale.rank === 1) &&
        x.shape[x.rank - 1] === channels && x.dtype === 'float32';
      if (!hasKernel(BATCH_NORM_GRAD) || !fits) return original.gradFunc(dy, saved, attrs);
      const inputs: tf.NamedTensorMap = { x, dy: dy as tf.Tensor, mean, variance };
      if (scale != null) inputs.scale = scale;
      // One kernel yields all five gradients; each thunk hands out its own.
      const [dx, dmean, dvariance, dscale, doffset] = tf.engine().runKernel(BATCH_NORM_GRAD, inputs, attrs) as tf.Tensor[];
      return {
        x: () => dx!, mean: () => dmean!, variance: () => dvariance!, scale: () => dscale!, offset: () => doffset!,
      };
    },
  }));
}
