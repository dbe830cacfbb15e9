import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import type { ResolvedExperiment } from '../../src/config/resolved.js';
import { tQuantile95 } from '../../src/indicators/statistics.js';
import { pointLabel } from '../../src/results/format-estimate.js';
import { writeRunSummary } from '../../src/results/run-summary.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { latestRecords } from '../../src/results/trials-log.js';
import { ashaSearchLog, configurationOf, randomSearchLog, type SearchLog } from './search-fixture.js';

const SEED = Math.floor(Math.random() * 2 ** 31);
const EXPERIMENT = 'experiments/mnist-digits.yaml';

function searchExperiment(): ResolvedExperiment {
  const { experiment } = loadExperiment(join(process.cwd(), EXPERIMENT), process.cwd());
  return { ...experiment, grid: {}, repeats: 2, export: 'best' };
}

// A run folder holding the search's log and an exported model per trial, summarized as the runner does.
function summarized(s: SearchLog) {
  const dir = mkdtempSync(join(tmpdir(), 'tlx-search-summary-'));
  writeFileSync(join(dir, 'trials.jsonl'), s.log.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const latest = latestRecords(s.log);
  for (const r of latest) if (r.status === 'ok') mkdirSync(join(dir, 'models', r.trial), { recursive: true });
  const outcome = writeRunSummary(dir, latest, searchExperiment());
  return { dir, latest, outcome, md: readFileSync(join(dir, 'summary.md'), 'utf8') };
}

// The best configuration at the most epochs (by validation), its test mean and t interval, counted here from the records.
function bestByHand(log: readonly TrialRecord[]) {
  const full = Math.max(...log.map((r) => r.search!.epochs));
  const bySuggestion = new Map<number, TrialRecord[]>();
  for (const r of log) if (r.search!.epochs === full && r.status === 'ok') bySuggestion.set(configurationOf(r), [...(bySuggestion.get(configurationOf(r)) ?? []), r]);
  const stats = [...bySuggestion.values()].map((rs) => {
    const [a, b] = rs.map((r) => r.test!.accuracy!) as [number, number];
    const mean = (a + b) / 2;
    const half = (tQuantile95(1) * Math.abs(a - b)) / 2;
    // Chosen as the search chooses: by the mean validation score; the test score is what is reported.
    const validation = rs.reduce((sum, r) => sum + r.curve!.at(-1)!.val.accuracy!, 0) / rs.length;
    return { rs, mean, low: mean - half, high: mean + half, half, validation };
  }).sort((x, y) => y.validation - x.validation);
  return { ...stats[0]!, candidates: stats.length };
}

describe(`summary.md of a search (seed ${SEED})`, () => {
  it.each([
    { name: 'random search', make: randomSearchLog },
    { name: 'ASHA, 3 rungs', make: ashaSearchLog },
  ])('$name: names the best configuration with its 95% interval, the configurations tried and the compute', ({ make }) => {
    const s = make(SEED);
    const { md, dir } = summarized(s);
    const best = bestByHand(s.log);
    const f = (v: number) => v.toFixed(3);
    expect(md).toContain(`**Suggestion ${configurationOf(best.rs[0]!)}**: ${pointLabel(best.rs[0]!.point)}: ` +
      `test accuracy ${f(best.mean)} ± ${f(best.half)} (95% CI ${f(best.low)} to ${f(best.high)}, 2 repeats)`);
    const epochs = s.log.reduce((n, r) => n + r.search!.addedEpochs, 0);
    const seconds = s.log.reduce((n, r) => n + r.search!.addedSeconds, 0);
    expect(md).toContain(`${s.log[0]!.search!.strategy} search: ${s.configurations} configurations tried (2 repeats each), ${epochs} epochs and ${seconds.toFixed(1)} s of training`);
    expect(md).toContain(`among the ${best.candidates} configuration${best.candidates === 1 ? '' : 's'} with every repeat finished at ${Math.max(...s.rungEpochs)} epochs`);
    // The grid-style table follows, one row per configuration.
    expect(md.indexOf('## Best configuration')).toBeLessThan(md.indexOf('| grid point |'));
    const csv = readFileSync(join(dir, 'search.csv'), 'utf8').trim().split('\n');
    expect(csv.length - 1).toBe(new Set(s.log.map((r) => `${configurationOf(r)}/${r.search!.rung ?? 0}`)).size);
  });

  it('ASHA: the rung table, and export: best keeps a fully trained model', () => {
    const s = ashaSearchLog(SEED);
    const { md, dir, outcome, latest } = summarized(s);
    for (const [rung, epochs] of s.rungEpochs.entries()) {
      const reached = new Set(s.log.filter((r) => r.search!.rung === rung).map((r) => configurationOf(r))).size;
      const promoted = [...s.promoted].filter((p) => p.endsWith(`/${rung}`)).length;
      expect(md).toContain(`| ${rung} | ${epochs} | ${reached} | ${promoted} |`);
    }
    const kept = readdirSync(join(dir, 'models'));
    expect(kept).toHaveLength(1);
    const exported = latest.find((r) => r.trial === kept[0])!;
    expect(exported.search!.rung).toBe(2);
    expect(outcome.exported).toBe(join(dir, 'models', kept[0]!));
    // The trap trial scored higher, at rung 0, and is gone.
    const trap = latest.find((r) => configurationOf(r) === s.trap && r.repeat === 0)!;
    expect(trap.test!.accuracy!).toBeGreaterThan(exported.test!.accuracy!);
    expect(existsSync(join(dir, 'models', trap.trial))).toBe(false);
  });
});
