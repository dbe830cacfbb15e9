import { resolve } from 'node:path';
import type { ResolvedExperiment } from '../config/resolved.js';
import { InternalError } from '../errors.js';
import { cachedModelJson } from './model-url.js';

export interface SourcePlaces {
  readonly cacheDir: string;
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const isUrl = (model: string) => /^https?:\/\//.test(model);

/** The model.json of an experiment's source.model: on disk, or a downloaded URL (a pretrained one: execute/task-cache.ts). */
export function sourceModelJson(experiment: ResolvedExperiment, places: SourcePlaces): string {
  const { model } = experiment.source;
  if (model == null) throw new InternalError('a pretrained source is found by its cache key and backend (pretrainedDir)');
  return isUrl(model) ? cachedModelJson(model, places.env) : resolve(places.baseDir, model);
}
