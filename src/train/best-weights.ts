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

  release(): void {
    if (this.kept) tf.dispose(this.kept);
    this.kept = undefined;
  }
}
