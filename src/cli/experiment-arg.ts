import { parseArgs } from 'node:util';
import { type LoadedExperiment, loadExperiment } from '../config/load.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';
import { formatIssue } from './report-error.js';

/** The options of every command that takes an experiment file (run, validate, plan). */
export const EXPERIMENT_OPTIONS = {
  set: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The help lines for EXPERIMENT_OPTIONS. */
export const EXPERIMENT_OPTIONS_HELP = `  --set PATH=VALUE    override a field of the file (repeatable), e.g. --set train.epochs=1,
                      --set 'target.data.classes=[5, 6]', --set grid.transfer.freeze='[all]';
                      the value is YAML, null removes the field; checked like the file
  -h, --help          show this help`;

/** The checked experiment named by a command's positional argument, with its --set overrides. */
export function loadExperimentArg(positionals: string[], overrides: string[] | undefined, help: string, ctx: CommandContext): LoadedExperiment {
  const [file, ...rest] = positionals;
  if (file == null) throw new UsageError('E_USAGE', 'missing the experiment file', help.split('\n')[0]);
  if (rest.length > 0) throw new UsageError('E_USAGE', `unexpected argument '${rest[0]}'`, help.split('\n')[0]);
  return loadExperiment(file, ctx.cwd, { overrides: overrides ?? [], env: ctx.env });
}

/**
 * For commands whose only argument is an experiment file (with --set and --help):
 * the checked experiment, or undefined once the help has been printed.
 */
export function experimentArgument(argv: string[], help: string, ctx: CommandContext): LoadedExperiment | undefined {
  const { values, positionals } = parseArgs({ args: argv, options: EXPERIMENT_OPTIONS, allowPositionals: true });
  if (values.help) {
    ctx.out(help);
    return undefined;
  }
  return loadExperimentArg(positionals, values.set, help, ctx);
}

/** What a run would need that this machine lacks, as notes after a valid file. */
export function missingNotes(loaded: LoadedExperiment): string {
  if (loaded.missing.length === 0) return '';
  return `not on this machine yet (tlx run needs ${loaded.missing.length === 1 ? 'it' : 'them'}):\n${loaded.missing.map(formatIssue).join('')}`;
}
