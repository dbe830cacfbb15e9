import { planTrials } from '../../plan/trials.js';
import { describeSearch } from '../../plan/search/preview.js';
import { printable } from '../../quote.js';
import type { CommandContext } from '../context.js';
import { EXPERIMENT_OPTIONS_HELP, experimentArgument, missingNotes } from '../experiment-arg.js';

export const VALIDATE_HELP = `Usage: tlx validate FILE [--set PATH=VALUE]...

Checks an experiment file: YAML syntax, the schema, and the rules across fields
(grid paths, layer names, class ranges). Prints every problem with file:line:col,
or the number of trials a run would execute and what a run needs that is not on
this machine (data, a model not downloaded yet). Trains nothing, writes nothing.

Options:
${EXPERIMENT_OPTIONS_HELP}

Exit codes: 0 valid, 2 problems found.
`;

export async function validateCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const loaded = experimentArgument(argv, VALIDATE_HELP, ctx);
  if (!loaded) return 0;
  const { search, repeats } = loaded.experiment;
  const each = `${repeats} repeat${repeats === 1 ? '' : 's'}`;
  if (search) {
    ctx.out(`${printable(loaded.source.file)}: valid; ${describeSearch(search, repeats)[0]!.replace(/^search: /, 'a search: ')}\n`);
  } else {
    const trials = planTrials(loaded.raw);
    const points = new Set(trials.map((t) => t.pointId)).size;
    ctx.out(`${printable(loaded.source.file)}: valid; ${trials.length} trial${trials.length === 1 ? '' : 's'} (${points} grid point${points === 1 ? '' : 's'} x ${each})\n`);
  }
  ctx.out(missingNotes(loaded));
  return 0;
}
