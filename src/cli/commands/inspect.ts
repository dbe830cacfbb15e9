import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type * as tfl from '@tensorflow/tfjs-layers';
import { chooseBackend, initBackend } from '../../engine/init-backend.js';
import { UsageError } from '../../errors.js';
import { ARCHITECTURES, type ArchitectureName } from '../../models/architectures/index.js';
import { loadModel } from '../../models/model-files.js';
import { fetchModel } from '../../models/model-url.js';
import { isUrl } from '../../models/source-location.js';
import type { CommandContext } from '../context.js';
import { formatTable } from '../format-table.js';

export const INSPECT_HELP = `Usage: tlx inspect MODEL

Prints the layers of a model (index, name, type, output shape, parameters,
trainable), to choose source.cut and transfer.freeze. MODEL is a TensorFlow.js
model.json (path or https URL, downloaded once into the cache) or a built-in
architecture (${Object.keys(ARCHITECTURES).join(', ')}).
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
  const model = await open(target, ctx);
  const rows = model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((layer, index) => [
    String(index), layer.name, layer.getClassName(), JSON.stringify(layer.outputShape).replaceAll('null', 'N'),
    String(layer.countParams()), layer.trainable ? 'yes' : 'no',
  ]);
  ctx.out(`${formatTable(['index', 'name', 'type', 'output shape', 'parameters', 'trainable'], rows)}\n`);
  ctx.out(`${rows.length} layers, ${model.countParams()} parameters; input ${JSON.stringify(model.inputs[0]?.shape).replaceAll('null', 'N')}\n`);
  model.dispose();
  return 0;
}

async function open(target: string, ctx: CommandContext): Promise<tfl.LayersModel> {
  if (target in ARCHITECTURES) return ARCHITECTURES[target as ArchitectureName]({ inputShape: [28, 28, 1], classes: 10 });
  const file = isUrl(target) ? await fetchModel(target, { env: ctx.env, maxBytes: 2 ** 30 }) : resolve(ctx.cwd, target);
  return loadModel(file);
}
