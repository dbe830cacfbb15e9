import { join } from 'node:path';
import type { BackendIdentity } from '../engine/backend-identity.js';
import type { SourceModelFile } from '../models/model-hash.js';
import { type KeyContext, pretrainKey } from '../plan/tasks.js';
import type { Trial } from '../plan/trials.js';
import { embeddingsModelJson } from './embeddings-sources.js';
import { pretrainedDir } from './task-cache.js';

export interface SourcePlacesOfRun {
  readonly cacheDir: string;
  readonly identity: BackendIdentity;
  readonly keys: KeyContext;
  /** Each source.model's file (models/model-hash.ts sourceModels). */
  readonly models: ReadonlyMap<string, SourceModelFile>;
}

/**
 * The model.json a trial's tasks read its source from: a source.model on disk or
 * downloaded, a pretrained source in the cache, or the embedding layer built for
 * its seed from source.embeddings.
 */
export function trialSourceModel(trial: Trial, places: SourcePlacesOfRun): string {
  const e = trial.experiment;
  if (e.source.embeddings != null) return embeddingsModelJson(e, trial.seed, places);
  if (e.source.model != null) return places.models.get(e.source.model)!.modelJson;
  return join(pretrainedDir(places.cacheDir, places.identity, pretrainKey(e, places.keys)), 'model.json');
}
