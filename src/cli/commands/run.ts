import { parseArgs } from 'node:util';
import { join, relative, resolve } from 'node:path';
import { chooseBackend, initBackend } from '../../engine/init-backend.js';
import { runExperiment } from '../../execute/run-experiment.js';
import { writeReport } from '../../report/write-report.js';
import { CHANCE_NOTE, chanceLines, sourceLines } from '../../results/chance-lines.js';
import { SUMMARY_COLUMNS, summaryRows } from '../../results/summary.js';
import { type CommandContext, DEFAULT_CACHE_DIR } from '../context.js';
import { formatTable } from '../format-table.js';
import { positiveInt } from '../parse-values.js';
import { progressView } from '../progress-view.js';
import { EXPERIMENT_OPTIONS, EXPERIMENT_OPTIONS_HELP, loadExperimentArg } from '../experiment-arg.js';
import type { LoadedExperiment } from '../../config/load.js';
import { ConfigError, UsageError } from '../../errors.js';
import { runDirOf } from '../../execute/run-dir.js';
import { parseShard, type Shard } from '../../plan/shard.js';
import { folderProblem, NAME_MAX } from '../../results/writable-folder.js';

/** Rows of the summary table printed at the end of a run. */
const SUMMARY_ROWS_SHOWN = 30;

export const RUN_HELP = `Usage: tlx run FILE [options]

Runs the experiment: pretrains the source (once, cached), then every trial of the
grid x repeats with its scratch baseline and transfer-only probe, and records the
three transfer indicators. Running the same file again resumes: finished trials
are skipped.

Options:
  --backend NAME      auto | tensorflow | webgpu | wasm | cpu (default: $TLX_BACKEND, run.backend, auto)
  --concurrency N     trials at once (default: run.concurrency; auto = cores on CPU, 1 on GPU)
  --shard I/N         run only the I-th of N deterministic slices of the trials (I from 0),
                      e.g. --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT; join them with tlx merge
  --fresh             move the previous results of this experiment aside and start again
  --no-cache          recompute frozen layers every batch instead of caching their features
  --grace SECONDS     after Ctrl-C, how long running trials may finish (default 60)
  --results DIR       where runs are written (default results)
  --cache DIR         cached pretrained sources and shared tasks (default .tlx-cache)
  --no-report         do not write report.html at the end (tlx report RUN_DIR writes it later)
${EXPERIMENT_OPTIONS_HELP}

Writes results/<name>/<run>/manifest.json, trials.jsonl, summary.csv, summary.md,
report.html (a shard: results/<name>/<run>/shard-I-of-N/). Ctrl-C (or SIGTERM)
once stops starting trials and lets running ones finish; twice quits at once.
Either way the same command resumes.
Exit codes: 0 all trials ok, 1 some trial failed, 2 bad input or usage, 130 interrupted.
`;

