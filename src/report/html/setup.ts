import type { HeadLayer, ResolvedData, ResolvedExperiment, ResolvedTrain } from '../../config/resolved.js';
import { describeOptimizer } from '../../config/optimizer-settings.js';
import type { Manifest } from '../../results/manifest.js';
import { valueText } from '../grid-axes.js';
import { esc } from './escape.js';

const compact = (value: unknown) => (typeof value === 'object' && value != null ? JSON.stringify(value) : valueText(value));

function dataText(d: ResolvedData): string {
  const where = d.path ?? d.images ?? '';
  return [
    `${d.dataset}${where ? ` ${where}` : ''}`,
    d.classes ? `classes ${d.classes.join(', ')}` : 'all classes',
    d.perClass != null ? `${d.perClass} training examples per class` : null,
    `validation ${d.validation}, test ${d.test}`,
    d.imageSize ? `${d.imageSize.join('x')} px` : null,
  ].filter((s) => s != null).join('; ');
}

function trainText(t: ResolvedTrain): string {
  return [
    `${t.epochs} epochs, batch ${t.batchSize}, ${describeOptimizer(t.optimizer)} at learning rate ${t.learningRate}`,
    t.earlyStopping ? `early stopping on ${t.earlyStopping.monitor ?? 'val_accuracy'} (patience ${t.earlyStopping.patience ?? '-'})` : null,
    t.augment ? `augmented ${compact(t.augment)}` : null,
  ].filter((s) => s != null).join('; ');
}

function headText(head: readonly HeadLayer[]): string {
  const layers = head.map((layer) => Object.entries(layer).map(([type, args]) => {
    const values = Object.values(args as Record<string, unknown>).map(compact);
    return values.length > 0 ? `${type} ${values.join(' ')}` : type;
  }).join(''));
  return [...layers, 'output over the target classes'].join(' → ');
}

function sourceText(e: ResolvedExperiment): string {
  const p = e.source.pretrain;
  if (p) return `${p.architecture}${p.alpha != null ? ` (alpha ${p.alpha})` : ''} pretrained by tlx on ${dataText(p.data)}; ${trainText(p.train)}`;
  return `TensorFlow.js model ${e.source.model ?? '?'}`;
}

function list(rows: readonly (readonly [string, string | null])[]): string {
  return `<dl>${rows.filter(([, v]) => v != null).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

/** The run's question (the experiment file's own words) and how it was set up. */
export function setupSection(e: ResolvedExperiment, notes: string | null, trials: number): string {
  const goal = e.indicators.timeToTarget.target;
  const ft = e.transfer.fineTune;
  const grid = Object.entries(e.grid);
  return `<section id="setup"><h2>Question and setup</h2>
${e.description ? `<p class="question">${esc(e.description)}</p>` : ''}
${notes ? `<pre class="notes">${esc(notes)}</pre>` : ''}
${list([
    ['source', sourceText(e)],
    ['cut', `at layer ${valueText(e.source.cut)}: the layers after it are dropped`],
    ['freeze rule', `${compact(e.transfer.freeze)}${ft ? `; then fine-tune: unfreeze ${compact(ft.unfreeze)} for ${ft.epochs} epochs at ${ft.learningRate ?? 'a lower'} learning rate` : ''}`],
    ['head', headText(e.transfer.head)],
    ['target data', dataText(e.target.data)],
    ['budget', `${trainText(e.train)}; the scratch baseline gets the same`],
    ['grid', grid.length === 0 ? 'none' : grid.map(([k, vs]) => `${k}: ${vs.map(compact).join(', ')}`).join('; ')],
    ['repeats', `${e.repeats} seeds per grid point from seed ${e.seed}: ${trials} trials`],
    ['metrics', `${e.metrics.join(', ')} (the first is primary)`],
    ['indicators', `transfer-only: ${e.indicators.transferOnly.probe} probe; time-to-target: ` +
      ('value' in goal ? `validation score ${goal.value}` : `${goal.relativeToScratch} × the scratch baseline's best`) +
      `; scratch baseline ${e.indicators.scratch ? 'trained' : 'not trained'}`],
  ])}
</section>`;
}

/** Where and with what the numbers were made. */
export function environmentSection(m: Manifest): string {
  const seconds = m.finishedAt ? (Date.parse(m.finishedAt) - Date.parse(m.startedAt)) / 1000 : null;
  return `<section id="environment"><h2>Environment</h2>
${list([
    ['run', `${m.runId} (config hash ${m.configHash}), ${m.status}`],
    ['experiment file', `${m.experimentFile}${m.experimentCommit ? ` at commit ${m.experimentCommit.slice(0, 12)}` : ''}`],
    ['tlx', m.environment.tlx],
    ['backend', `${m.environment.backend.package}${m.environment.backend.version ? ` ${m.environment.backend.version}` : ''} (${m.environment.backend.name})`],
    ['GPU', m.environment.gpus.length > 0 ? m.environment.gpus.join('; ') : null],
    ['Node', `${m.environment.node} on ${m.environment.os}`],
    ['machine', `${m.environment.cpu.model}, ${m.environment.cpu.cores} cores, ${m.environment.memoryGiB} GiB; ${m.concurrency} trial${m.concurrency === 1 ? '' : 's'} at once`],
    ['shard', m.shard ? `${m.shard.index} of ${m.shard.count}` : null],
    ['merged from', m.mergedFrom ? m.mergedFrom.map((p) => `${p.dir} (${p.status})`).join('; ') : null],
    ['time', `${m.startedAt} to ${m.finishedAt ?? '(not finished)'}${seconds != null ? ` (${seconds.toFixed(0)} s)` : ''}`],
    ['notes', m.notes.length > 0 ? m.notes.join('; ') : null],
  ])}
</section>`;
}
