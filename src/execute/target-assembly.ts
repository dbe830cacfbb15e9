import * as tfl from '@tensorflow/tfjs-layers';
import type { ResolvedExperiment } from '../config/resolved.js';
import { graphTransferProblem } from '../models/graph-source.js';
import { featureExtractor, type FeatureExtractor, type SourceModel } from '../models/source-model.js';
import { layerNames, resolveCut, resolvedValue, resolveFreeze, SurgeryError } from '../models/surgery.js';
import { buildHeadModel, buildTargetModel } from '../models/target-model.js';
import { withVocabularySize } from '../models/text-topology.js';
import { extractedFeatureView, type FeatureCacheOptions, type TrainingView } from '../train/frozen-features.js';
import type { TargetExamples } from '../train/inputs.js';

/** A target model and what it was made of. */
export interface AssembledTarget {
  readonly model: tfl.LayersModel;
  /** The source's layers up to and including the cut: the transferred ones. */
  readonly prefix: readonly string[];
  readonly frozen: string[];
}

/**
 * The model a scratch or finetune task trains from a LayersModel source. Scratch:
 * the target architecture (source layers up to the cut, head, output) with fresh
 * weights, all trainable. Finetune: the pretrained source's weights, the freeze
 * rule applied. tlx lr-find sweeps the same model a fine-tune trains.
 * `vocabularySize`: a text scratch baseline's own vocabulary (run-task.ts targetText).
 */
export async function assembleTarget(
  pretrained: tfl.LayersModel, experiment: ResolvedExperiment, classes: number, kind: 'scratch' | 'finetune', vocabularySize?: number,
): Promise<AssembledTarget> {
  // The same topology re-created draws fresh initial weights (seeded via Math.random);
  // a text model's embedding layer sized to the scratch baseline's own vocabulary.
  const topology = pretrained.toJSON(null, false) as Parameters<typeof tfl.models.modelFromJSON>[0];
  const source = kind === 'finetune' ? pretrained
    : await tfl.models.modelFromJSON((vocabularySize != null ? withVocabularySize(topology, vocabularySize) : topology) as typeof topology);
  const layers = layerNames(source);
  const cut = layers[resolvedValue(resolveCut(layers, experiment.source.cut), 'source.cut')]!;
  const prefix = layers.slice(0, layers.indexOf(cut) + 1);
  const frozen = kind === 'finetune' ? resolvedValue(resolveFreeze(prefix, layers, experiment.transfer.freeze), 'transfer.freeze') : [];
  return { model: buildTargetModel(source, { cut, frozen, head: experiment.transfer.head, classes }), prefix, frozen };
}

/**
 * What a graph-model source trains: the head alone, on the source's features at
 * the cut (computed once where they can be). The transfer block is refused first
 * where it asks for what a frozen function cannot give (graphTransferProblem).
 */
export async function graphHeadView(
  source: Extract<SourceModel, { kind: 'graph' }>, experiment: ResolvedExperiment, classes: number, examples: TargetExamples, options: FeatureCacheOptions,
): Promise<{ readonly view: TrainingView; readonly extractor: FeatureExtractor }> {
  const refused = graphTransferProblem(experiment.transfer);
  if (refused) throw new SurgeryError('E_GRAPH_TRANSFER', `${refused.path.join('.')}: ${refused.message}`, refused.hint);
  const extractor = featureExtractor(source, experiment.source.cut);
  const view = await extractedFeatureView(extractor, (shape) => buildHeadModel(shape, { head: experiment.transfer.head, classes }), examples, options);
  return { view, extractor };
}
