import { join } from 'node:path';
import { pixelScale } from '../data/images/batches.js';
import { decodeImage } from '../data/images/decode-images.js';
import { imageInputs } from '../train/inputs.js';
import { type ClassProbability, predictProbabilities, topClasses } from '../train/predict.js';
import { readExportInfo } from './export-model.js';
import { loadModel } from './model-files.js';
import { UsageError } from '../errors.js';

export interface Prediction {
  readonly file: string;
  readonly top: readonly ClassProbability[];
}

/** Top-k classes of each image file, prepared as the exported model's preprocessing.json says. */
export async function predictImages(dir: string, files: readonly string[], k: number): Promise<Prediction[]> {
  const { labels, preprocessing } = readExportInfo(dir);
  if ('text' in preprocessing) throw new UsageError('E_PREDICT_INPUT', `${dir} is a text model: give it texts, not image files`, 'tlx predict MODEL_DIR "some text" ...');
  const [h, w, c] = preprocessing.inputShape;
  const format = { size: [h, w] as [number, number], channels: c as 1 | 3, resize: preprocessing.resize, background: preprocessing.background ?? 'none' };
  const size = h * w * c;
  const pixels = new Uint8Array(files.length * size);
  for (const [i, file] of files.entries()) pixels.set(await decodeImage(file, format), i * size);
  const model = await loadModel(join(dir, 'model.json'));
  try {
    const set = { pixels, labels: new Int32Array(files.length), shape: preprocessing.inputShape, classes: labels.length };
    const probs = await predictProbabilities(model, imageInputs(set, pixelScale(preprocessing.scale, c)));
    return files.map((file, i) => ({ file, top: topClasses(probs, labels, i, k) }));
  } finally {
    model.dispose();
  }
}