export async function runCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      backend: { type: 'string' },
      concurrency: { type: 'string' },
      shard: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      grace: { type: 'string' },
      results: { type: 'string', default: 'results' },
      cache: { type: 'string', default: DEFAULT_CACHE_DIR },
      'no-report': { type: 'boolean' },
      ...EXPERIMENT_OPTIONS,
    },
  });
  if (values.help) {
    ctx.out(RUN_HELP);
    return 0;
  }
  const loaded = loadExperimentArg(positionals, values.set, RUN_HELP, ctx);
  const concurrency = values.concurrency == null ? undefined : positiveInt('--concurrency', values.concurrency);
  const shard = values.shard == null ? undefined : shardFlag(values.shard);
  const { resultsDir, cacheDir } = runFolders(loaded, { results: values.results, cache: values.cache }, ctx.cwd, shard);
  const backend = await initBackend(chooseBackend({ flag: values.backend, env: ctx.env.TLX_BACKEND, config: loaded.experiment.run.backend }));
  const graceSeconds = values.grace == null ? undefined : positiveInt('--grace', values.grace, true);
  const view = progressView(ctx.isTTY === true, ctx.err);
  const stop = interruptOnSignals(ctx.err);
  let outcome;
  try {
    outcome = await runExperiment(loaded, {
      backend,
      concurrency,
      resultsDir,
      cacheDir,
      observer: view.observer,
      ...(shard ? { shard } : {}),
      fresh: values.fresh,
      featureCache: !values['no-cache'],
      signal: stop.signal,
      ...(graceSeconds == null ? {} : { graceSeconds }),
    });
  } finally {
    stop.dispose();
    await view.finish();
  }
  if (outcome.movedTo) ctx.err(`tlx: --fresh: the previous run was moved to ${relative(ctx.cwd, outcome.movedTo)}\n`);
  // A long sweep's table is summary.md's to hold; the terminal shows its first rows.
  const shown = outcome.summary.slice(0, SUMMARY_ROWS_SHOWN);
  const more = outcome.summary.length - shown.length;
  ctx.out(`\n${formatTable([...SUMMARY_COLUMNS], summaryRows(shown))}\n${more > 0 ? `(${more} more in ${relative(ctx.cwd, join(outcome.runDir, 'summary.md'))})\n` : ''}\n`);
  for (const line of sourceLines(outcome.sources)) ctx.out(`${line}\n`);
  const atChance = chanceLines(outcome.summary, outcome.sources);
  if (atChance.length > 0) ctx.out(`${CHANCE_NOTE}\n${atChance.map((l) => `  ${l}\n`).join('')}`);
  ctx.out(`${outcome.ran} trials run, ${outcome.skipped} already done, ${outcome.failed} failed; backend ${backend.name}\n`);
  ctx.out(`results: ${relative(ctx.cwd, outcome.runDir) || '.'}\n`);
  if (!values['no-report']) ctx.out(`report: ${relative(ctx.cwd, (await writeReport(outcome.runDir, { cwd: ctx.cwd })).file)}\n`);
  if (outcome.exported) ctx.out(`model: ${relative(ctx.cwd, outcome.exported)}\n`);
  if (outcome.interrupted) {
    ctx.out('interrupted: run the same command again to finish the remaining trials\n');
    return 130;
  }
  return outcome.failed > 0 ? 1 : 0;
}

/**
 * The folders --results and --cache name, refused before anything runs or is
 * written when the run folder or the cache cannot be made there: a name too long
 * for a folder, a file where a folder must be.
 */
function runFolders(
  loaded: LoadedExperiment, flags: { results: string; cache: string }, cwd: string, shard: Shard | undefined,
): { resultsDir: string; cacheDir: string } {
  const { name } = loaded.experiment;
  if (Buffer.byteLength(name) > NAME_MAX) {
    throw new ConfigError([{
      code: 'E_NAME_TOO_LONG', position: loaded.source.locate(['name']), path: 'name',
      message: `${Buffer.byteLength(name)} characters, longer than a folder name may be (${NAME_MAX}); runs are written to <results>/<name>/`,
      hint: 'shorten it',
    }]);
  }
  const [resultsDir, cacheDir] = [resolve(cwd, flags.results), resolve(cwd, flags.cache)];
  for (const [flag, given, dir, inside] of [
    ['--results', flags.results, resultsDir, runDirOf(resultsDir, loaded, shard)],
    ['--cache', flags.cache, cacheDir, cacheDir],
  ] as const) {
    const found = folderProblem(inside);
    if (found == null) continue;
    const at = found.path === dir ? '' : `'${relative(cwd, found.path) || found.path}' `;
    throw new UsageError('E_USAGE', `${flag} '${given}': ${at}${found.problem}`,
      `${flag} names a folder tlx writes in (it is made when missing); give another path`);
  }
  return { resultsDir, cacheDir };
}

function shardFlag(text: string): Shard {
  const shard = parseShard(text);
  if ('problem' in shard) throw new UsageError('E_USAGE', `--shard: ${shard.problem}`, 'e.g. --shard 0/4 ... --shard 3/4');
  return shard;
}

/**
 * SIGINT / SIGTERM once: stop starting work and let running trials finish (the
 * batch schedulers SLURM and Kubernetes send SIGTERM before they kill). Twice: quit
 * now; finished trials are already on disk, and the run's lock is released on exit.
 */
function interruptOnSignals(err: (text: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      err(`\ntlx: ${name} again: quitting now\n`);
      process.exit(130);
    }
    err(`\ntlx: ${name}: no new trials will start; running ones may finish (again to quit now)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
