import type { ResolvedExperiment, TextSettings } from '../../config/resolved.js';
import { InternalError } from '../../errors.js';
import type { TokenizerSettings, Vocabulary } from './tokenizer.js';

/** How texts become a model's input: its vocabulary and the tokenizer settings it was built with. */
export interface TextInput {
  readonly vocabulary: Vocabulary;
  readonly settings: TokenizerSettings;
}

/** The tokenizer settings of an experiment that reads texts (normalize leaves them out where none are read). */
export function textSettings(experiment: ResolvedExperiment): TextSettings {
  const settings = experiment.source.input.text;
  if (settings == null) throw new InternalError('texts read without tokenizer settings (source.input.text)');
  return settings;
}
