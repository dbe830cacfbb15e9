import * as tf from '@tensorflow/tfjs-core';
import * as tfc from '@tensorflow/tfjs-converter';
import { ModelError } from './model-error.js';
import { type ModelJson, readModelJsonFile, readWeights } from './model-files.js';
import type { ModelProblem } from './topology-checks.js';
import { manifestProblem, type WeightGroup } from './weight-checks.js';

// A TensorFlow.js GraphModel (tensorflowjs_converter --output_format tfjs_graph_model)
// is a frozen function: nodes of TensorFlow ops and constant weights, no layers. tlx
// uses one as a feature extractor (source.cut names a node). Its model.json is
// untrusted input like a layers model's: checked before TensorFlow.js sees it, and
// its weights read through the same confined reader (model-files.ts readWeights).

export interface GraphNodeJson {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
  readonly attr?: Readonly<Record<string, unknown>>;
}

interface SignatureJson {
  readonly inputs?: Readonly<Record<string, TensorInfoJson>>;
  readonly outputs?: Readonly<Record<string, TensorInfoJson>>;
}

export interface TensorInfoJson {
  readonly name?: string;
  readonly tensorShape?: { readonly dim?: readonly { readonly size?: string | number }[] };
}

export interface GraphModelJson {
  readonly format: 'graph-model';
  readonly modelTopology: { readonly node: readonly GraphNodeJson[]; readonly [key: string]: unknown };
  readonly weightsManifest: readonly WeightGroup[];
  readonly signature?: SignatureJson;
  readonly userDefinedMetadata?: { readonly signature?: SignatureJson; readonly [key: string]: unknown };
}

/** Whether a parsed model.json says it is a graph model. */
export const isGraphModelJson = (json: ModelJson | { format?: unknown }): boolean => json.format === 'graph-model';

/** Nodes a graph model may have: the largest published vision models have a few thousand. */
export const MAX_GRAPH_NODES = 100_000;

/**
 * A graph model's model.json, checked: the format, nodes that name existing nodes
 * as inputs, one image input, and weight paths inside the model's folder; the
 * weights are not read.
 */
export function readGraphModelJson(modelJson: string): GraphModelJson {
  const json = readModelJsonFile(modelJson) as Partial<GraphModelJson>;
  if (!isGraphModelJson(json)) {
    throw new ModelError('E_MODEL_FORMAT', modelJson, `not a TensorFlow.js GraphModel (format '${typeof json.format === 'string' ? json.format : 'unknown'}')`);
  }
  const problem = manifestProblem(json.weightsManifest) ?? graphProblem(json.modelTopology);
  if (problem) throw new ModelError(problem.code, modelJson, problem.message, problem.hint);
  return { ...json, weightsManifest: json.weightsManifest ?? [] } as GraphModelJson;
}

/** A node's input as a node name: `^name` (a control input) and `name:1` (its second output) both name `name`. */
export const inputNode = (input: string): string => input.replace(/^\^/, '').replace(/:\d+$/, '');

function graphProblem(topology: unknown): ModelProblem | undefined {
  const format = (message: string): ModelProblem => ({ code: 'E_MODEL_FORMAT', message: `modelTopology: ${message}` });
  const nodes = (topology as { node?: unknown } | undefined)?.node;
  if (!Array.isArray(nodes)) return format('expected the graph\'s nodes in modelTopology.node');
  if (nodes.length > MAX_GRAPH_NODES) return format(`${nodes.length} nodes; a graph model has at most ${MAX_GRAPH_NODES}`);
  const names = new Set<string>();
  for (const [i, node] of (nodes as Partial<GraphNodeJson>[]).entries()) {
    const ok = typeof node?.name === 'string' && node.name !== '' && typeof node.op === 'string' &&
      (node.input == null || (Array.isArray(node.input) && node.input.every((s) => typeof s === 'string')));
    if (!ok) return format(`node ${i} is not { name, op, input: [names] }`);
    if (names.has(node.name!)) return { code: 'E_MODEL_LAYER', message: `two nodes are named '${node.name!}'` };
    names.add(node.name!);
  }
  for (const node of nodes as GraphNodeJson[]) {
    const missing = (node.input ?? []).find((s) => !names.has(inputNode(s)));
    if (missing != null) return { code: 'E_MODEL_LAYER', message: `node '${node.name}' takes input '${missing}', which is no node of the graph` };
  }
  const inputs = (nodes as GraphNodeJson[]).filter((n) => n.op === 'Placeholder');
  if (inputs.length !== 1) {
    return { code: 'E_MODEL_INPUT', message: `the graph has ${inputs.length} inputs (Placeholder nodes); tlx feeds a graph model one batch of images`,
      hint: 'export the model with a single image input' };
  }
  return undefined;
}

function artifactsOf(json: GraphModelJson): tf.io.ModelArtifacts {
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    format: json.format,
    ...(json.signature ? { signature: json.signature as object } : {}),
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata as Record<string, object> } : {}),
  };
}

const loaded = new Map<string, tf.io.ModelArtifacts>();

/**
 * A graph model from a model.json, its weights read and checked like a layers
 * model's (confined, exact size, finite; quantized weights dequantized by
 * TensorFlow.js); the files are read once per process.
 */
export async function loadGraphModel(modelJson: string): Promise<{ model: tfc.GraphModel; json: GraphModelJson }> {
  const json = readGraphModelJson(modelJson);
  let artifacts = loaded.get(modelJson);
  if (!artifacts) {
    artifacts = { ...artifactsOf(json), ...readWeights(modelJson, json.weightsManifest) };
    loaded.set(modelJson, artifacts);
  }
  try {
    return { model: await tfc.loadGraphModel(tf.io.fromMemory(artifacts)), json };
  } catch (e) {
    throw new ModelError('E_MODEL_LOAD', modelJson, `TensorFlow.js cannot build this graph model: ${(e as Error).message.split('\n')[0]}`,
      'check that the model was converted by tensorflowjs_converter (--output_format tfjs_graph_model)');
  }
}

/**
 * The output shape of every computation node for one image (batch dimension
 * null), found by running the graph once on zeros: what inspect shows, and how a
 * run finds, before anything is written, an op TensorFlow.js does not have (it
 * only says so when the op runs). Empty where the graph leaves its input size open.
 */
export function graphNodeShapes(
  modelJson: string, source: { readonly model: tfc.GraphModel; readonly nodes: readonly { name: string }[] }, inputShape: readonly number[],
): Map<string, (number | null)[]> {
  const shapes = new Map<string, (number | null)[]>();
  if (inputShape.some((d) => !(d > 0))) return shapes;
  const names = source.nodes.map((n) => n.name);
  try {
    tf.tidy(() => {
      const outputs = source.model.execute(tf.zeros([1, ...inputShape]), names) as tf.Tensor[];
      outputs.forEach((t, i) => shapes.set(names[i]!, [null, ...t.shape.slice(1)]));
    });
  } catch (e) {
    // TensorFlow.js's own first sentence ("Unknown op 'X'."), not its request to file an issue.
    const why = (e as Error).message.split('\n')[0]!.replace(/\. File an issue .*$/, '.');
    throw new ModelError('E_MODEL_LAYER', modelJson, `TensorFlow.js cannot run this graph: ${why}`,
      'convert the model with ops TensorFlow.js supports (tensorflowjs_converter lists the ones it cannot convert)');
  }
  return shapes;
}
