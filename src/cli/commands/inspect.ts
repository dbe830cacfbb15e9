import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseBackend, initBackend } from '../../engine/init-backend.js';
import { UsageError } from '../../errors.js';
import { ARCHITECTURES, type ArchitectureName, sampleOptions } from '../../models/architectures/index.js';
import { graphNodeShapes } from '../../models/graph-files.js';
import { signatureOutputs } from '../../models/graph-source.js';
import { fetchModel } from '../../models/model-url.js';
import { isUrl } from '../../models/source-location.js';
import { disposeSource, loadSourceModel, type SourceModel, sourceInputShape } from '../../models/source-model.js';
import type { CommandContext } from '../context.js';
import { formatTable } from '../format-table.js';

export const INSPECT_HELP = `Usage: tlx inspect MODEL

Prints the layers of a model (index, name, type, output shape, parameters,
trainable), to choose source.cut and transfer.freeze; of a graph model, its nodes
(index, name, op, output shape for one image, parameters) and signature outputs.
MODEL is a TensorFlow.js model.json (path or https URL, downloaded once into the
cache) or a built-in architecture (${Object.keys(ARCHITECTURES).join(', ')}):
image ones for 28x28x1 inputs, text ones for 50 tokens, a 20,000-word vocabulary
and 100-d vectors (a run sizes them to its data and vocabulary).
`;

export async function inspectCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    ctx.out(INSPECT_HELP);
    return 0;
  }
  const [target] = positionals;
  if (target == null) throw new UsageError('E_USAGE', 'missing the model to inspect', 'tlx inspect path/to/model.json');
  await initBackend(chooseBackend({ env: ctx.env.TLX_BACKEND }));
  const source = await open(target, ctx);
  if (source.kind === 'graph') {
    ctx.out(graphTable(source));
    disposeSource(source);
    return 0;
  }
  const model = source.model;
  const rows = model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((layer, index) => [
    String(index), layer.name, layer.getClassName(), JSON.stringify(layer.outputShape).replaceAll('null', 'N'),
    String(layer.countParams()), layer.trainable ? 'yes' : 'no',
  ]);
  ctx.out(`${formatTable(['index', 'name', 'type', 'output shape', 'parameters', 'trainable'], rows)}\n`);
  ctx.out(`${rows.length} layers, ${model.countParams()} parameters; input ${JSON.stringify(model.inputs[0]?.shape).replaceAll('null', 'N')}\n`);
  model.dispose();
  return 0;
}

/** A text architecture is shown at the sizes of a sentence task: Kim's 50 tokens, a 20,000-word vocabulary, 100-d vectors. */
const INSPECTED_TEXT = { maxLength: 50, vocabulary: 20_000, dim: 100 };

async function open(target: string, ctx: CommandContext): Promise<SourceModel> {
  if (Object.hasOwn(ARCHITECTURES, target)) {
    const name = target as ArchitectureName;
    return { kind: 'layers', model: ARCHITECTURES[name](sampleOptions(name, [28, 28, 1], 10, INSPECTED_TEXT)) };
  }
  const file = isUrl(target) ? await fetchModel(target, { env: ctx.env, maxBytes: 2 ** 30 }) : resolve(ctx.cwd, target);
  return loadSourceModel(file);
}

const showShape = (shape: readonly (number | null)[] | undefined) => (shape ? JSON.stringify(shape).replaceAll('null', 'N') : '?');

/** A graph model's computation nodes (what source.cut names), their output shapes for one image, and its signature outputs. */
function graphTable(source: Extract<SourceModel, { kind: 'graph' }>): string {
  const shapes = graphNodeShapes(source.file, source, sourceInputShape(source));
  const rows = source.nodes.map((node, index) => [String(index), node.name, node.op, showShape(shapes.get(node.name)), String(node.parameters)]);
  const parameters = source.nodes.reduce((n, node) => n + node.parameters, 0);
  const outputs = signatureOutputs(source.json).map((o) => `${o.name} ${showShape(o.shape)}`).join(', ') || 'none declared';
  return `${formatTable(['index', 'name', 'op', 'output shape', 'parameters'], rows)}\n` +
    `${rows.length} nodes, ${parameters} parameters, all frozen (a graph model: source.cut names a node, transfer.freeze must be all); ` +
    `input ${showShape([null, ...sourceInputShape(source).map((d) => d || null)])}; signature outputs: ${outputs}\n`;
}

