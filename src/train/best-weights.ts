import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * A copy of every weight of a model (trainable or not: batch-norm statistics are
 * part of the model a point scored), kept for earlyStopping.restoreBest.
 */
export class BestWeights {
  private kept: tf.Tensor[] | undefined;

  /** Keeps the model's weights as they are now, in place of any kept before. */
  keep(model: tfl.LayersModel): void {
    this.release();
    this.kept = model.weights.map((w) => w.read().clone());
  }

  /** Sets the model's weights back to the kept ones; false when none were kept. */
  restore(model: tfl.LayersModel): boolean {
    if (this.kept == null) return false;
    model.setWeights(this.kept);
    return true;
  }

  /** The weights kept, if any (a checkpoint saves them). */
  get weights(): readonly tf.Tensor[] | undefined {
    return this.kept;
  }

  /** Keeps these tensors (from a checkpoint) in place of any kept before; they are this object's to dispose now. */
  adopt(tensors: tf.Tensor[]): void {
    this.release();
    this.kept = tensors;
  }

  release(): void {
    if (this.kept) tf.dispose(this.kept);
    this.kept = undefined;
  }
}
