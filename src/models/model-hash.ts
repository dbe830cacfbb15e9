import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ResolvedExperiment } from '../config/resolved.js';
import { readShard } from './model-files.js';
import { type SourcePlaces, sourceModelJson } from './source-location.js';
import { readSourceModelJson } from './source-model.js';

/**
 * Content hash of a TensorFlow.js model: its model.json and every weight shard it
 * lists, in order. Tasks that read a model are keyed by it, so an edited (or
 * re-downloaded) model is a new source, whatever its path.
 */
export function modelContentHash(modelJson: string, length = 16): string {
  const hash = createHash('sha256');
  const add = (bytes: Buffer) => hash.update(`${bytes.length}:`).update(bytes);
  add(readFileSync(modelJson));
  for (const path of (readSourceModelJson(modelJson).json.weightsManifest ?? []).flatMap((g) => g.paths)) add(readShard(modelJson, path));
  return hash.digest('hex').slice(0, length);
}

export interface SourceModelFile {
  readonly modelJson: string;
  readonly hash?: string;
  /** A LayersModel or a GraphModel (a frozen function: no scratch baseline). */
  readonly kind?: 'layers' | 'graph';
}

/**
 * The model.json of each source.model the experiments use (a grid may sweep it),
 * with the hash of its content and its kind; none for one not on disk (a URL not downloaded).
 */
export function sourceModels(experiments: readonly ResolvedExperiment[], places: SourcePlaces): Map<string, SourceModelFile> {
  const models = new Map<string, SourceModelFile>();
  for (const e of experiments) {
    if (e.source.model == null || models.has(e.source.model)) continue;
    const modelJson = sourceModelJson(e, places);
    const read = existsSync(modelJson) ? { hash: modelContentHash(modelJson), kind: readSourceModelJson(modelJson).kind } : {};
    models.set(e.source.model, { modelJson, ...read });
  }
  return models;
}
