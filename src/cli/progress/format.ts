import type { ProgressSnapshot, RunningTask } from './progress-state.js';

/** "42s", "3m10s", "2h05m": a measured time. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
}

/** "<5s", "~40s", "~21m", "~2h05m": an estimate, no finer than it can be. */
export function formatEstimate(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 5) return '<5s';
  if (s < 60) return `~${Math.round(s / 5) * 5}s`;
  if (s < 3600) return `~${Math.round(s / 60)}m`;
  const m = Math.round(s / 60);
  return `~${Math.floor(m / 60)}h${pad(m % 60)}m`;
}

/**
 * "12/96 done, 0 failed, best 0.8712, 3m10s elapsed, ~21m left"; with a search's
 * budget it leads with the budget spent. `final`: the run has ended, so no estimate,
 * and tasks that never finished are counted.
 */
export function summaryLine(s: ProgressSnapshot, final = false): string {
  const parts: string[] = [];
  if (s.budget) parts.push(`budget ${s.budget.used}/${s.budget.total} ${s.budget.unit}`);
  parts.push(`${s.done}/${s.total} ${s.budget ? 'tasks ' : ''}done${s.cached > 0 ? ` (${s.cached} from the cache)` : ''}`);
  parts.push(`${s.failed} failed`);
  if (s.best != null) parts.push(`best ${s.best.toFixed(4)}`);
  parts.push(`${formatDuration(s.elapsedSeconds)} elapsed`);
  const unfinished = s.total - s.done - s.failed;
  if (final) {
    if (unfinished > 0) parts.push(`${unfinished} not run`);
  } else if (unfinished > 0 && s.leftSeconds != null) parts.push(`${formatEstimate(s.leftSeconds)} left`);
  return parts.join(', ');
}

/** "trial t1 {...}  epoch 3/10  val 0.8123  1m02s": a running task's row. */
export function runningText(t: RunningTask): string {
  const epoch = t.epoch == null ? '' : `  epoch ${epochText(t.epoch)}/${t.epochs}`;
  const score = t.score == null ? '' : `  val ${t.score.toFixed(4)}`;
  return `${t.label}${epoch}${score}  ${formatDuration(t.seconds)}`;
}

/** Validation within an epoch (train.validateEvery) puts points at fractions of one: 1/3 reads 0.33. */
export function epochText(epoch: number): string {
  return String(Number(epoch.toFixed(2)));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
