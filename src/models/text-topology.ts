import { EMBEDDING_LAYER } from './architectures/index.js';
import { InternalError } from '../errors.js';

interface LayerJson { class_name?: string; config?: { name?: string; input_dim?: number } }

/**
 * A copy of a text model's topology (LayersModel.toJSON) whose embedding layer
 * (named `embedding`, as every text source's is) has `size` rows: the same
 * architecture for another vocabulary.
 */
export function withVocabularySize<T extends object>(topology: T, size: number): T {
  const copy = structuredClone(topology) as T & { config?: { layers?: LayerJson[] } };
  const layer = copy.config?.layers?.find((l) => l.class_name === 'Embedding' && l.config?.name === EMBEDDING_LAYER);
  if (layer?.config == null) throw new InternalError(`a text model without an Embedding layer named '${EMBEDDING_LAYER}'`);
  layer.config.input_dim = size;
  return copy;
}
