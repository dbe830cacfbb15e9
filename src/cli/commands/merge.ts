import { parseArgs } from 'node:util';
import { relative, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { openRunDir } from '../../execute/run-dir.js';
import { defaultMergeTarget, mergeRuns } from '../../results/merge.js';
import type { CommandContext } from '../context.js';

export const MERGE_HELP = `Usage: tlx merge RUN_DIR... [--out DIR]

Joins the results of shards (tlx run --shard I/N), or of partial runs of the same
experiment, into one run: each trial once, the summary, the best model, and a
manifest that lists where each part ran. Runs of different configurations, or
computed with different backends (name, package, version), are refused.

Options:
  --out DIR     where the merged run goes (default: the run directory holding the
                shard-I-of-N folders)
  -h, --help    show this help

Exit codes: 0 merged, 1 merged but shards are missing or unfinished, 2 bad input.
`;

export async function mergeCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    ctx.out(MERGE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('E_USAGE', 'no run directories given', 'tlx merge results/<name>/<run>/shard-*');
  const dirs = positionals.map((d) => resolve(ctx.cwd, d));
  const out = values.out == null ? defaultMergeTarget(dirs) : resolve(ctx.cwd, values.out);
  if (out == null) throw new UsageError('E_USAGE', 'the runs are not shard-I-of-N folders of one run directory', 'say where the merged run goes with --out DIR');
  const { lock } = openRunDir(out, `tlx merge into ${relative(ctx.cwd, out)}`, false);
  try {
    const merged = mergeRuns(dirs, out);
    ctx.out(`${merged.trials} trials merged from ${dirs.length} runs into ${relative(ctx.cwd, out) || '.'}\n`);
    if (merged.missingShards.length > 0) ctx.out(`missing shards: ${merged.missingShards.join(', ')}\n`);
    for (const dir of merged.unfinished) ctx.out(`unfinished: ${relative(ctx.cwd, dir)} (run its command again, then merge again)\n`);
    return merged.missingShards.length > 0 || merged.unfinished.length > 0 ? 1 : 0;
  } finally {
    lock.release();
  }
}
