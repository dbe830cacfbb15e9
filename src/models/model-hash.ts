import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ResolvedExperiment } from '../config/resolved.js';
import { readModelJson, readShard } from './model-files.js';
import { type SourcePlaces, sourceModelJson } from './source-location.js';

/**
 * Content hash of a TensorFlow.js model: its model.json and every weight shard it
 * lists, in order. Tasks that read a model are keyed by it, so an edited (or
 * re-downloaded) model is a new source, whatever its path.
 */
export function modelContentHash(modelJson: string, length = 16): string {
  const hash = createHash('sha256');
  const add = (bytes: Buffer) => hash.update(`${bytes.length}:`).update(bytes);
  add(readFileSync(modelJson));
  for (const path of (readModelJson(modelJson).weightsManifest ?? []).flatMap((g) => g.paths)) add(readShard(modelJson, path));
  return hash.digest('hex').slice(0, length);
}

/**
 * The model.json of each source.model the experiments use (a grid may sweep it),
 * with the hash of its content; none for one not on disk (a URL not downloaded).
 */
export function sourceModels(experiments: readonly ResolvedExperiment[], places: SourcePlaces): Map<string, { modelJson: string; hash?: string }> {
  const models = new Map<string, { modelJson: string; hash?: string }>();
  for (const e of experiments) {
    if (e.source.model == null || models.has(e.source.model)) continue;
    const modelJson = sourceModelJson(e, places);
    models.set(e.source.model, { modelJson, ...(existsSync(modelJson) ? { hash: modelContentHash(modelJson) } : {}) });
  }
  return models;
}
