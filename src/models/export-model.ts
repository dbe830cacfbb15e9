import type * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputScale, ResolvedData } from '../config/resolved.js';
import type { TokenizerSettings } from '../data/text/tokenizer.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { saveModel } from './model-files.js';

/** How to turn an example into the model's input: what `tlx predict` and a browser app need. */
export type Preprocessing = ImagePreprocessing | TextPreprocessing;

/** Texts: tokenized with these settings, words looked up in vocabulary.json beside the model. */
export interface TextPreprocessing {
  readonly text: TokenizerSettings;
}

export interface ImagePreprocessing {
  readonly inputShape: readonly [number, number, number];
  readonly resize: ResolvedData['resize'];
  readonly scale: InputScale;
  /** What transparent pixels became in training; absent in models exported before tlx flattened them (alpha was dropped). */
  readonly background?: ResolvedData['background'];
}

/**
 * A fine-tuned model as a TensorFlow.js model folder that @tensorflow/tfjs loads
 * unchanged (tf.loadLayersModel('…/model.json')), with labels.json (class names in
 * output order), preprocessing.json and `files` (a text model's vocabulary.json).
 */
export async function exportModel(
  model: tfl.LayersModel, dir: string, labels: readonly string[], preprocessing: Preprocessing, about: object, files: Readonly<Record<string, string>> = {},
): Promise<void> {
  await saveModel(model, dir, about, files);
  writeFileAtomic(join(dir, 'labels.json'), `${JSON.stringify(labels)}\n`);
  writeFileAtomic(join(dir, 'preprocessing.json'), `${JSON.stringify(preprocessing, null, 2)}\n`);
}

export function readExportInfo(dir: string): { labels: string[]; preprocessing: Preprocessing } {
  return {
    labels: JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as string[],
    preprocessing: JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8')) as Preprocessing,
  };
}
