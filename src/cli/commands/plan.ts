import { dirname, resolve } from 'node:path';
import { knownEmbeddingsHashes } from '../../models/embedding-weights.js';
import { sourceModels } from '../../models/model-hash.js';
import { planTasks } from '../../plan/tasks.js';
import { planTrials } from '../../plan/trials.js';
import { describeSearch, searchPreview } from '../../plan/search/preview.js';
import { type CommandContext, DEFAULT_CACHE_DIR } from '../context.js';
import { formatTable } from '../format-table.js';
import { EXPERIMENT_OPTIONS_HELP, experimentArgument, missingNotes } from '../experiment-arg.js';

export const PLAN_HELP = `Usage: tlx plan FILE [--set PATH=VALUE]...

Prints the trials a run of FILE would execute (one row per grid point and repeat)
and the shared work they need: the source pretrained once, and the probes and
scratch baselines each reused by every trial with the same inputs. For a search:
its space, its budget, and the suggestions known before it runs (those of
deterministic strategies; TPE's random start; ASHA's first rung).

Options:
${EXPERIMENT_OPTIONS_HELP}
`;

export async function planCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const loaded = experimentArgument(argv, PLAN_HELP, ctx);
  if (!loaded) return 0;
  const { search, repeats } = loaded.experiment;
  if (search) {
    const { suggestions, later } = searchPreview(search, loaded.experiment);
    const keys = Object.keys(search.space);
    ctx.out(`${describeSearch(search, repeats).join('\n')}\n\nfirst suggestions (each runs ${repeats} trial${repeats === 1 ? '' : 's'}, seeds ${loaded.experiment.seed} to ${loaded.experiment.seed + repeats - 1}):\n`);
    ctx.out(`${formatTable(['#', ...keys, 'epochs'], suggestions.map((s) => [String(s.index), ...keys.map((k) => JSON.stringify(s.point[k])), String(s.epochs)]))}\n${later}\n`);
    ctx.out(missingNotes(loaded));
    return 0;
  }
  const trials = planTrials(loaded.raw);
  const baseDir = dirname(loaded.file);
  const models = sourceModels(trials.map((t) => t.experiment), { cacheDir: '', baseDir, env: ctx.env });
  // Word vectors hashed by an earlier run in the default cache have their keys; others show as unread.
  const embeddingsHash = knownEmbeddingsHashes({ baseDir, env: ctx.env, cacheDir: resolve(ctx.cwd, DEFAULT_CACHE_DIR) });
  const tasks = planTasks(trials, { baseDir, modelHash: (model) => models.get(model)?.hash, modelKind: (model) => models.get(model)?.kind, embeddingsHash });
  const keys = Object.keys(loaded.experiment.grid);
  const rows = trials.map((t) => [
    t.id, ...keys.map((k) => JSON.stringify(t.point[k])), String(t.repeat), String(t.seed),
    tasks.scratchOf.get(t.id) ?? (tasks.scratchUnavailable.has(t.id) ? 'unavailable' : '-'), tasks.probeOf.get(t.id) ?? '-',
  ]);
  ctx.out(`${formatTable(['trial', ...keys, 'repeat', 'seed', 'scratch task', 'probe task'], rows)}\n\n`);
  ctx.out(`${trials.length} fine-tuning trials; shared: ${tasks.pretrain.size} pretrained source, ` +
    `${tasks.scratch.size} scratch baselines, ${tasks.probe.size} transfer-only probes\n`);
  const unavailable = new Set(tasks.scratchUnavailable.values());
  for (const why of unavailable) ctx.out(`scratch baseline unavailable: ${why}\n`);
  ctx.out(missingNotes(loaded));
  return 0;
}
