import { UsageError } from '../errors.js';
import { BENCH_HELP, benchCommand } from './commands/bench.js';
import { INSPECT_HELP, inspectCommand } from './commands/inspect.js';
import { LR_FIND_HELP, lrFindCommand } from './commands/lr-find.js';
import { MERGE_HELP, mergeCommand } from './commands/merge.js';
import { PLAN_HELP, planCommand } from './commands/plan.js';
import { PREDICT_HELP, predictCommand } from './commands/predict.js';
import { REPORT_HELP, reportCommand } from './commands/report.js';
import { RUN_HELP, runCommand } from './commands/run.js';
import { VALIDATE_HELP, validateCommand } from './commands/validate.js';
import { type CommandContext, processContext } from './context.js';
import { reportError } from './report-error.js';

const HELP = `tlx: transfer-learning experiments on TensorFlow.js

Usage: tlx <command> [options]

Commands:
  run        run an experiment: trials, scratch baselines, transfer indicators
  validate   check an experiment file and count its trials
  plan       the trials and shared tasks a run would execute
  merge      join the results of shards (run --shard I/N) into one run
  report     an HTML report of a run: indicators, learning curves, charts
  inspect    the layers of a model, to choose cut and freeze
  lr-find    the learning-rate range test on an experiment's model and data
  predict    classify images with an exported model
  bench      training and inference throughput of this machine's backend

Run 'tlx <command> --help' for a command's options.
Environment: TLX_BACKEND (auto | tensorflow | webgpu | wasm | cpu), TLX_DEBUG=1 (stack traces),
TLX_DOWNLOAD_TIMEOUT_S (the most a download may take, default 1800),
TLX_WASM_THREADS (threads of the wasm backend, 1 to 8, default 1; experimental).
`;

const COMMANDS: Record<string, { run: (argv: string[], ctx: CommandContext) => Promise<number>; help: string }> = {
  run: { run: runCommand, help: RUN_HELP },
  validate: { run: validateCommand, help: VALIDATE_HELP },
  plan: { run: planCommand, help: PLAN_HELP },
  merge: { run: mergeCommand, help: MERGE_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
  inspect: { run: inspectCommand, help: INSPECT_HELP },
  'lr-find': { run: lrFindCommand, help: LR_FIND_HELP },
  predict: { run: predictCommand, help: PREDICT_HELP },
  bench: { run: benchCommand, help: BENCH_HELP },
};

/** The CLI as a function: argv in, exit code out. */
export async function main(argv: string[], ctx: CommandContext = processContext()): Promise<number> {
  const debug = argv.includes('--debug') || ctx.env.TLX_DEBUG === '1';
  const args = argv.filter((a) => a !== '--debug');
  try {
    const [name, ...rest] = args;
    if (name == null || name === '--help' || name === '-h' || name === 'help') {
      ctx.out(HELP);
      return name == null ? 2 : 0;
    }
    const command = COMMANDS[name];
    if (command == null) {
      throw new UsageError('E_USAGE', `unknown command '${name}'`, `commands: ${Object.keys(COMMANDS).join(', ')}; see tlx --help`);
    }
    return await command.run(rest, ctx);
  } catch (error) {
    // parseArgs reports unknown or malformed options with these codes.
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      return reportError(new UsageError('E_USAGE', (error as Error).message, 'see --help'), debug, ctx.err);
    }
    return reportError(error, debug, ctx.err);
  }
}
