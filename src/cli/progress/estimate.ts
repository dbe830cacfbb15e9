import type { BudgetUse, TaskKind } from '../../execute/run-experiment.js';
import { ranSeconds, type TaskState } from './task-state.js';

/** What an estimate of the time left is made from; times are clock milliseconds. */
export interface EstimateInput {
  readonly tasks: readonly TaskState[];
  /** Workers the pool is known to have. */
  readonly workers: number;
  readonly now: number;
  /** A search's budget, when it reports one: the work left is the budget left. */
  readonly budget?: BudgetUse;
}

/**
 * Seconds until the run ends, from task times measured so far; undefined while
 * nothing measured says how long the work left takes.
 */
export function secondsLeft(input: EstimateInput): number | undefined {
  const running = input.tasks.filter((t) => t.status === 'running');
  const expected = expectedSeconds(input);
  const runningLeft = running.map((t) => runningSecondsLeft(t, input.now, expected(t.kind)));
  const known = runningLeft.every((s) => s != null);
  const longest = known ? Math.max(0, ...(runningLeft as number[])) : undefined;
  if (input.budget) {
    const rate = secondsPerUnit(input.tasks, input.budget.unit, input.now);
    if (rate == null) return undefined;
    const spread = (rate * unitsLeft(input.tasks, input.budget)) / Math.max(1, input.workers);
    return Math.max(spread, longest ?? 0);
  }
  if (longest == null) return undefined;
  let work = runningLeft.reduce<number>((sum, s) => sum + (s ?? 0), 0);
  for (const t of input.tasks.filter((x) => x.status === 'waiting' || x.status === 'queued')) {
    const s = expected(t.kind);
    if (s == null) return undefined;
    work += s;
  }
  return Math.max(longest, work / Math.max(1, input.workers));
}

/**
 * Seconds a task of a kind takes: the mean of those of its kind that ran, else the
 * projected length of those running, else the same over every kind.
 */
function expectedSeconds({ tasks, now }: EstimateInput): (kind: TaskKind | undefined) => number | undefined {
  const mean = (xs: readonly (number | undefined)[]) => {
    const known = xs.filter((x): x is number => x != null);
    return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0) / known.length;
  };
  const ran = (of: readonly TaskState[]) => mean(of.map(ranSeconds));
  const projected = (of: readonly TaskState[]) => mean(of.filter((t) => t.status === 'running').map((t) => projectedSeconds(t, now)));
  const overall = ran(tasks) ?? projected(tasks);
  const byKind = new Map<TaskKind | undefined, number | undefined>();
  return (kind) => {
    if (!byKind.has(kind)) {
      const same = tasks.filter((t) => t.kind === kind);
      byKind.set(kind, ran(same) ?? projected(same) ?? overall);
    }
    return byKind.get(kind);
  };
}

/** A running task's whole length, from the share of its epochs done by its last report. */
function projectedSeconds(t: TaskState, now: number): number | undefined {
  const p = t.progress;
  if (p == null || t.runningSince == null || p.epochs <= 0 || p.epoch <= 0) return undefined;
  const share = Math.min(1, p.epoch / p.epochs);
  // One running past its projection is at least as long as it has run so far.
  return Math.max((p.at - t.runningSince) / 1000 / share, (now - t.runningSince) / 1000);
}

function runningSecondsLeft(t: TaskState, now: number, expected: number | undefined): number | undefined {
  const whole = projectedSeconds(t, now) ?? expected;
  if (whole == null || t.runningSince == null) return undefined;
  return Math.max(0, whole - (now - t.runningSince) / 1000);
}

/**
 * Worker-seconds a unit of a search's budget costs: per trial, the time of the
 * tasks that ran over the fine-tunes finished; per epoch, the time of the tasks
 * (running ones so far) over the epochs fine-tunes trained. The pretrained source
 * is left out: it is trained once, not per trial.
 */
function secondsPerUnit(tasks: readonly TaskState[], unit: BudgetUse['unit'], now: number): number | undefined {
  const perTrial = tasks.filter((t) => t.kind !== 'pretrain');
  const finetunes = perTrial.filter((t) => t.kind === 'finetune');
  const ranTime = perTrial.reduce((sum, t) => sum + (ranSeconds(t) ?? 0), 0);
  if (unit === 'trials') {
    const trials = finetunes.filter((t) => ranSeconds(t) != null).length;
    return trials === 0 ? undefined : ranTime / trials;
  }
  const runningTime = perTrial.filter((t) => t.status === 'running' && t.runningSince != null)
    .reduce((sum, t) => sum + (now - t.runningSince!) / 1000, 0);
  const epochs = finetunes.filter((t) => t.status === 'running' || ranSeconds(t) != null)
    .reduce((sum, t) => sum + (t.progress?.epoch ?? 0), 0);
  return epochs === 0 ? undefined : (ranTime + runningTime) / epochs;
}

/**
 * The budget not yet spent, less what running fine-tunes have trained so far: a
 * search counts a trial's spend when its result comes.
 */
function unitsLeft(tasks: readonly TaskState[], budget: BudgetUse): number {
  const inFlight = tasks.filter((t) => t.kind === 'finetune' && t.status === 'running' && t.progress != null)
    .reduce((sum, t) => sum + (budget.unit === 'epochs' ? t.progress!.epoch : Math.min(1, t.progress!.epoch / Math.max(1, t.progress!.epochs))), 0);
  return Math.max(0, budget.total - budget.used - inFlight);
}
