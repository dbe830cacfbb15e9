import type * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputScale, ResolvedData } from '../config/resolved.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { saveModel } from './model-files.js';

/** How to turn an image into the model's input: what `tlx predict` and a browser app need. */
export interface Preprocessing {
  readonly inputShape: readonly [number, number, number];
  readonly resize: ResolvedData['resize'];
  readonly scale: InputScale;
  /** What transparent pixels became in training; absent in models exported before tlx flattened them (alpha was dropped). */
  readonly background?: ResolvedData['background'];
}

/**
 * A fine-tuned model as a TensorFlow.js model folder that @tensorflow/tfjs loads
 * unchanged (tf.loadLayersModel('…/model.json')), with labels.json (class names in
 * output order) and preprocessing.json.
 */
export async function exportModel(model: tfl.LayersModel, dir: string, labels: readonly string[], preprocessing: Preprocessing, about: object): Promise<void> {
  await saveModel(model, dir, about);
  writeFileAtomic(join(dir, 'labels.json'), `${JSON.stringify(labels)}\n`);
  writeFileAtomic(join(dir, 'preprocessing.json'), `${JSON.stringify(preprocessing, null, 2)}\n`);
}

export function readExportInfo(dir: string): { labels: string[]; preprocessing: Preprocessing } {
  return {
    labels: JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as string[],
    preprocessing: JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8')) as Preprocessing,
  };
}
