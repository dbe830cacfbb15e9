import { parseArgs } from 'node:util';
import { type LoadedExperiment, loadExperiment } from '../config/load.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

/** The one experiment file a command takes, from its positional arguments. */
export function experimentFile(positionals: string[], help: string): string {
  const [file, ...rest] = positionals;
  if (file == null) throw new UsageError('E_USAGE', 'missing the experiment file', help.split('\n')[0]);
  if (rest.length > 0) throw new UsageError('E_USAGE', `unexpected argument '${rest[0]}'`, help.split('\n')[0]);
  return file;
}

/**
 * For commands whose only argument is an experiment file (and --help): the checked
 * experiment, or undefined once the help has been printed.
 */
export function experimentArgument(argv: string[], help: string, ctx: CommandContext): LoadedExperiment | undefined {
  const { values, positionals } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) {
    ctx.out(help);
    return undefined;
  }
  return loadExperiment(experimentFile(positionals, help), ctx.cwd);
}
