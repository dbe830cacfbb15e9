import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseBackend, initBackend } from '../../engine/init-backend.js';
import { UsageError } from '../../errors.js';
import { predictImages } from '../../models/predict-images.js';
import { isTextModel, predictTexts } from '../../models/predict-texts.js';
import type { CommandContext } from '../context.js';
import { positiveInt } from '../parse-values.js';

export const PREDICT_HELP = `Usage: tlx predict MODEL_DIR IMAGE... [--top K]
       tlx predict MODEL_DIR TEXT... [--top K]

Classifies images, or texts, with a model exported by tlx run (a folder with
model.json, labels.json and preprocessing.json; a text model also has its
vocabulary.json) and prints the top K classes (default 3) with their
probabilities. A text model takes each argument as one text: quote it.
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
  const [dir, ...inputs] = positionals;
  if (dir == null || inputs.length === 0) {
    throw new UsageError('E_USAGE', 'expected a model folder and at least one image (or text)', 'tlx predict results/<name>/<run>/models/<trial> photo.jpg');
  }
  const top = positiveInt('--top', values.top);
  const modelDir = resolve(ctx.cwd, dir);
  await initBackend(chooseBackend({ env: ctx.env.TLX_BACKEND }));
  const predictions = isTextModel(modelDir)
    ? await predictTexts(modelDir, inputs, top)
    : await predictImages(modelDir, inputs.map((f) => resolve(ctx.cwd, f)), top);
  for (const [i, p] of predictions.entries()) {
    const shown = 'text' in p ? JSON.stringify(inputs[i]) : inputs[i];
    ctx.out(`${shown}: ${p.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)}%`).join(', ')}\n`);
  }
  return 0;
}
