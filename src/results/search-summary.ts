import type { Metric } from '../config/resolved.js';
import { type Estimate, estimate } from '../indicators/statistics.js';
import type { GridPoint } from '../plan/grid.js';
import type { PointSummary } from './summary.js';
import type { SearchMark, TrialRecord } from './trial-record.js';
import { validationScore } from './objective.js';

/** One configuration at one rung (the only rung, 0, without ASHA): its repeats' test scores. */
export interface RungScore {
  readonly rung: number;
  /** Epochs trained to at this rung. */
  readonly epochs: number;
  /** Repeats with a record here (a failed one counts: it finished). */
  readonly present: number;
  /** Mean and 95% interval of the test score over the repeats that did not fail. */
  readonly score: Estimate;
  /** Mean of their validation scores (objective.ts): what configurations are ranked by, as the search ranked them. */
  readonly validation: number;
  /** Every repeat is present and at least one has a score: only then does the mean count. */
  readonly complete: boolean;
  /** It has a record at the next rung (ASHA promoted it). */
  readonly promoted: boolean;
}

/** One configuration the search proposed, with every rung it reached. */
export interface SearchConfiguration {
  readonly suggestion: number;
  readonly pointId: string;
  readonly point: GridPoint;
  /** Lowest rung first. */
  readonly rungs: readonly RungScore[];
  /** Its highest complete rung, null while none is. */
  readonly top: RungScore | null;
}

/** The best score so far after one record of trials.jsonl, against the compute spent up to it. */
export interface ProgressStep {
  /** Epochs trained, summed over every record so far (superseded rungs included). */
  readonly epochs: number;
  /** Trial seconds summed the same way: compute, not wall time (trials run side by side). */
  readonly seconds: number;
  /** Best complete configuration mean at the full epochs (see fullEpochs); null before the first. */
  readonly best: number | null;
  /** Best complete configuration mean at any rung (differs from best only under ASHA). */
  readonly bestAnyRung: number | null;
}

/** How many configurations reached a rung and how many of them went on to the next. */
export interface RungCount {
  readonly rung: number;
  readonly epochs: number;
  readonly reached: number;
  readonly promoted: number;
}

/** A search's configurations, its progress against compute and its rungs, from the raw trial log. */
export interface SearchSummary {
  readonly strategy: SearchMark['strategy'];
  readonly metric: Metric;
  readonly repeats: number;
  /** In the order the search proposed them. */
  readonly configurations: readonly SearchConfiguration[];
  readonly progress: readonly ProgressStep[];
  readonly rungs: readonly RungCount[];
  /** The most epochs any configuration was trained to: the top rung under ASHA, train.epochs otherwise. */
  readonly fullEpochs: number;
  /** Complete configurations at fullEpochs, best mean first (ties: the earlier suggestion). */
  readonly ranked: readonly { readonly configuration: SearchConfiguration; readonly score: RungScore }[];
  readonly compute: { readonly epochs: number; readonly seconds: number };
  /** Whether records carry rungs (ASHA). */
  readonly rungsUsed: boolean;
}

type Marked = TrialRecord & { readonly search: SearchMark };

const rungOf = (r: Marked) => r.search.rung ?? 0;
const scoreOf = (r: TrialRecord, metric: Metric) => r.test?.[metric];
const finite = (vs: readonly (number | null | undefined)[]) => vs.filter((v): v is number => v != null && Number.isFinite(v));

/** The most epochs any record that did not fail was trained to; 0 for none. */
export function fullEpochsOf(records: readonly TrialRecord[]): number {
  return Math.max(0, ...records.flatMap((r) => (r.search && r.status !== 'failed' ? [r.search.epochs] : [])));
}

/**
 * The records of one configuration at one rung, a repeat's failure superseded by its
 * later success (like latestRecords, per rung).
 */
class RungRecords {
  private readonly byRepeat = new Map<number, Marked>();
  add(r: Marked): void {
    if (r.status !== 'failed' || !this.byRepeat.has(r.repeat)) this.byRepeat.set(r.repeat, r);
  }
  score(metric: Metric, repeats: number, promoted: boolean): RungScore {
    const rs = [...this.byRepeat.values()];
    const ok = rs.filter((r) => r.status !== 'failed');
    const score = estimate(finite(ok.map((r) => scoreOf(r, metric))));
    const validation = estimate(finite(ok.map((r) => validationScore(r, metric)))).mean;
    return { rung: rungOf(rs[0]!), epochs: Math.max(...rs.map((r) => r.search.epochs)), present: rs.length, score, validation,
      complete: rs.length >= repeats && score.n > 0, promoted };
  }
}

/**
 * Summarizes a search from its whole trial log in file order (readTrials, not
 * latestRecords: a promoted ASHA trial's earlier rungs count as compute and as rung
 * scores). `repeats`: the experiment's repeats per configuration. null for a grid.
 */
