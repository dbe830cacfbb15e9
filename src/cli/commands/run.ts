import { parseArgs } from 'node:util';
import { relative, resolve } from 'node:path';
import { chooseBackend, initBackend } from '../../engine/init-backend.js';
import { runExperiment } from '../../execute/run-experiment.js';
import { SUMMARY_COLUMNS, summaryRows } from '../../results/summary.js';
import type { CommandContext } from '../context.js';
import { formatTable } from '../format-table.js';
import { positiveInt } from '../parse-values.js';
import { progressView } from '../progress-view.js';
import { EXPERIMENT_OPTIONS, EXPERIMENT_OPTIONS_HELP, loadExperimentArg } from '../experiment-arg.js';

export const RUN_HELP = `Usage: tlx run FILE [options]

Runs the experiment: pretrains the source (once, cached), then every trial of the
grid x repeats with its scratch baseline and transfer-only probe, and records the
three transfer indicators. Running the same file again resumes: finished trials
are skipped.

Options:
  --backend NAME      auto | tensorflow | wasm | cpu (default: $TLX_BACKEND, run.backend, auto)
  --concurrency N     trials at once (default: run.concurrency; auto = cores on CPU, 1 on GPU)
  --results DIR       where runs are written (default results)
  --cache DIR         cached pretrained sources (default .tlx-cache)
${EXPERIMENT_OPTIONS_HELP}

Writes results/<name>/<run>/manifest.json, trials.jsonl, summary.csv, summary.md.
Exit codes: 0 all trials ok, 1 some trial failed, 2 bad input or usage.
`;

export async function runCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      backend: { type: 'string' },
      concurrency: { type: 'string' },
      results: { type: 'string', default: 'results' },
      cache: { type: 'string', default: '.tlx-cache' },
      ...EXPERIMENT_OPTIONS,
    },
  });
  if (values.help) {
    ctx.out(RUN_HELP);
    return 0;
  }
  const loaded = loadExperimentArg(positionals, values.set, RUN_HELP, ctx);
  const concurrency = values.concurrency == null ? undefined : positiveInt('--concurrency', values.concurrency);
  const backend = await initBackend(chooseBackend({ flag: values.backend, env: ctx.env.TLX_BACKEND, config: loaded.experiment.run.backend }));
  const view = progressView(ctx.isTTY === true, ctx.err);
  const outcome = await runExperiment(loaded, {
    backend,
    concurrency,
    resultsDir: resolve(ctx.cwd, values.results),
    cacheDir: resolve(ctx.cwd, values.cache),
    observer: view.observer,
  });
  await view.finish();
  ctx.out(`\n${formatTable([...SUMMARY_COLUMNS], summaryRows(outcome.summary))}\n\n`);
  ctx.out(`${outcome.ran} trials run, ${outcome.skipped} already done, ${outcome.failed} failed; backend ${backend.name}\n`);
  ctx.out(`results: ${relative(ctx.cwd, outcome.runDir) || '.'}\n`);
  if (outcome.exported) ctx.out(`model: ${relative(ctx.cwd, outcome.exported)}\n`);
  return outcome.failed > 0 ? 1 : 0;
}
