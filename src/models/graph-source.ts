import type { ResolvedExperiment } from '../config/resolved.js';
import { didYouMean } from '../config/suggest.js';
import { type GraphModelJson, inputNode, type TensorInfoJson } from './graph-files.js';
import type { Resolved } from './surgery.js';

// What tlx sees of a graph model: its computation nodes (what source.cut names),
// its image input, and the rules a frozen function imposes on a transfer.

/** A node a cut can name: an op of the graph (weights, Const nodes, are not). */
export interface GraphNode {
  readonly name: string;
  readonly op: string;
  /** The computation nodes it reads. */
  readonly inputs: readonly string[];
  /** Elements of the weights it reads. */
  readonly parameters: number;
}

/** The graph's computation nodes in an order where every node comes after its inputs (file order where it already is). */
export function graphNodes(json: GraphModelJson): GraphNode[] {
  const all = new Map(json.modelTopology.node.map((n) => [n.name, n]));
  const sizes = new Map(json.weightsManifest.flatMap((g) => g.weights).map((w) => [w.name, w.shape.reduce((a, b) => a * b, 1)]));
  const ordered: GraphNode[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: Set<string>) => {
    const node = all.get(name)!;
    if (placed.has(name) || node.op === 'Const' || path.has(name)) return;
    path.add(name);
    const reads = [...new Set((node.input ?? []).map(inputNode))];
    for (const input of reads) place(input, path);
    path.delete(name);
    placed.add(name);
    ordered.push({
      name, op: node.op,
      inputs: reads.filter((r) => all.get(r)!.op !== 'Const'),
      parameters: reads.reduce((n, r) => n + (all.get(r)!.op === 'Const' ? sizes.get(r) ?? 0 : 0), 0),
    });
  };
  for (const name of all.keys()) place(name, new Set());
  return ordered;
}

/**
 * Index of the node source.cut names: its index, its full name, or the end of its
 * name after a '/' when that ends one node only (TensorFlow names are scopes:
 * `feature_vector/SpatialSqueeze` for `…/predict/feature_vector/SpatialSqueeze`).
 */
export function resolveNode(names: readonly string[], cut: string | number): Resolved<number> {
  const see = 'tlx inspect MODEL lists the nodes with their output shapes';
  if (typeof cut === 'number') {
    return cut < names.length
      ? { ok: true, value: cut }
      : { ok: false, problem: { message: `node index ${cut} is out of range; the graph has ${names.length} nodes (0-${names.length - 1})`, hint: see } };
  }
  const exact = names.indexOf(cut);
  if (exact >= 0) return { ok: true, value: exact };
  const ending = names.flatMap((n, i) => (n.endsWith(`/${cut}`) ? [i] : []));
  if (ending.length === 1) return { ok: true, value: ending[0]! };
  if (ending.length > 1) {
    const some = ending.slice(0, 3).map((i) => `'${names[i]!}'`).join(', ');
    return { ok: false, problem: { message: `'${cut}' ends ${ending.length} node names: ${some}${ending.length > 3 ? ', …' : ''}`, hint: 'give more of the name, or its index' } };
  }
  const tails = new Set(names.flatMap((n) => n.split('/').map((_, i, parts) => parts.slice(i).join('/'))));
  return { ok: false, problem: { message: `unknown node '${cut}'; expected a node of the graph model (its name, the end of it after a '/', or its index)`, hint: didYouMean(cut, tails) ?? see } };
}

/** The computation nodes a node's output depends on, itself included, in graph order: what a cut there keeps frozen. */
export function nodesUpTo(nodes: readonly GraphNode[], cut: string): string[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const input of byName.get(name)?.inputs ?? []) visit(input);
  };
  visit(cut);
  return nodes.filter((n) => needed.has(n.name)).map((n) => n.name);
}

/** The image input's shape [height, width, channels] (0 where the graph leaves it open), from its Placeholder. */
export function graphInputShape(json: GraphModelJson): [number, number, number] {
  const input = json.modelTopology.node.find((n) => n.op === 'Placeholder');
  const dims = (input?.attr?.shape as { shape?: TensorInfoJson['tensorShape'] } | undefined)?.shape?.dim ?? [];
  const size = (i: number) => Math.max(Number(dims[i]?.size ?? -1), 0);
  return [size(1), size(2), size(3)];
}

/** The outputs the model's signature declares (newer converters write it at the top, older ones in userDefinedMetadata), with their shapes. */
export function signatureOutputs(json: GraphModelJson): { name: string; shape: (number | null)[] }[] {
  const outputs = json.signature?.outputs ?? json.userDefinedMetadata?.signature?.outputs ?? {};
  return Object.entries(outputs).map(([key, info]) => ({
    name: info.name ?? key,
    shape: (info.tensorShape?.dim ?? []).map((d) => (Number(d.size) < 0 ? null : Number(d.size))),
  }));
}

/** A transfer a graph-model source cannot do, with where it is set in the file. */
export interface GraphTransferProblem {
  readonly path: readonly string[];
  readonly message: string;
  readonly hint: string;
}

/**
 * A graph model is a frozen function: no layer of it can be trained, so the whole
 * source is frozen and only the head is trained (on features computed once).
 */
export function graphTransferProblem(transfer: ResolvedExperiment['transfer']): GraphTransferProblem | undefined {
  const hint = 'give a TensorFlow.js LayersModel (tensorflowjs_converter --output_format tfjs_layers_model) to train its layers';
  if (transfer.freeze !== 'all') {
    return { path: ['transfer', 'freeze'], message: `source.model is a graph model, whose weights are constants of a frozen function: freeze must be 'all' (got ${JSON.stringify(transfer.freeze)})`,
      hint: `set transfer.freeze: all (only the head is trained), or ${hint}` };
  }
  if (transfer.fineTune != null) {
    return { path: ['transfer', 'fineTune'], message: 'source.model is a graph model, whose weights are constants of a frozen function: it cannot be fine-tuned',
      hint: `remove transfer.fineTune, or ${hint}` };
  }
  const perLayer = (['discriminative', 'l2sp'] as const).find((key) => transfer[key] != null);
  if (perLayer) {
    return { path: ['transfer', perLayer], message: `source.model is a graph model, whose weights are constants of a frozen function: transfer.${perLayer} has no transferred layer to act on`,
      hint: `remove transfer.${perLayer}, or ${hint}` };
  }
  return undefined;
}
