import { CHANCE_ALPHA, type ChanceTest, chanceText } from '../indicators/chance.js';
import type { MetricValues } from '../train/metrics.js';
import { pointLabel } from './format-estimate.js';
import type { SourceScores } from './manifest.js';
import type { PointSummary } from './summary.js';

/** How "at chance" is decided, for the files, the CLI and the report alike. */
export const CHANCE_NOTE = 'At chance: the test accuracy is not significantly above the majority-class rate ' +
  `(one-sided exact binomial test, p >= ${CHANCE_ALPHA}; a grid point's repeats pooled).`;

const metricsText = (test: MetricValues) => Object.entries(test).map(([m, v]) => `${m} ${v == null ? '-' : v.toFixed(3)}`).join(', ');

/** One line per pretrained source: its own test scores, the yardstick of what it can transfer. */
export function sourceLines(sources: readonly SourceScores[]): string[] {
  return sources.map((s) => `source ${s.key}: test ${metricsText(s.test)}` +
    `${s.curve ? ` after ${s.curve.length} epoch${s.curve.length === 1 ? '' : 's'}` : ''}` +
    `${s.chance?.atChance ? ' (at chance: it learned nothing)' : ''}`);
}

/**
 * Every model that ended at chance, in words with its numbers: each source, then
 * per grid point the transferred model, the scratch baseline and the probe.
 */
export function chanceLines(summary: readonly PointSummary[], sources: readonly SourceScores[]): string[] {
  const lines = sources.filter((s) => s.chance?.atChance).map((s) => `source ${s.key} learned nothing: test accuracy ${chanceText(s.chance!)}`);
  for (const p of summary) {
    const arms: [string, ChanceTest | null][] = [['final', p.chance.final], ['scratch', p.chance.scratch], ['transfer-only', p.chance.transferOnly]];
    const at = arms.filter(([, t]) => t?.atChance === true).map(([name, t]) => `${name} ${chanceText(t!)}`);
    if (at.length > 0) lines.push(`${pointLabel(p.point)}: at chance: ${at.join('; ')}`);
  }
  return lines;
}

export const SOURCE_COLUMNS = ['source', 'epochs', 'test scores', 'test accuracy vs chance', 'at chance'] as const;

/** The pretrained sources as table rows (summary.md and the report). */
export function sourceTable(sources: readonly SourceScores[]): string[][] {
  return sources.map((s) => [s.key, s.curve ? String(s.curve.length) : '-', metricsText(s.test),
    s.chance ? chanceText(s.chance) : 'not tested (cached by an older tlx: no confusion matrix)',
    s.chance == null ? '-' : s.chance.atChance ? 'yes' : 'no']);
}
