import type { Metric } from '../config/resolved.js';
import { chanceVerdict } from '../indicators/chance.js';
import { type Estimate, estimate, pairedVerdict, ratioEstimate, type Verdict } from '../indicators/statistics.js';
import type { GridPoint } from '../plan/grid.js';
import { CHANCE_NOTE, chanceLines, SOURCE_COLUMNS, sourceTable } from './chance-lines.js';
import { formatEstimate, formatRatio, pointLabel } from './format-estimate.js';
import type { SourceScores } from './manifest.js';
import { type PointChance, pointChance } from './point-chance.js';
import type { TrialRecord } from './trial-record.js';

/** One metric at one grid point over its repeats. */
export interface MetricSummary {
  readonly metric: Metric;
  readonly transferOnly: Estimate;
  readonly final: Estimate;
  readonly scratch: Estimate;
  /** Paired: final - scratch of the same seed (same data split). */
  readonly difference: Estimate;
  /** The paired verdict, or what replaces it when final or scratch ended at chance. */
  readonly verdict: Verdict;
  readonly why: string;
}

/** Epochs and wall seconds to the target, for the repeats that reached it. */
export interface ToTarget {
  readonly epochs: Estimate;
  readonly seconds: Estimate;
}

/** Time-to-target at one grid point; a ratio only exists where both arms got there. */
export interface TargetSummary {
  readonly target: Estimate;
  readonly transfer: ToTarget;
  readonly scratch: ToTarget;
  /** scratch / transfer per seed: geometric mean, interval on the log scale. */
  readonly speedup: ToTarget;
  /** Repeats by which arm reached the target; never folded into the ratio as 0 or infinity. */
  readonly reached: { readonly both: number; readonly transferOnly: number; readonly scratchOnly: number; readonly neither: number };
}

/** One grid point over its repeats. */
export interface PointSummary {
  readonly pointId: string;
  readonly point: GridPoint;
  readonly repeats: number;
  readonly failed: number;
  readonly diverged: number;
  /** Every recorded metric, the primary one first. */
  readonly metrics: readonly MetricSummary[];
  /** null when no repeat could measure it (no scratch baseline for a relative target). */
  readonly timeToTarget: TargetSummary | null;
  /** Why no repeat has a scratch baseline although one was asked for (a graph-model source). */
  readonly scratchUnavailable?: string;
  /** Whether the source, the probe, the transferred model and the baseline learned anything. */
  readonly chance: PointChance;
}

const finite = (vs: readonly (number | null | undefined)[]): number[] => vs.filter((v): v is number => v != null && Number.isFinite(v));

function metricSummary(ok: readonly TrialRecord[], metric: Metric, chance: PointChance): MetricSummary {
  // Only repeats with both arms enter the paired differences.
  const differences = finite(ok.map((r) => (r.scratch && r.test ? (r.test[metric] ?? NaN) - (r.scratch.test[metric] ?? NaN) : null)));
  const paired = pairedVerdict(differences);
  const { verdict, why } = chanceVerdict(chance.final, chance.scratch) ?? paired;
  return {
    metric,
    transferOnly: estimate(finite(ok.map((r) => r.indicators?.transferOnly?.test[metric]))),
    final: estimate(finite(ok.map((r) => r.test?.[metric]))),
    scratch: estimate(finite(ok.map((r) => r.scratch?.test[metric]))),
    difference: estimate(differences),
    verdict,
    why,
  };
}

function targetSummary(ok: readonly TrialRecord[]): TargetSummary | null {
  const ts = ok.map((r) => r.indicators?.timeToTarget).filter((t) => t != null);
  if (ts.length === 0) return null;
  const both = ts.filter((t) => t.transfer && t.scratch);
  return {
    target: estimate(ts.map((t) => t.target)),
    transfer: { epochs: estimate(finite(ts.map((t) => t.transfer?.epochs))), seconds: estimate(finite(ts.map((t) => t.transfer?.seconds))) },
    scratch: { epochs: estimate(finite(ts.map((t) => t.scratch?.epochs))), seconds: estimate(finite(ts.map((t) => t.scratch?.seconds))) },
    speedup: {
      epochs: ratioEstimate(finite(both.map((t) => t.speedup?.epochs))),
      seconds: ratioEstimate(finite(both.map((t) => t.speedup?.seconds))),
    },
    reached: {
      both: both.length,
      transferOnly: ts.filter((t) => t.transfer && !t.scratch).length,
      scratchOnly: ts.filter((t) => !t.transfer && t.scratch).length,
      neither: ts.filter((t) => !t.transfer && !t.scratch).length,
    },
  };
}

/** The metrics the records hold, the primary first. */
function recordedMetrics(records: readonly TrialRecord[], primary: Metric): Metric[] {
  const seen = new Set<Metric>([primary]);
  for (const r of records) for (const m of Object.keys(r.test ?? {}) as Metric[]) seen.add(m);
  return [...seen];
}