export function searchSummary(log: readonly TrialRecord[], metric: Metric, repeats: number): SearchSummary | null {
  const marked = log.filter((r): r is Marked => r.search != null);
  if (marked.length === 0) return null;
  const fullEpochs = fullEpochsOf(marked);
  // A configuration is its point: an ASHA promotion is a suggestion of its own, continuing the same point's trials.
  const cells = new Map<string, Map<number, RungRecords>>();
  const cell = (r: Marked) => {
    const rungs = cells.get(r.pointId) ?? new Map<number, RungRecords>();
    cells.set(r.pointId, rungs);
    const at = rungs.get(rungOf(r)) ?? new RungRecords();
    rungs.set(rungOf(r), at);
    return at;
  };
  // Progress: after each record, the best of the configuration means complete so far.
  const means = new Map<string, { mean: number; validation: number; full: boolean }>();
  const progress: ProgressStep[] = [];
  let [epochs, seconds] = [0, 0];
  for (const r of marked) {
    epochs += r.search.addedEpochs;
    seconds += r.search.addedSeconds;
    const at = cell(r);
    at.add(r);
    const s = at.score(metric, repeats, false);
    const key = `${r.pointId}/${rungOf(r)}`;
    if (s.complete) means.set(key, { mean: s.score.mean, validation: s.validation, full: s.epochs === fullEpochs });
    else means.delete(key);
    const values = [...means.values()];
    // The test score of the configuration the validation scores choose so far (choosing on test would flatter it).
    const chosen = (vs: typeof values) => (vs.length === 0 ? null : vs.reduce((a, b) => (b.validation > a.validation ? b : a)).mean);
    progress.push({ epochs, seconds, best: chosen(values.filter((v) => v.full)), bestAnyRung: chosen(values) });
  }
  // Each configuration's first suggestion (its lowest rung's) orders it.
  const first = new Map<string, Marked>();
  for (const r of marked) {
    const seen = first.get(r.pointId);
    if (seen == null || r.search.suggestion < seen.search.suggestion) first.set(r.pointId, r);
  }
  const configurations = [...cells.entries()].map(([pointId, rungs]): SearchConfiguration => {
    const scores = [...rungs.entries()].sort(([a], [b]) => a - b).map(([rung, at]) => at.score(metric, repeats, rungs.has(rung + 1)));
    const r = first.get(pointId)!;
    return { suggestion: r.search.suggestion, pointId, point: r.point, rungs: scores, top: scores.filter((s) => s.complete).at(-1) ?? null };
  }).sort((a, b) => a.suggestion - b.suggestion);
  const ranked = configurations.flatMap((configuration) => {
    const score = configuration.rungs.find((s) => s.complete && s.epochs === fullEpochs);
    return score ? [{ configuration, score }] : [];
  }).sort((a, b) => b.score.validation - a.score.validation || a.configuration.suggestion - b.configuration.suggestion);
  return {
    strategy: marked[0]!.search.strategy,
    metric,
    repeats,
    configurations,
    progress,
    rungs: rungCounts(configurations),
    fullEpochs,
    ranked,
    compute: { epochs, seconds },
    rungsUsed: marked.some((r) => r.search.rung != null),
  };
}

function rungCounts(configurations: readonly SearchConfiguration[]): RungCount[] {
  const all = configurations.flatMap((c) => c.rungs);
  const rungs = [...new Set(all.map((s) => s.rung))].sort((a, b) => a - b);
  return rungs.map((rung) => {
    const at = all.filter((s) => s.rung === rung);
    return { rung, epochs: Math.max(...at.map((s) => s.epochs)), reached: at.length, promoted: at.filter((s) => s.promoted).length };
  });
}

/**
 * The parameters a search varied: the keys of its configurations' points that take
 * more than one value, in first-seen order (all keys while only one configuration ran).
 */
export function searchedKeys(configurations: readonly SearchConfiguration[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const c of configurations) {
    for (const [k, v] of Object.entries(c.point)) values.set(k, (values.get(k) ?? new Set()).add(JSON.stringify(v)));
  }
  const varying = [...values.entries()].filter(([, vs]) => vs.size > 1).map(([k]) => k);
  return varying.length > 0 ? varying : [...values.keys()];
}

/** A search's per-point summaries in the order it proposed the configurations (it has no grid to follow). */
export function inSuggestionOrder(summary: readonly PointSummary[], search: SearchSummary): PointSummary[] {
  const rank = new Map<string, number>();
  for (const c of search.configurations) if (!rank.has(c.pointId)) rank.set(c.pointId, c.suggestion);
  const at = (s: PointSummary) => rank.get(s.pointId) ?? Number.MAX_SAFE_INTEGER;
  return [...summary].sort((a, b) => at(a) - at(b));
}
