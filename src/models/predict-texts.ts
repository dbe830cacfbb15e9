import { join } from 'node:path';
import { encode } from '../data/text/tokenizer.js';
import { UsageError } from '../errors.js';
import { tokenInputs } from '../train/inputs.js';
import { type ClassProbability, predictProbabilities, topClasses } from '../train/predict.js';
import { readExportInfo } from './export-model.js';
import { loadModel } from './model-files.js';
import { readTextInput } from './text-input-file.js';

export interface TextPrediction {
  readonly text: string;
  readonly top: readonly ClassProbability[];
}

/** Whether an exported model reads texts (it has a vocabulary beside its model.json). */
export function isTextModel(dir: string): boolean {
  return readTextInput(join(dir, 'model.json')) != null;
}

/** Top-k classes of each text, tokenized with the exported model's vocabulary and settings. */
export async function predictTexts(dir: string, texts: readonly string[], k: number): Promise<TextPrediction[]> {
  const { labels } = readExportInfo(dir);
  const input = readTextInput(join(dir, 'model.json'));
  if (input == null) throw new UsageError('E_PREDICT_INPUT', `${dir} is an image model: give it image files, not texts`, 'tlx predict MODEL_DIR photo.jpg ...');
  const tokens = encode(texts, input.vocabulary, input.settings);
  const model = await loadModel(join(dir, 'model.json'));
  try {
    const set = { texts, tokens, labels: new Int32Array(texts.length), classes: labels.length, shape: [input.settings.maxLength] as const };
    const probs = await predictProbabilities(model, tokenInputs(set));
    return texts.map((text, i) => ({ text, top: topClasses(probs, labels, i, k) }));
  } finally {
    model.dispose();
  }
}
