import * as tf from '@tensorflow/tfjs-core';
import { forwardFlops, TRAIN_FLOPS_PER_FORWARD } from '../models/flops.js';
import { makeOptimizer } from '../train/optimizer.js';
import { profileSteps, type StepProfile } from './profile.js';
import type { Workload } from './workloads.js';

export interface Throughput {
  readonly samplesPerSec: number;
  readonly gflopsPerSec: number;
}

export interface WorkloadResult {
  readonly workload: Workload['name'];
  readonly title: string;
  readonly batch: number;
  readonly forwardGflopPerSample: number;
  readonly train: Throughput;
  readonly infer: Throughput;
  /** Where a training step goes, kernel by kernel (with `profile`). */
  readonly trainProfile?: StepProfile;
}

export interface MeasureOptions {
  readonly warmup: number;
  readonly steps: number;
  /** Also profile training steps kernel by kernel (untimed, after the timed ones). */
  readonly profile?: boolean;
}

/**
 * Training (tlx's Adam, as runs use it; cross-entropy; one optimizer step per batch) and inference
 * throughput of a workload on the active backend, after warm-up steps. Each step
 * ends with a read of its result, so asynchronous backends are timed in full.
 */
export async function measure(workload: Workload, options: MeasureOptions): Promise<WorkloadResult> {
  const model = workload.build();
  model.compile({ optimizer: makeOptimizer({ optimizer: 'adam', learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  const x = inputBatch(workload);
  const labels = tf.randomUniform([workload.batch], 0, workload.classes, 'int32');
  const y = tf.cast(tf.oneHot(labels, workload.classes), 'float32');
  const flops = forwardFlops(model);
  try {
    const trainStep = () => model.trainOnBatch(x, y);
    const trainSeconds = await timeSteps(options, trainStep);
    const trainProfile = options.profile ? await profileSteps(Math.min(options.steps, 5), trainStep) : undefined;
    const inferSeconds = await timeSteps(options, async () => {
      // One batch, as PyTorch's side runs it (predict would split it into batches of 32).
      const out = model.predict(x, { batchSize: workload.batch }) as tf.Tensor;
      await out.data();
      out.dispose();
    });
    const rate = (seconds: number, flopsPerSample: number): Throughput => {
      const samplesPerSec = (workload.batch * options.steps) / seconds;
      return { samplesPerSec, gflopsPerSec: (samplesPerSec * flopsPerSample) / 1e9 };
    };
    return {
      workload: workload.name,
      title: workload.title,
      batch: workload.batch,
      forwardGflopPerSample: flops / 1e9,
      train: rate(trainSeconds, flops * TRAIN_FLOPS_PER_FORWARD),
      infer: rate(inferSeconds, flops),
      ...(trainProfile ? { trainProfile } : {}),
    };
  } finally {
    tf.dispose([x, labels, y]);
    model.dispose();
  }
}

/** Random images in [0, 1), or random token ids (no padding: every position is a word). */
function inputBatch({ input, batch }: Workload): tf.Tensor {
  return input.kind === 'image'
    ? tf.randomUniform([batch, ...input.shape])
    : tf.randomUniform([batch, input.length], 1, input.vocabulary, 'int32');
}

async function timeSteps(options: MeasureOptions, step: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < options.warmup; i++) await step();
  const start = performance.now();
  for (let i = 0; i < options.steps; i++) await step();
  return (performance.now() - start) / 1000;
}
