import type { ResolvedExperiment } from '../config/resolved.js';
import { dataModality } from '../data/datasets.js';
import type { InMemory } from '../data/examples.js';
import { type DataContext, loadData, splitTexts } from '../data/load-data.js';
import type { PreparedData } from '../data/split.js';
import { textSettings } from '../data/text/text-input.js';
import { buildVocabulary } from '../data/text/tokenizer.js';
import { InternalError } from '../errors.js';
import type { EmbeddingTable } from '../models/architectures/index.js';
import { embeddingWeights, type EmbeddingsStats } from '../models/embedding-weights.js';
import { textInputFiles } from '../models/text-input-file.js';
import { deriveSeed } from '../random.js';

/** What a pretrain task trains on, and what its architecture and saved folder need beyond the data. */
export interface PretrainData {
  readonly data: PreparedData<InMemory>;
  /** Text architectures: the vocabulary size, embedding width and initial vectors. */
  readonly text?: EmbeddingTable;
  /** Files saved beside the model (a text model's vocabulary). */
  readonly files: Readonly<Record<string, string>>;
  readonly embeddings?: EmbeddingsStats;
}

/**
 * The source task's data: images as they are; texts tokenized with a vocabulary
 * built from its own training split (saved with the model, so target texts are
 * read with it), the embedding layer started from word vectors when asked.
 */
export async function pretrainData(experiment: ResolvedExperiment, context: DataContext, cacheDir: string): Promise<PretrainData> {
  const spec = experiment.source.pretrain;
  if (spec == null) throw new InternalError('pretrain data for a source without a pretrain block');
  if (dataModality(spec.data) === 'image') return { data: await loadData(spec.data, experiment.seed, context), files: {} };
  const settings = textSettings(experiment);
  const vocabulary = buildVocabulary((await splitTexts(spec.data, experiment.seed, context)).train.texts, settings);
  const input = { vocabulary, settings };
  const data = await loadData(spec.data, experiment.seed, context, input);
  const weights = spec.embeddings
    ? await embeddingWeights(spec.embeddings, vocabulary, deriveSeed(experiment.seed, 'embeddings'), { ...context, cacheDir })
    : undefined;
  return {
    data,
    text: { vocabulary: vocabulary.words.length, dim: weights?.dim ?? spec.dim ?? 100, ...(weights ? { embeddings: weights.values } : {}) },
    files: textInputFiles(input),
    ...(weights ? { embeddings: weights.stats } : {}),
  };
}
