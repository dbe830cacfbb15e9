import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeOptimizer } from '../../config/optimizer-settings.js';
import { chooseBackend, initBackend } from '../../engine/init-backend.js';
import { UsageError } from '../../errors.js';
import { lrFind, type LrFindOutcome } from '../../execute/lr-find.js';
import { lrFindSpec } from '../../report/charts/lr-find.js';
import { renderSvg } from '../../report/render-svg.js';
import { writeFileAtomic } from '../../results/atomic-write.js';
import { folderProblem } from '../../results/writable-folder.js';
import { type CommandContext, DEFAULT_CACHE_DIR } from '../context.js';
import { EXPERIMENT_OPTIONS, EXPERIMENT_OPTIONS_HELP, loadExperimentArg } from '../experiment-arg.js';
import { positiveInt, positiveNumber } from '../parse-values.js';
import { textChart } from '../text-chart.js';

export const LR_FIND_HELP = `Usage: tlx lr-find FILE [options]

The learning-rate range test (Smith 2017, as fastai runs it) on the experiment's
first trial: its target training data and the model its fine-tune trains (source,
freeze rule, head, transfer.discriminative and transfer.l2sp as configured), with
train.optimizer and train.batchSize. One step per batch at a learning rate growing
exponentially from --min to --max; stops once the smoothed loss (a running mean
over about a tenth of the sweep) passes 4x its best. Suggests where the smoothed
loss falls fastest (steepest descent against log learning rate, before its
minimum) and prints the minimum's learning rate / 10 beside it; when the loss
never falls, the latter is the suggestion.

Options:
  --steps N           steps of the sweep (default 100, at least 5)
  --min LR            the first learning rate (default 1e-7)
  --max LR            the last learning rate (default 10)
  --out DIR           where lr-find.json and lr-find.svg are written (default results/<name>/lr-find)
  --backend NAME      auto | tensorflow | webgpu | wasm | cpu (default: $TLX_BACKEND, run.backend, auto)
  --cache DIR         cached pretrained sources (default .tlx-cache): a pretrain block is trained once, as tlx run does
  --no-cache          recompute frozen layers every batch instead of caching their features
${EXPERIMENT_OPTIONS_HELP}

Exit codes: 0 done, 2 bad input or usage.
`;

export async function lrFindCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      steps: { type: 'string', default: '100' },
      min: { type: 'string', default: '1e-7' },
      max: { type: 'string', default: '10' },
      out: { type: 'string' },
      backend: { type: 'string' },
      cache: { type: 'string', default: DEFAULT_CACHE_DIR },
      'no-cache': { type: 'boolean', default: false },
      ...EXPERIMENT_OPTIONS,
    },
  });
  if (values.help) {
    ctx.out(LR_FIND_HELP);
    return 0;
  }
  const steps = positiveInt('--steps', values.steps);
  if (steps < 5) throw new UsageError('E_USAGE', `--steps must be at least 5: '${values.steps}'`, 'a sweep needs points to find where the loss falls; 100 is usual');
  const [min, max] = [positiveNumber('--min', values.min), positiveNumber('--max', values.max)];
  if (min >= max) throw new UsageError('E_USAGE', `--min (${values.min}) must be below --max (${values.max})`, 'e.g. --min 1e-7 --max 10');
  const loaded = loadExperimentArg(positionals, values.set, LR_FIND_HELP, ctx);
  const outDir = resolve(ctx.cwd, values.out ?? join('results', loaded.experiment.name, 'lr-find'));
  const cacheDir = resolve(ctx.cwd, values.cache);
  for (const [flag, given, dir] of [['--out', values.out ?? relative(ctx.cwd, outDir), outDir], ['--cache', values.cache, cacheDir]] as const) {
    const found = folderProblem(dir);
    if (found) {
      const at = found.path === dir ? '' : `'${relative(ctx.cwd, found.path) || found.path}' `;
      throw new UsageError('E_USAGE', `${flag} '${given}': ${at}${found.problem}`, `${flag} names a folder tlx writes in (it is made when missing); give another path`);
    }
  }
  const backend = await initBackend(chooseBackend({ flag: values.backend, env: ctx.env.TLX_BACKEND, config: loaded.experiment.run.backend }));
  const outcome = await lrFind(loaded, { backend, cacheDir, min, max, steps, featureCache: !values['no-cache'] });
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'lr-find.json');
  writeFileAtomic(json, `${JSON.stringify({ experiment: relative(ctx.cwd, loaded.file), configHash: loaded.hash, backend: backend.name, ...outcome }, null, 2)}\n`);
  const svg = join(outDir, 'lr-find.svg');
  writeFileAtomic(svg, await renderSvg(lrFindSpec(outcome)));
  ctx.out(describeSweep(outcome));
  ctx.out(`wrote ${relative(ctx.cwd, json)}, ${relative(ctx.cwd, svg)}\n`);
  return 0;
}

/** The sweep as the terminal shows it: what was swept, the chart, and the suggestion with its rule. */
function describeSweep(o: LrFindOutcome): string {
  const rate = (x: number) => x.toPrecision(2);
  const last = o.points[o.points.length - 1]!;
  const head = `lr-find: trial ${o.trial.id} ${JSON.stringify(o.trial.point)}, ${describeOptimizer(o.optimizer)}, batch ${o.batchSize}; ` +
    `${o.points.length} of ${o.steps} steps from ${rate(o.min)} to ${rate(last.learningRate)}${o.stopped ? ` (stopped: ${o.stopped})` : ''}\n`;
  const chart = textChart({ x: o.points.map((p) => p.learningRate), y: o.points.map((p) => p.smoothed), mark: o.suggestion.learningRate });
  const rule = o.suggestion.rule === 'steepest'
    ? 'steepest descent of the smoothed loss'
    : 'the minimum\'s learning rate / 10: the smoothed loss never fell';
  const other = o.alternative ? `; minimum at ${rate(o.minimum.learningRate)} (loss ${o.minimum.smoothed.toPrecision(3)}), / 10: ${rate(o.alternative.learningRate)}` : '';
  return `${head}smoothed loss against learning rate ('|': the suggestion):\n${chart}suggested learning rate: ${rate(o.suggestion.learningRate)} (${rule}${other})\n`;
}
