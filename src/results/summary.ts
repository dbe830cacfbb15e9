import type { Metric } from '../config/resolved.js';
import { type Estimate, estimate, pairedVerdict, type Verdict } from '../indicators/statistics.js';
import type { GridPoint } from '../plan/grid.js';
import type { TrialRecord } from './trial-record.js';

/** One grid point over its repeats. */
export interface PointSummary {
  readonly pointId: string;
  readonly point: GridPoint;
  readonly repeats: number;
  readonly failed: number;
  readonly transferOnly: Estimate;
  readonly final: Estimate;
  readonly scratch: Estimate;
  readonly difference: Estimate;
  readonly verdict: Verdict;
  readonly why: string;
  /** Speed-up in epochs where both reached the target; how many did. */
  readonly speedup: Estimate;
  readonly reached: { readonly transfer: number; readonly scratch: number };
}

export function summarize(records: readonly TrialRecord[], metric: Metric): PointSummary[] {
  const byPoint = new Map<string, TrialRecord[]>();
  for (const r of records) byPoint.set(r.pointId, [...(byPoint.get(r.pointId) ?? []), r]);
  return [...byPoint.values()].map((rs) => {
    const ok = rs.filter((r) => r.status !== 'failed');
    const values = (f: (r: TrialRecord) => number | undefined) => ok.map(f).filter((v): v is number => v != null && Number.isFinite(v));
    const differences = values((r) => r.indicators?.finalVsScratch?.difference);
    const { verdict, why } = pairedVerdict(differences);
    const ttt = ok.map((r) => r.indicators?.timeToTarget);
    return {
      pointId: rs[0]!.pointId,
      point: rs[0]!.point,
      repeats: rs.length,
      failed: rs.length - ok.length,
      transferOnly: estimate(values((r) => r.indicators?.transferOnly?.test[metric])),
      final: estimate(values((r) => r.test?.[metric])),
      scratch: estimate(values((r) => r.scratch?.test[metric])),
      difference: estimate(differences),
      verdict,
      why,
      speedup: estimate(ttt.map((t) => t?.speedup?.epochs).filter((v): v is number => v != null)),
      reached: { transfer: ttt.filter((t) => t?.transfer).length, scratch: ttt.filter((t) => t?.scratch).length },
    };
  });
}

function fmt(e: Estimate, digits = 3): string {
  if (e.n === 0 || !Number.isFinite(e.mean)) return '-';
  if (e.low == null || e.high == null) return e.mean.toFixed(digits);
  return `${e.mean.toFixed(digits)} ± ${((e.high - e.low) / 2).toFixed(digits)}`;
}

function pointLabel(point: GridPoint): string {
  const entries = Object.entries(point);
  return entries.length === 0 ? '(no grid)' : entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
}

export const SUMMARY_COLUMNS = ['grid point', 'n', 'transfer-only', 'final', 'scratch', 'final - scratch', 'verdict', 'speed-up (epochs)', 'reached target'] as const;

/** Rows of the summary table, formatted: mean ± 95% CI half-width. */
export function summaryRows(summary: readonly PointSummary[]): string[][] {
  return summary.map((s) => [
    pointLabel(s.point), String(s.repeats - s.failed), fmt(s.transferOnly), fmt(s.final), fmt(s.scratch),
    fmt(s.difference), s.verdict, s.speedup.n > 0 ? `${fmt(s.speedup, 2)}x` : 'not reached',
    `${s.reached.transfer}/${s.repeats} vs ${s.reached.scratch}/${s.repeats}`,
  ]);
}

export function summaryCsv(summary: readonly PointSummary[]): string {
  const header = ['point', 'n', 'failed', 'transfer_only_mean', 'transfer_only_low', 'transfer_only_high', 'final_mean', 'final_low', 'final_high',
    'scratch_mean', 'scratch_low', 'scratch_high', 'difference_mean', 'difference_low', 'difference_high', 'verdict',
    'speedup_epochs_mean', 'reached_transfer', 'reached_scratch'];
  const cell = (v: unknown) => (v == null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const est = (e: Estimate) => [e.n ? e.mean : null, e.low, e.high];
  const rows = summary.map((s) => [pointLabel(s.point), s.repeats - s.failed, s.failed, ...est(s.transferOnly), ...est(s.final),
    ...est(s.scratch), ...est(s.difference), s.verdict, s.speedup.n ? s.speedup.mean : null, s.reached.transfer, s.reached.scratch]);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

export function summaryMarkdown(summary: readonly PointSummary[], title: string, metric: Metric): string {
  const rows = summaryRows(summary);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    `# ${title}`,
    '',
    `Test ${metric}, mean ± 95% confidence half-width over repeats (Student t). ` +
      'Verdict from the paired per-seed differences final - scratch.',
    '',
    line(SUMMARY_COLUMNS),
    line(SUMMARY_COLUMNS.map(() => '---')),
    ...rows.map(line),
    '',
    ...summary.map((s) => `- ${pointLabel(s.point)}: ${s.verdict} (${s.why})`),
    '',
  ].join('\n');
}
