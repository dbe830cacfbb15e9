import { parseArgs } from 'node:util';
import { loadExperiment } from '../../config/load.js';
import { planTrials } from '../../plan/trials.js';
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';

export const VALIDATE_HELP = `Usage: tlx validate FILE

Checks an experiment file: YAML syntax, the schema, and the rules across fields
(grid paths, layer names, class ranges). Prints every problem with file:line:col,
or the number of trials a run would execute. Trains nothing, writes nothing.
Exit codes: 0 valid, 2 problems found.
`;

export function experimentFile(positionals: string[], help: string): string {
  const [file, ...rest] = positionals;
  if (file == null) throw new UsageError('E_USAGE', 'missing the experiment file', help.split('\n')[0]);
  if (rest.length > 0) throw new UsageError('E_USAGE', `unexpected argument '${rest[0]}'`, help.split('\n')[0]);
  return file;
}

export async function validateCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) {
    ctx.out(VALIDATE_HELP);
    return 0;
  }
  const loaded = loadExperiment(experimentFile(positionals, VALIDATE_HELP), ctx.cwd);
  const trials = planTrials(loaded.raw);
  const points = new Set(trials.map((t) => t.pointId)).size;
  ctx.out(`${loaded.source.file}: valid; ${trials.length} trial${trials.length === 1 ? '' : 's'} (${points} grid point${points === 1 ? '' : 's'} x ${loaded.experiment.repeats} repeat${loaded.experiment.repeats === 1 ? '' : 's'})\n`);
  return 0;
}
