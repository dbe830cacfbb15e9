import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../results/atomic-write.js';
import { ModelError } from './model-error.js';
import { type LayerJson, topologyProblem } from './topology-checks.js';
import { manifestProblem, nonFiniteWeight, type WeightGroup, weightBytes } from './weight-checks.js';

export { ModelError } from './model-error.js';

interface TopologyJson extends LayerJson {
  model_config?: LayerJson;
}

export interface ModelJson {
  format?: string;
  modelTopology?: TopologyJson;
  weightsManifest?: WeightGroup[];
}

/**
 * The most a model.json may hold. It holds the topology and the weight manifest,
 * not the weights: the largest published ones are a few MiB.
 */
export const MAX_MODEL_JSON_BYTES = 32 * 2 ** 20;

/**
 * A model.json, checked to be a TensorFlow.js LayersModel that TensorFlow.js can
 * build (layer classes, names, input shape) and whose weight paths stay in its
 * folder; the weights are not read.
 */
export function readModelJson(modelJson: string): ModelJson & { modelTopology: TopologyJson } {
  const json = readModelJsonFile(modelJson);
  const topology = json.modelTopology;
  const model = topology?.model_config ?? topology;
  const className = model?.class_name;
  if (json.format === 'graph-model' || topology == null || (className !== 'Sequential' && className !== 'Model' && className !== 'Functional')) {
    throw new ModelError('E_MODEL_FORMAT', modelJson, `not a TensorFlow.js LayersModel (format '${typeof json.format === 'string' ? json.format : 'unknown'}')`,
      'tlx needs a layers model (tf.LayersModel.save, or tensorflowjs_converter --output_format tfjs_layers_model); graph models cannot be cut or fine-tuned');
  }
  const problem = manifestProblem(json.weightsManifest) ?? topologyProblem(model!);
  if (problem) throw new ModelError(problem.code, modelJson, problem.message, problem.hint);
  return { ...json, modelTopology: topology };
}

/** A model.json of any format, read as a JSON object: there, not too large, JSON. */
export function readModelJsonFile(modelJson: string): ModelJson {
  if (!existsSync(modelJson)) throw new ModelError('E_MODEL_MISSING', modelJson, 'no such file', 'give the path of a TensorFlow.js model.json');
  const size = statSync(modelJson).size;
  if (size > MAX_MODEL_JSON_BYTES) {
    throw new ModelError('E_MODEL_TOO_LARGE', modelJson, `is ${mib(size)}; a model.json is at most ${mib(MAX_MODEL_JSON_BYTES)} (it lists the weights, it does not hold them)`,
      'give the model.json of a TensorFlow.js LayersModel (tf.LayersModel.save, or tensorflowjs_converter --output_format tfjs_layers_model)');
  }
  return parseJson(modelJson);
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The parsed file; never quotes its content when it is not JSON (it may be anything). */
function parseJson(modelJson: string): ModelJson {
  const text = readFileSync(modelJson, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // Only where: the message V8 writes quotes the text around the error.
    const position = /at position (\d+)/.exec((e as Error).message)?.[1];
    const before = position == null ? undefined : text.slice(0, Number(position)).split('\n');
    const at = before ? ` (syntax error at line ${before.length}, column ${before.at(-1)!.length + 1})` : '';
    throw new ModelError('E_MODEL_FORMAT', modelJson, `not JSON${at}`, 'give the model.json of a TensorFlow.js LayersModel');
  }
  if (json == null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ModelError('E_MODEL_FORMAT', modelJson, 'not a TensorFlow.js LayersModel (expected a JSON object)');
  }
  return json as ModelJson;
}

/** The names of a model.json's layers, input layers excluded (as layerNames does for a model). */
export function modelJsonLayerNames(modelJson: string): string[] {
  const topology = readModelJson(modelJson).modelTopology;
  const layers = (topology.model_config?.config?.layers ?? topology.config?.layers ?? []) as LayerJson[];
  return layers.filter((l) => l.class_name !== 'InputLayer').map((l) => String(l.config?.name ?? ''));
}

/**
 * A TensorFlow.js LayersModel directory (model.json and its weight shards) read
 * into memory, checked: the format, shards inside the model's folder (symbolic
 * links resolved), exactly the bytes the manifest describes, and finite weights.
 * tfjs-node's file handlers are not used, so this works on the wasm and cpu backends.
 */
export function readModelArtifacts(modelJson: string): tf.io.ModelArtifacts {
  const json = readModelJson(modelJson);
  const { weightSpecs, weightData } = readWeights(modelJson, json.weightsManifest ?? []);
  return { modelTopology: json.modelTopology, weightSpecs, weightData };
}

/**
 * The weights a checked manifest lists (layers and graph models alike), read
 * through readShard: exactly the bytes the manifest describes, all finite.
 */
export function readWeights(modelJson: string, groups: readonly WeightGroup[]): Required<Pick<tf.io.ModelArtifacts, 'weightSpecs' | 'weightData'>> {
  const specs = groups.flatMap((g) => g.weights);
  const shards = groups.flatMap((g) => g.paths).map((p) => readShard(modelJson, p));
  const expected = specs.reduce((n, w) => n + weightBytes(w), 0);
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
  const nonFinite = nonFiniteWeight(specs, weights);
  if (nonFinite) {
    throw new ModelError('E_MODEL_NAN', modelJson, nonFinite,
      'a model with NaN or infinite weights cannot be trained or evaluated: export it again from a checkpoint before it diverged (a quantized model: convert it again from the float one)');
  }
  return { weightSpecs: specs, weightData: weights.buffer };
}

/** One weight shard, which must be a file inside the model's folder once links are resolved. */
export function readShard(modelJson: string, path: string): Buffer {
  const folder = dirname(modelJson);
  const file = join(folder, path);
  if (!existsSync(file)) throw new ModelError('E_MODEL_MISSING', file, 'weight shard listed in model.json is missing');
  const inside = relative(realpathSync(folder), realpathSync(file));
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new ModelError('E_MODEL_PATH', modelJson, `weight path '${path}' leads outside the model's folder (through a symbolic link)`,
      'copy the weight files into the folder of model.json');
  }
  if (!statSync(file).isFile()) throw new ModelError('E_MODEL_MISSING', file, 'weight shard listed in model.json is not a file');
  return readFileSync(file);
}

const loaded = new Map<string, tf.io.ModelArtifacts>();

/** A fresh model (its own weights) from a model.json; the files are read once per process. */
export async function loadModel(modelJson: string): Promise<tfl.LayersModel> {
  let artifacts = loaded.get(modelJson);
  if (!artifacts) {
    artifacts = readModelArtifacts(modelJson);
    loaded.set(modelJson, artifacts);
  }
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    // The backend itself failed (out of memory): not the model's fault.
    if (e instanceof WebAssembly.RuntimeError) throw e;
    // What the checks above do not foresee (a layer's config TensorFlow.js rejects).
    throw new ModelError('E_MODEL_LOAD', modelJson, `TensorFlow.js cannot build this model: ${(e as Error).message.split('\n')[0]}`,
      'check that the model was saved by TensorFlow.js or converted by tensorflowjs_converter as a layers model');
  }
}

/** Writes a model as model.json + weights.bin (and meta.json, and `files` beside them) into `dir`, atomically as a whole. */
export async function saveModel(model: tfl.LayersModel, dir: string, meta: unknown, files: Readonly<Record<string, string>> = {}): Promise<void> {
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
    for (const [name, text] of Object.entries(files)) writeFileAtomic(join(temp, name), text);
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
