import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileError } from '../errors.js';
import { writeFileAtomic } from '../results/atomic-write.js';

/** A model file that cannot be used: missing, not a LayersModel, weights that do not fit. */
export class ModelError extends FileError {
  override readonly name = 'ModelError';
}

interface LayerJson {
  class_name?: string;
  config?: { name?: string };
}

interface TopologyJson {
  class_name?: string;
  config?: { layers?: LayerJson[] };
  model_config?: { class_name?: string; config?: { layers?: LayerJson[] } };
}

interface ModelJson {
  format?: string;
  modelTopology?: TopologyJson;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** A model.json, checked to be a TensorFlow.js LayersModel; the weights are not read. */
export function readModelJson(modelJson: string): ModelJson & { modelTopology: TopologyJson } {
  if (!existsSync(modelJson)) throw new ModelError('E_MODEL_MISSING', modelJson, 'no such file', 'give the path of a TensorFlow.js model.json');
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(modelJson, 'utf8')) as ModelJson;
  } catch (e) {
    throw new ModelError('E_MODEL_FORMAT', modelJson, `not JSON: ${(e as Error).message}`);
  }
  const topology = json.modelTopology;
  const className = topology?.model_config?.class_name ?? topology?.class_name;
  if (json.format === 'graph-model' || topology == null || (className !== 'Sequential' && className !== 'Model' && className !== 'Functional')) {
    throw new ModelError('E_MODEL_FORMAT', modelJson, `not a TensorFlow.js LayersModel (format '${json.format ?? 'unknown'}')`,
      'tlx needs a layers model (tf.LayersModel.save, or tensorflowjs_converter --output_format tfjs_layers_model); graph models cannot be cut or fine-tuned');
  }
  return { ...json, modelTopology: topology };
}

/** The names of a model.json's layers, input layers excluded (as layerNames does for a model). */
export function modelJsonLayerNames(modelJson: string): string[] {
  const topology = readModelJson(modelJson).modelTopology;
  const layers = topology.model_config?.config?.layers ?? topology.config?.layers ?? [];
  return layers.filter((l) => l.class_name !== 'InputLayer').map((l) => l.config?.name ?? '');
}

const BYTES = { float32: 4, int32: 4, uint8: 1, bool: 1, float16: 2 } as Record<string, number>;

/**
 * A TensorFlow.js LayersModel directory (model.json and its weight shards) read
 * into memory, checked: the format, and that the shards hold exactly the bytes the
 * manifest describes. tfjs-node's file handlers are not used, so this works on the
 * wasm and cpu backends.
 */
export function readModelArtifacts(modelJson: string): tf.io.ModelArtifacts {
  const json = readModelJson(modelJson);
  const groups = json.weightsManifest ?? [];
  const specs = groups.flatMap((g) => g.weights);
  const shards = groups.flatMap((g) => g.paths).map((p) => {
    const file = join(dirname(modelJson), p);
    if (!existsSync(file)) throw new ModelError('E_MODEL_MISSING', file, 'weight shard listed in model.json is missing');
    return readFileSync(file);
  });
  const expected = specs.reduce((n, w) => n + (BYTES[w.dtype] ?? 4) * w.shape.reduce((a, b) => a * b, 1), 0);
  const actual = shards.reduce((n, b) => n + b.length, 0);
  if (actual !== expected) {
    throw new ModelError('E_MODEL_WEIGHTS', modelJson, `weight shards hold ${actual} bytes, the manifest describes ${expected}`,
      'a shard is truncated or from another model: download or export the model again');
  }
  const weights = new Uint8Array(actual);
  let at = 0;
  for (const b of shards) {
    weights.set(b, at);
    at += b.length;
  }
  return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: weights.buffer };
}

const loaded = new Map<string, tf.io.ModelArtifacts>();

/** A fresh model (its own weights) from a model.json; the files are read once per process. */
export async function loadModel(modelJson: string): Promise<tfl.LayersModel> {
  let artifacts = loaded.get(modelJson);
  if (!artifacts) {
    artifacts = readModelArtifacts(modelJson);
    loaded.set(modelJson, artifacts);
  }
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** Writes a model as model.json + weights.bin (and meta.json) into `dir`, atomically as a whole. */
export async function saveModel(model: tfl.LayersModel, dir: string, meta: unknown): Promise<void> {
  const temp = `${dir}.${process.pid}.tmp`;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
    writeFileAtomic(join(temp, 'weights.bin'), weights);
    writeFileAtomic(join(temp, 'model.json'), JSON.stringify({
      format: 'layers-model',
      generatedBy: 'tlx',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    writeFileAtomic(join(temp, 'meta.json'), JSON.stringify(meta, null, 2));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
}

export function hasModel(dir: string): boolean {
  return existsSync(join(dir, 'meta.json'));
}

export function readMeta<T>(dir: string): T {
  return JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as T;
}
