import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../results/atomic-write.js';
import { InternalError } from '../errors.js';
import type { CurvePoint } from './fit.js';
import { RuleOptimizer } from './optimizers/rule-optimizer.js';

/**
 * Where a training loop stood after an epoch: with the model's weights, the
 * optimizer's state and the seeded random stream, enough to continue it so that
 * the continuation equals the run that never stopped (ASHA's promotions).
 */
export interface LoopState {
  /** Epochs completed. */
  readonly epoch: number;
  readonly steps: number;
  readonly seen: number;
  readonly lossSum: number;
  readonly lossCount: number;
  readonly bestScore: number;
  /** Index into curve of the best point so far (-1: none). */
  readonly bestPoint: number;
  readonly sinceBest: number;
  readonly curve: readonly CurvePoint[];
  /** The training examples' order, which each epoch shuffles further. */
  readonly order: readonly number[];
  /** Math.random's generator position (random.ts). */
  readonly random: number;
  readonly seconds: number;
  /** Whether weights kept for earlyStopping.restoreBest follow the model's in the file. */
  readonly hasBest: boolean;
}

interface StateFile extends LoopState {
  readonly weights: readonly { readonly shape: readonly number[] }[];
  /** Per weight (by position in model.weights): its optimizer state, slot names in file order. */
  readonly optimizer: readonly ({ readonly steps: number; readonly slots: readonly string[] } | null)[];
}

/** Writes a checkpoint folder (state.json, tensors.bin) whole: into a temporary folder renamed into place. */
export async function saveCheckpoint(dir: string, model: tfl.LayersModel, optimizer: tf.Optimizer, state: LoopState, best?: readonly tf.Tensor[]): Promise<void> {
  const rule = ruleOptimizer(optimizer);
  const arrays: Float32Array[] = [];
  const weights: { shape: number[] }[] = [];
  for (const w of model.weights) {
    arrays.push(await w.read().data() as Float32Array);
    weights.push({ shape: w.read().shape });
  }
  if (state.hasBest) for (const t of best ?? []) arrays.push(await t.data() as Float32Array);
  const exported = await Promise.all(model.weights.map((w) => rule.exportState(w.name)));
  const slots = exported.map((saved) => {
    if (saved == null) return null;
    const names = Object.keys(saved.slots);
    for (const n of names) arrays.push(saved.slots[n]!);
    return { steps: saved.steps, slots: names };
  });
  const file: StateFile = { ...state, weights, optimizer: slots };
  const temp = `${dir}.partial-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  const bytes = Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  writeFileAtomic(join(temp, 'tensors.bin'), bytes);
  writeFileAtomic(join(temp, 'state.json'), JSON.stringify(file));
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
}

/** Sets the model's weights and the optimizer's state from a checkpoint; returns the loop's state and any best weights kept. */
export function loadCheckpoint(dir: string, model: tfl.LayersModel, optimizer: tf.Optimizer): { state: LoopState; best?: tf.Tensor[] } {
  if (!existsSync(join(dir, 'state.json'))) throw new InternalError(`no checkpoint at ${dir} to continue from`);
  const file = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StateFile;
  const raw = readFileSync(join(dir, 'tensors.bin'));
  const floats = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let offset = 0;
  const take = (shape: readonly number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = floats.subarray(offset, offset + n);
    offset += n;
    return values;
  };
  if (file.weights.length !== model.weights.length) throw new InternalError(`checkpoint ${dir} has ${file.weights.length} weights, the model ${model.weights.length}`);
  const values = file.weights.map((w) => tf.tensor(take(w.shape), [...w.shape]));
  model.setWeights(values);
  tf.dispose(values);
  const best = file.hasBest ? file.weights.map((w) => tf.tensor(take(w.shape), [...w.shape])) : undefined;
  const rule = ruleOptimizer(optimizer);
  file.optimizer.forEach((saved, i) => {
    if (saved == null) return;
    const weight = model.weights[i]!;
    const variable = tf.engine().registeredVariables[weight.name];
    if (variable == null) throw new InternalError(`no variable ${weight.name} to restore optimizer state into`);
    rule.importState(weight.name, variable, { steps: saved.steps, slots: Object.fromEntries(saved.slots.map((n) => [n, take(file.weights[i]!.shape).slice()])) });
  });
  const { weights: _w, optimizer: _o, ...state } = file;
  return { state, ...(best ? { best } : {}) };
}

function ruleOptimizer(optimizer: tf.Optimizer): RuleOptimizer<{ name: string }> {
  if (!(optimizer instanceof RuleOptimizer)) throw new InternalError('checkpoints keep the state of tlx\'s own optimizers only');
  return optimizer as RuleOptimizer<{ name: string }>;
}
