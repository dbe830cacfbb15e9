import { dataModality } from '../data/datasets.js';
import type { Experiment } from './experiment.generated.js';
import type { ResolvedExperiment } from './resolved.js';
import { resolveOptimizer } from './optimizer-settings.js';
import { resolveSchedule } from './schedule-settings.js';
import { applyDefaults } from './schema.js';

/**
 * The only place defaults are set: a copy of a schema-valid experiment with every
 * `default` of the schema filled in.
 */
export function normalize(experiment: Experiment): ResolvedExperiment {
  const copy = structuredClone(experiment);
  applyDefaults(copy);
  // A default the schema cannot apply itself (it sits inside a oneOf).
  for (const layer of copy.transfer?.head ?? []) {
    if ('dense' in layer) layer.dense.activation ??= 'relu';
    if ('textCnn' in layer) Object.assign(layer.textCnn, { widths: layer.textCnn.widths ?? [3, 4, 5], filters: layer.textCnn.filters ?? 100 });
    if ('bidirectionalGru' in layer) layer.bidirectionalGru.units ??= 100;
  }
  // An optimizer's parameters sit inside a oneOf too; the schema's defaults for its name.
  for (const train of [copy.train, copy.source.pretrain?.train]) {
    if (train) train.optimizer = resolveOptimizer(train.optimizer ?? 'adam');
    // So do a learning-rate schedule's.
    if (train) train.schedule = resolveSchedule(train.schedule ?? { name: 'constant' });
  }
  // The suggestions take the experiment's seed unless the search has its own (applyDefaults has filled `seed`).
  if (copy.search) copy.search.seed ??= copy.seed;
  // Tokenizer settings only mean something where texts are read: elsewhere they
  // would only change the run's identity.
  const blocks = [copy.target.data, ...(copy.source.pretrain ? [copy.source.pretrain.data] : [])];
  // Set here, not in the schema, so that data blocks of other datasets do not carry it.
  for (const data of blocks) if (data.dataset === 'spam-assassin') data.part ??= 'body';
  if (!blocks.some((data) => dataModality(data) === 'text') && copy.source.input) delete copy.source.input.text;
  return copy as unknown as ResolvedExperiment;
}
