import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TextInput } from '../data/text/text-input.js';
import { ModelError } from './model-error.js';

// A model that reads texts carries its vocabulary and tokenizer settings beside its
// model.json, so whatever uses it (a target task, an export, predict) turns texts
// into the very token ids it was trained on. A model without one reads images.

export const TEXT_INPUT_FILE = 'vocabulary.json';

const VERSION = 1;

/** The files that record how texts become a model's input (for saveModel's extra files). */
export function textInputFiles(input: TextInput): Record<string, string> {
  const { words, counts } = input.vocabulary;
  return { [TEXT_INPUT_FILE]: JSON.stringify({ version: VERSION, settings: input.settings, words, counts: Array.from(counts) }) };
}

/** The vocabulary and settings beside a model.json, or undefined when the model reads images. */
export function readTextInput(modelJson: string): TextInput | undefined {
  const file = join(dirname(modelJson), TEXT_INPUT_FILE);
  if (!existsSync(file)) return undefined;
  let parsed: { version?: unknown; settings?: TextInput['settings']; words?: unknown; counts?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch {
    throw new ModelError('E_VOCABULARY', file, 'is not valid JSON', 'the model folder is damaged: export or pretrain it again');
  }
  const { settings, words, counts } = parsed;
  if (parsed.version !== VERSION || settings == null || !Array.isArray(words) || !words.every((w) => typeof w === 'string') || !Array.isArray(counts) || counts.length !== words.length) {
    throw new ModelError('E_VOCABULARY', file, `is not a tlx vocabulary (version ${VERSION}: settings, words, counts)`, 'the model folder is damaged or from another tool: export or pretrain it again');
  }
  const list = words as string[];
  return { settings, vocabulary: { words: list, counts: Int32Array.from(counts as number[]), index: new Map(list.map((w, i) => [w, i])) } };
}
