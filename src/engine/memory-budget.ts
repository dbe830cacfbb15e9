import type * as tfl from '@tensorflow/tfjs-layers';

// How many examples a backend's memory holds at once. The wasm backend's memory
// ends at 4 GiB (wasm32); a real 224 px backbone reaches that at batch 32 in
// training and at a few hundred images in inference, where it aborts. Training
// steps past the bound are split into micro-batches (train/micro-batch.ts);
// inference batches are made smaller.

/**
 * Bytes of memory a step may use for activations, per backend: the wasm backend's
 * memory ends at 4 GiB (wasm32), and weights, optimizer state and the batch's
 * inputs need room beside them. The other backends have no such wall.
 */
const STEP_BYTES: Record<string, number> = { wasm: 2.5 * 2 ** 30 };

/**
 * Training keeps each layer's output for the backward pass and makes its gradient:
 * MobileNetV2 at batch 16 took 3.47 GiB for 1.34 GiB of outputs (2.6 times); 3 leaves room.
 */
const TRAINING_FACTOR = 3;

/** Bytes of layer outputs one example makes in a forward pass. */
export function activationBytes(model: tfl.LayersModel): number {
  let floats = 0;
  for (const layer of model.layers) {
    const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][];
    for (const shape of shapes) floats += shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  }
  return floats * 4;
}

/** The most examples one step may hold on `backend`; the batch size when it fits. */
export function microBatchSize(model: tfl.LayersModel, batchSize: number, backend: string): number {
  const limit = STEP_BYTES[backend];
  if (limit == null) return batchSize;
  const fits = Math.max(1, Math.floor(limit / (TRAINING_FACTOR * activationBytes(model))));
  return Math.min(batchSize, fits);
}

/**
 * The most examples one forward pass may hold on `backend` (at most `wanted`):
 * inference frees each layer's output once the next has it, so the sum of all
 * outputs bounds what it keeps.
 */
export function inferenceBatchSize(model: tfl.LayersModel, wanted: number, backend: string): number {
  const limit = STEP_BYTES[backend];
  if (limit == null) return wanted;
  return Math.min(wanted, Math.max(1, Math.floor(limit / activationBytes(model))));
}


/**
 * Bytes of layer outputs a pass that computes cached features may hold: far below
 * the wall, since such a pass runs once over every example and its batch size
 * changes no number (each example's features are computed alone), while the wasm
 * memory it grows is never given back: the task's peak memory is its largest pass.
 */
const FEATURE_PASS_BYTES = 512 * 2 ** 20;

/** Examples a feature pass holds at once on `backend` (at most `wanted`), recorded for the backward pass as in training. */
export function featurePassBatchSize(model: tfl.LayersModel, wanted: number, backend: string): number {
  if (STEP_BYTES[backend] == null) return wanted;
  return Math.min(wanted, Math.max(1, Math.floor(FEATURE_PASS_BYTES / (TRAINING_FACTOR * activationBytes(model)))));
}
