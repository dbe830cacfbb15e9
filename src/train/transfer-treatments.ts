import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ResolvedExperiment } from '../config/resolved.js';
import { groupedLayers, layerGroups } from '../models/layer-groups.js';
import type { WeightTreatment, WeightTreatments } from './optimizers/per-weight.js';

/** The treatments of a transferred model's weights, and the anchors they hold (disposed with it). */
export interface TransferTreatments {
  readonly treatments: WeightTreatments;
  dispose(): void;
}

/**
 * The per-weight treatments transfer.discriminative and transfer.l2sp ask for, for
 * a target model whose transferred layers are `sourceLayers` (the source up to the
 * cut, in model order); every other layer is the new head. Taken when the model is
 * built, so L2-SP pulls toward the source's weights as loaded in every phase.
 */
export function transferTreatments(
  model: tfl.LayersModel, sourceLayers: readonly string[], transfer: Pick<ResolvedExperiment['transfer'], 'discriminative' | 'l2sp'>,
): TransferTreatments {
  const { discriminative, l2sp } = transfer;
  const depth = new Map<string, number>();
  if (discriminative) {
    layerGroups(groupedLayers(model, sourceLayers), discriminative.layersPerGroup)
      .forEach((group, i) => group.forEach((name) => depth.set(name, i + 1)));
  }
  const anchors: tf.Tensor[] = [];
  const treatments = new Map<string, WeightTreatment>();
  for (const layer of model.layers) {
    const transferred = sourceLayers.includes(layer.name);
    const scale = discriminative ? discriminative.decay ** -(depth.get(layer.name) ?? 0) : 1;
    // Every weight, frozen ones too (phase 2 may unfreeze them); one that never gets
    // a gradient (batch-norm statistics) is never stepped, so its treatment is unused.
    for (const weight of layer.weights) {
      const variable = weight.read() as tf.Variable;
      let pull: WeightTreatment['pull'];
      if (l2sp && transferred) {
        const toward = tf.clone(variable);
        anchors.push(toward);
        pull = { strength: l2sp.alpha, toward };
      } else if (l2sp) pull = { strength: l2sp.beta };
      if (scale !== 1 || pull) treatments.set(variable.name, { ...(scale !== 1 ? { learningRateScale: scale } : {}), ...(pull ? { pull } : {}) });
    }
  }
  return { treatments, dispose: () => tf.dispose(anchors) };
}