/**
 * Per grid point over its repeats: every metric and indicator with its 95% interval,
 * and whether each model learned anything (`sources`: the run's pretrained sources).
 */
export function summarize(records: readonly TrialRecord[], metric: Metric, sources: readonly SourceScores[] = []): PointSummary[] {
  const metrics = recordedMetrics(records, metric);
  const byPoint = new Map<string, TrialRecord[]>();
  for (const r of records) byPoint.set(r.pointId, [...(byPoint.get(r.pointId) ?? []), r]);
  return [...byPoint.values()].map((rs) => {
    const ok = rs.filter((r) => r.status !== 'failed');
    const unavailable = ok.some((r) => r.scratch) ? undefined : ok.find((r) => r.scratchUnavailable != null)?.scratchUnavailable;
    const chance = pointChance(ok, sources);
    return {
      pointId: rs[0]!.pointId,
      point: rs[0]!.point,
      repeats: rs.length,
      failed: rs.length - ok.length,
      diverged: rs.filter((r) => r.status === 'diverged').length,
      metrics: metrics.map((m) => metricSummary(ok, m, chance)),
      timeToTarget: targetSummary(ok),
      ...(unavailable != null ? { scratchUnavailable: unavailable } : {}),
      chance,
    };
  });
}

/** The speed-up in epochs, or which arm did not reach the target. */
export function speedupText(t: TargetSummary | null): string {
  if (t == null) return '-';
  if (t.reached.both > 0) return formatRatio(t.speedup.epochs);
  if (t.reached.transferOnly > 0) return 'scratch not reached';
  if (t.reached.scratchOnly > 0) return 'transfer not reached';
  return 'not reached';
}

/** Repeats that reached the target, transfer and scratch, of those that ran; null when not measured. */
export function reachedCounts(s: PointSummary): { transfer: number; scratch: number; of: number } | null {
  const t = s.timeToTarget;
  return t && { transfer: t.reached.both + t.reached.transferOnly, scratch: t.reached.both + t.reached.scratchOnly, of: s.repeats - s.failed };
}

function reachedText(s: PointSummary): string {
  const r = reachedCounts(s);
  return r ? `${r.transfer}/${r.of} vs ${r.scratch}/${r.of}` : '-';
}

/**
 * The scratch score and the verdict as the tables show them: `unavailable` where no
 * baseline could be trained (unless the transferred model itself ended at chance).
 */
function scratchCells(s: PointSummary, m: MetricSummary): { scratch: string; verdict: string } {
  if (s.scratchUnavailable == null) return { scratch: formatEstimate(m.scratch), verdict: m.verdict };
  return { scratch: 'unavailable', verdict: m.verdict === 'transfer at chance' ? m.verdict : 'unavailable' };
}

export const SUMMARY_COLUMNS = ['grid point', 'n', 'transfer-only', 'final', 'scratch', 'final - scratch', 'verdict', 'speed-up (epochs)', 'reached target'] as const;

/** Rows of the summary table (primary metric), formatted: mean ± 95% CI half-width. */
export function summaryRows(summary: readonly PointSummary[]): string[][] {
  return summary.map((s) => {
    const m = s.metrics[0]!;
    const { scratch, verdict } = scratchCells(s, m);
    return [pointLabel(s.point), String(s.repeats - s.failed), formatEstimate(m.transferOnly), formatEstimate(m.final), scratch,
      formatEstimate(m.difference), verdict, speedupText(s.timeToTarget), reachedText(s)];
  });
}

const est = (e: Estimate) => [e.n ? e.mean : null, e.low, e.high];
const estColumns = (name: string) => [`${name}_mean`, `${name}_low`, `${name}_high`];

const CHANCE_KEYS = { source: 'source', transfer_only: 'transferOnly', final: 'final', scratch: 'scratch' } as const satisfies Record<string, keyof PointChance>;
const CHANCE_ARMS = Object.keys(CHANCE_KEYS) as (keyof typeof CHANCE_KEYS)[];

