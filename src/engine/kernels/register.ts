import * as tf from '@tensorflow/tfjs-core';
import { routeFusedLayers } from '../fused-layers/index.js';
import { registerFastGradients } from '../gradients.js';
import { untransposedMatMul } from './batch-matmul.js';
import { rowGather } from './gather.js';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './depthwise-backprop.js';
import { BAND_GRAD, BATCH_NORM_GRAD, bandGrad, CLIP_GRAD, clipByValueGrad, fusedBatchNormGrad } from './gradient-kernels.js';
import { channelBatchNorm } from './batch-norm.js';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, batchNormTraining, batchNormTrainingGrad } from './batch-norm-training.js';
import { identity } from './identity.js';
import { leadingReduce } from './leading-reduce.js';
import { maxPoolGrad } from './max-pool-grad.js';
import { OPTIMIZER_STEP, optimizerStep } from './optimizer-step.js';
import { blockPad } from './pad.js';
import { leadingReverse } from './reverse.js';
import { explicitSamePadding } from './same-padding.js';
import { slice } from './slice.js';
import { tile } from './tile.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

/** Kernels tlx adds to wasm (missing there) or puts in place of slow ones. */
const REPLACEMENTS = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  Identity: identity,
  MaxPoolGrad: maxPoolGrad,
  Slice: slice,
  Tile: tile,
  UnsortedSegmentSum: unsortedSegmentSum,
  [CLIP_GRAD]: clipByValueGrad,
  [BAND_GRAD]: bandGrad,
  [BATCH_NORM_GRAD]: fusedBatchNormGrad,
  [BATCH_NORM_TRAINING]: batchNormTraining,
  [BATCH_NORM_TRAINING_GRAD]: batchNormTrainingGrad,
  [OPTIMIZER_STEP]: optimizerStep,
} as const satisfies Record<string, tf.KernelFunc>;

/** Kernels kept for most inputs and given a fast path for the shapes training uses. */
const WRAPPERS = {
  BatchMatMul: untransposedMatMul,
  _FusedMatMul: untransposedMatMul,
  Sum: (original: tf.KernelFunc) => leadingReduce(original, false),
  Mean: (original: tf.KernelFunc) => leadingReduce(original, true),
  FusedBatchNorm: channelBatchNorm,
  PadV2: blockPad,
  GatherV2: rowGather,
  Reverse: leadingReverse,
  Conv2D: explicitSamePadding(false),
  FusedConv2D: explicitSamePadding(false),
  DepthwiseConv2dNative: explicitSamePadding(true),
  FusedDepthwiseConv2D: explicitSamePadding(true),
} as const satisfies Record<string, (original: tf.KernelFunc) => tf.KernelFunc>;

export type TrainingKernelName = keyof typeof REPLACEMENTS | keyof typeof WRAPPERS;

const wrapped = new WeakSet<tf.KernelFunc>();

/**
 * Makes the wasm backend train, and train fast. Idempotent; must run after the
 * backend is imported (registering replaces its kernels).
 */
export function registerTrainingKernels(backendName = 'wasm'): TrainingKernelName[] {
  const done: TrainingKernelName[] = [];
  registerFastGradients(backendName);
  routeFusedLayers();
  for (const [kernelName, kernelFunc] of Object.entries(REPLACEMENTS)) {
    replaceKernel({ kernelName, backendName, kernelFunc });
    done.push(kernelName as TrainingKernelName);
  }
  for (const [kernelName, wrap] of Object.entries(WRAPPERS)) {
    const original = tf.getKernel(kernelName, backendName);
    if (original == null) continue;
    if (!wrapped.has(original.kernelFunc)) {
      const kernelFunc = wrap(original.kernelFunc);
      wrapped.add(kernelFunc);
      // The original's setupFunc binds the wasm function its kernelFunc calls.
      replaceKernel({ ...original, kernelFunc });
    }
    done.push(kernelName as TrainingKernelName);
  }
  return done;
}

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) != null) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}
