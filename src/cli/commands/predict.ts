import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseBackend, initBackend } from '../../engine/init-backend.js';
import { UsageError } from '../../errors.js';
import { predictImages } from '../../models/predict-images.js';
import type { CommandContext } from '../context.js';
import { positiveInt } from '../parse-values.js';

export const PREDICT_HELP = `Usage: tlx predict MODEL_DIR IMAGE... [--top K]

Classifies images with a model exported by tlx run (a folder with model.json,
labels.json and preprocessing.json) and prints the top K classes (default 3) with
their probabilities.
`;

export async function predictCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { top: { type: 'string', default: '3' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    ctx.out(PREDICT_HELP);
    return 0;
  }
  const [dir, ...images] = positionals;
  if (dir == null || images.length === 0) throw new UsageError('E_USAGE', 'expected a model folder and at least one image', 'tlx predict results/<name>/<run>/models/<trial> photo.jpg');
  await initBackend(chooseBackend({ env: ctx.env.TLX_BACKEND }));
  const predictions = await predictImages(resolve(ctx.cwd, dir), images.map((f) => resolve(ctx.cwd, f)), positiveInt('--top', values.top));
  for (const [i, p] of predictions.entries()) {
    ctx.out(`${images[i]}: ${p.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)}%`).join(', ')}\n`);
  }
  return 0;
}
