import * as tf from '@tensorflow/tfjs-core';
import { inferenceBatchSize } from '../engine/memory-budget.js';
import type * as tfc from '@tensorflow/tfjs-converter';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type GraphModelJson, isGraphModelJson, loadGraphModel, readGraphModelJson } from './graph-files.js';
import { type GraphNode, graphInputShape, graphNodes, resolveNode } from './graph-source.js';
import { loadModel, type ModelJson, readModelJson, readModelJsonFile } from './model-files.js';
import { layerNames, resolveCut, resolvedValue } from './surgery.js';
import { truncate } from './target-model.js';

// The one place that knows a source model comes in two kinds: a LayersModel (cut,
// frozen in part, fine-tuned) or a GraphModel (a frozen function: features at a
// node, only the head trained). Tasks ask for names, the input shape and a feature
// extractor; they branch on the kind only where training differs.

export type SourceModel =
  | { readonly kind: 'layers'; readonly model: tfl.LayersModel }
  | { readonly kind: 'graph'; readonly model: tfc.GraphModel; readonly file: string; readonly json: GraphModelJson; readonly nodes: readonly GraphNode[] };

export type SourceModelJson =
  | { readonly kind: 'layers'; readonly json: ModelJson }
  | { readonly kind: 'graph'; readonly json: GraphModelJson };

/** A source's model.json, checked as what its format says it is. */
export function readSourceModelJson(modelJson: string): SourceModelJson {
  return isGraphModelJson(readModelJsonFile(modelJson))
    ? { kind: 'graph', json: readGraphModelJson(modelJson) }
    : { kind: 'layers', json: readModelJson(modelJson) };
}

/** A source model with its weights (a fresh LayersModel each time; a graph model's files read once per process). */
export async function loadSourceModel(modelJson: string): Promise<SourceModel> {
  if (readSourceModelJson(modelJson).kind === 'layers') return { kind: 'layers', model: await loadModel(modelJson) };
  const { model, json } = await loadGraphModel(modelJson);
  return { kind: 'graph', model, file: modelJson, json, nodes: graphNodes(json) };
}

/** What source.cut can name: the layers (input layers excluded) or the graph's computation nodes, in order. */
export function cutNames(source: SourceModel): string[] {
  return source.kind === 'layers' ? layerNames(source.model) : source.nodes.map((n) => n.name);
}

/** The image shape [height, width, channels] the source takes (0 where it leaves a size open). */
export function sourceInputShape(source: SourceModel): [number, number, number] {
  if (source.kind === 'graph') return graphInputShape(source.json);
  const [, h, w, c] = source.model.inputs[0]!.shape;
  return [h ?? 0, w ?? 0, c ?? 0];
}

/** Input images to the source's activations at the cut: a constant function of the input. */
export interface FeatureExtractor {
  /** The layer or node the features are the output of. */
  readonly boundary: string;
  /** Images per forward when a whole set is extracted (a graph holds every activation of a batch at full resolution). */
  readonly batchSize: number;
  forward(images: tf.Tensor): tf.Tensor;
}

/** The source up to the cut (a name or an index into cutNames), as a function of the images. */
export function featureExtractor(source: SourceModel, cut: string | number): FeatureExtractor {
  const names = cutNames(source);
  const boundary = names[resolvedValue((source.kind === 'graph' ? resolveNode : resolveCut)(names, cut), 'source.cut')]!;
  if (source.kind === 'graph') return { boundary, batchSize: 16, forward: (x) => source.model.execute(x, boundary) as tf.Tensor };
  const prefix = truncate(source.model, boundary);
  return { boundary, batchSize: inferenceBatchSize(prefix, 256, tf.getBackend()), forward: (x) => prefix.predict(x) as tf.Tensor };
}

/** Frees the source's weights. */
export function disposeSource(source: SourceModel): void {
  source.model.dispose();
}

/**
 * The features a transfer-only probe reads: the extractor's, except that a text's
 * features at a sequence cut (a vector per word, [batch, words, width]) are
 * averaged over its words, padding (token 0) left out, so a probe sees one vector
 * per text, a bag of embeddings, whatever its length.
 */
export function probeFeatures(extractor: FeatureExtractor, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const y = extractor.forward(x);
    if (x.dtype !== 'int32' || y.rank !== 3) return y;
    const mask = tf.expandDims(tf.cast(tf.notEqual(x, 0), 'float32'), 2);
    return tf.div(tf.sum(tf.mul(y, mask), 1), tf.maximum(tf.sum(mask, 1), 1));
  });
}
