import { join, resolve } from 'node:path';
import type { ResolvedExperiment } from '../config/resolved.js';
import { pretrainKey } from '../plan/tasks.js';
import { cachedModelJson } from './model-url.js';

export interface SourcePlaces {
  readonly cacheDir: string;
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const isUrl = (model: string) => /^https?:\/\//.test(model);

/** The model.json of an experiment's source: pretrained by tlx, on disk, or a downloaded URL. */
export function sourceModelJson(experiment: ResolvedExperiment, places: SourcePlaces): string {
  const { model } = experiment.source;
  if (model == null) return join(places.cacheDir, pretrainKey(experiment), 'model.json');
  return isUrl(model) ? cachedModelJson(model, places.env) : resolve(places.baseDir, model);
}