export function summaryCsv(summary: readonly PointSummary[]): string {
  const metrics = summary[0]?.metrics.map((m) => m.metric) ?? [];
  const header = ['point', 'n', 'failed', 'diverged',
    ...metrics.flatMap((m) => [...['transfer_only', 'final', 'scratch', 'difference'].flatMap((k) => estColumns(`${m}_${k}`)), `${m}_verdict`]),
    ...estColumns('target'), ...estColumns('transfer_epochs_to_target'), ...estColumns('scratch_epochs_to_target'),
    ...estColumns('speedup_epochs'), ...estColumns('speedup_seconds'),
    'reached_both', 'reached_transfer_only', 'reached_scratch_only', 'reached_neither',
    ...CHANCE_ARMS.flatMap((a) => [`${a}_chance_rate`, `${a}_chance_p`, `${a}_at_chance`])];
  const cell = (v: unknown) => (v == null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const none: Estimate = { n: 0, mean: NaN, low: null, high: null };
  const rows = summary.map((s) => {
    const t = s.timeToTarget;
    return [pointLabel(s.point), s.repeats - s.failed, s.failed, s.diverged,
      ...s.metrics.flatMap((m) => [...est(m.transferOnly), ...est(m.final), ...est(m.scratch), ...est(m.difference), scratchCells(s, m).verdict]),
      ...[t?.target, t?.transfer.epochs, t?.scratch.epochs, t?.speedup.epochs, t?.speedup.seconds].flatMap((e) => est(e ?? none)),
      ...(t ? [t.reached.both, t.reached.transferOnly, t.reached.scratchOnly, t.reached.neither] : [null, null, null, null]),
      ...CHANCE_ARMS.flatMap((a) => {
        const c = s.chance[CHANCE_KEYS[a]];
        return c ? [c.chance, c.p, c.atChance] : [null, null, null];
      })];
  });
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

export const METRIC_COLUMNS = ['grid point', 'metric', 'transfer-only', 'final', 'scratch', 'final - scratch', 'verdict'] as const;

/** Every metric of every grid point, formatted like the summary table. */
export function metricRows(summary: readonly PointSummary[]): string[][] {
  return summary.flatMap((s) => s.metrics.map((m) => [pointLabel(s.point), m.metric, formatEstimate(m.transferOnly),
    formatEstimate(m.final), scratchCells(s, m).scratch, formatEstimate(m.difference), scratchCells(s, m).verdict]));
}

export const TARGET_COLUMNS = ['grid point', 'target', 'transfer epochs', 'scratch epochs', 'speed-up (epochs)', 'speed-up (seconds)',
  'reached: both / transfer only / scratch only / neither'] as const;

/** Time-to-target of every grid point that measured it. */
export function targetRows(summary: readonly PointSummary[]): string[][] {
  return summary.flatMap((s) => {
    const t = s.timeToTarget;
    if (t == null) return [];
    return [[pointLabel(s.point), formatEstimate(t.target), formatEstimate(t.transfer.epochs, 2), formatEstimate(t.scratch.epochs, 2),
      formatRatio(t.speedup.epochs), formatRatio(t.speedup.seconds), `${t.reached.both} / ${t.reached.transferOnly} / ${t.reached.scratchOnly} / ${t.reached.neither}`]];
  });
}

/** How the time-to-target numbers are made, for the files and the report alike. */
export const TARGET_NOTE = 'Epochs to the first validation score at or above the target, over the repeats that reached it. ' +
  'Speed-up: scratch / transfer per seed where both reached it, geometric mean [95% interval on the log scale]; ' +
  'repeats where one arm or neither reached it are counted, not averaged.';

/**
 * summary.md: the tables, each grid point's verdict in words, what ended at chance, and
 * the sources' own scores; `preface`: lines put under the title (a search's best configuration).
 */
export function summaryMarkdown(summary: readonly PointSummary[], title: string, metric: Metric, sources: readonly SourceScores[] = [],
  preface: readonly string[] = []): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const table = (columns: readonly string[], rows: readonly string[][]) => [line(columns), line(columns.map(() => '---')), ...rows.map(line)];
  const atChance = chanceLines(summary, sources);
  return [
    `# ${title}`,
    '',
    ...preface,
    ...(atChance.length > 0 ? ['## At chance', '', CHANCE_NOTE, '', ...atChance.map((l) => `- ${l}`), ''] : []),
    `Test ${metric}, mean ± 95% confidence half-width over repeats (Student t). ` +
      'Verdict from the paired per-seed differences final - scratch.',
    '',
    ...table(SUMMARY_COLUMNS, summaryRows(summary)),
    '',
    ...summary.map((s) => `- ${pointLabel(s.point)}: ` +
      (s.scratchUnavailable != null ? `scratch baseline unavailable (${s.scratchUnavailable})` : `${s.metrics[0]!.verdict} (${s.metrics[0]!.why})`) +
      (s.failed + s.diverged > 0 ? `; ${s.failed} failed, ${s.diverged} diverged` : '')),
    '',
    ...(sources.length > 0 ? ['## Source model', '', 'The pretrained source on the test split of its own task. ' + CHANCE_NOTE, '',
      ...table(SOURCE_COLUMNS, sourceTable(sources)), ''] : []),
    '## Every metric',
    '',
    ...table(METRIC_COLUMNS, metricRows(summary)),
    '',
    '## Time to target',
    '',
    TARGET_NOTE,
    '',
    ...table(TARGET_COLUMNS, targetRows(summary)),
    '',
  ].join('\n');
}
