import * as tfl from '@tensorflow/tfjs-layers';
import { join } from 'node:path';
import type { ResolvedExperiment } from '../config/resolved.js';
import type { BackendIdentity } from '../engine/backend-identity.js';
import { type DataContext, splitTexts } from '../data/load-data.js';
import { textSettings } from '../data/text/text-input.js';
import { buildVocabulary } from '../data/text/tokenizer.js';
import { InternalError } from '../errors.js';
import { embeddedTokens, setEmbeddings } from '../models/architectures/index.js';
import { embeddingWeights, type EmbeddingsSourceMeta } from '../models/embedding-weights.js';
import { hasModel, readMeta, saveModel } from '../models/model-files.js';
import { textInputFiles } from '../models/text-input-file.js';
import { embeddingsSourceKey, type KeyContext } from '../plan/tasks.js';
import type { Trial } from '../plan/trials.js';
import { deriveSeed } from '../random.js';
import { cachedModel, type CacheOptions, pretrainedDir } from './task-cache.js';

export interface EmbeddingsSourceContext extends DataContext, CacheOptions {
  readonly cacheDir: string;
  readonly identity: BackendIdentity;
  readonly keys: KeyContext;
}

/** Where a trial's tasks find its source.embeddings model (see buildEmbeddingsSources). */
export function embeddingsSourceDir(e: ResolvedExperiment, seed: number, context: Pick<EmbeddingsSourceContext, 'cacheDir' | 'identity' | 'keys'>): string {
  return pretrainedDir(context.cacheDir, context.identity, embeddingsSourceKey(e, seed, context.keys));
}

/**
 * For source.embeddings: the source model of each seed, an embedding layer named
 * `embedding` over the vocabulary of that seed's training texts, holding the
 * vectors the file has for its words. Built here, before any task runs, once per
 * seed under the cache lock (the vectors are streamed once and their restriction
 * cached), so every probe, scratch and fine-tune of a seed reads the same folder.
 */
export async function buildEmbeddingsSources(trials: readonly Trial[], context: EmbeddingsSourceContext): Promise<EmbeddingsSourceMeta[]> {
  const built = new Map<string, EmbeddingsSourceMeta>();
  for (const { experiment: e, seed } of trials) {
    if (e.source.embeddings == null) continue;
    const dir = embeddingsSourceDir(e, seed, context);
    if (built.has(dir)) continue;
    built.set(dir, await cachedModel(context.cacheDir, context.identity, embeddingsSourceKey(e, seed, context.keys),
      async (at) => (hasModel(at) ? readMeta<EmbeddingsSourceMeta>(at) : buildEmbeddingsSource(e, seed, at, context)), context));
  }
  return [...built.values()];
}

async function buildEmbeddingsSource(e: ResolvedExperiment, seed: number, dir: string, context: EmbeddingsSourceContext): Promise<EmbeddingsSourceMeta> {
  const spec = e.source.embeddings;
  if (spec == null) throw new InternalError('an embeddings source without source.embeddings');
  const settings = textSettings(e);
  const vocabulary = buildVocabulary((await splitTexts(e.target.data, seed, context)).train.texts, settings);
  const weights = await embeddingWeights(spec, vocabulary, deriveSeed(seed, 'embeddings'), context);
  const options = { vocabulary: vocabulary.words.length, maxLength: settings.maxLength, dim: weights.dim, classes: 0, embeddings: weights.values };
  const { ids, embedded } = embeddedTokens(options);
  const model = tfl.model({ inputs: ids, outputs: embedded, name: 'embeddings' });
  try {
    setEmbeddings(model, options);
    const meta: EmbeddingsSourceMeta = { seed, embeddings: weights.stats };
    await saveModel(model, dir, meta, textInputFiles({ vocabulary, settings }));
    return meta;
  } finally {
    model.dispose();
  }
}

/** The model.json of a trial's source.embeddings model. */
export function embeddingsModelJson(e: ResolvedExperiment, seed: number, context: Pick<EmbeddingsSourceContext, 'cacheDir' | 'identity' | 'keys'>): string {
  return join(embeddingsSourceDir(e, seed, context), 'model.json');
}

/** The embeddings sources of these trials built so far, one per seed, as their meta.json records them (for the manifest). */
export function builtEmbeddingsSources(trials: readonly Trial[], context: Pick<EmbeddingsSourceContext, 'cacheDir' | 'identity' | 'keys'>): EmbeddingsSourceMeta[] {
  const dirs = new Set(trials.filter((t) => t.experiment.source.embeddings != null).map((t) => embeddingsSourceDir(t.experiment, t.seed, context)));
  return [...dirs].filter(hasModel).map((dir) => readMeta<EmbeddingsSourceMeta>(dir));
}
