import * as tf from '@tensorflow/tfjs-core';
import { untransposedMatMul } from './batch-matmul.js';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './depthwise-backprop.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

/** The kernels tlx adds to or replaces in a backend so that it can train. */
export const TRAINING_KERNELS = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  UnsortedSegmentSum: unsortedSegmentSum,
} as const satisfies Record<string, tf.KernelFunc>;

/** Kernels that exist but are slow with transposed operands; wrapped, not replaced. */
const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

export type TrainingKernelName = keyof typeof TRAINING_KERNELS | (typeof MATMUL_KERNELS)[number];

/**
 * Makes the wasm backend able to train: registers the missing gradient kernels and
 * replaces the slow ones. Idempotent; must run after the backend is imported.
 */
export function registerTrainingKernels(backendName = 'wasm'): TrainingKernelName[] {
  const done: TrainingKernelName[] = [];
  for (const [kernelName, kernelFunc] of Object.entries(TRAINING_KERNELS)) {
    replaceKernel({ kernelName, backendName, kernelFunc });
    done.push(kernelName as TrainingKernelName);
  }
  for (const kernelName of MATMUL_KERNELS) {
    const original = tf.getKernel(kernelName, backendName);
    if (original == null || isTlxKernel(original.kernelFunc)) continue;
    replaceKernel({ ...original, kernelFunc: markTlx(untransposedMatMul(original.kernelFunc)) });
    done.push(kernelName);
  }
  return done;
}

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) != null) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}

const TLX = Symbol('tlx-kernel');
function markTlx(f: tf.KernelFunc): tf.KernelFunc {
  return Object.assign(f, { [TLX]: true });
}
function isTlxKernel(f: tf.KernelFunc): boolean {
  return (f as unknown as Record<symbol, unknown>)[TLX] === true;
}
