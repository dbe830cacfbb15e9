import type { BudgetUse, TaskKind } from '../../execute/run-experiment.js';
import { NOT_STARTED, type TaskProgress } from '../../execute/worker-pool.js';
import { secondsLeft } from './estimate.js';
import { poolQueue } from './pool-queue.js';
import type { TaskState } from './task-state.js';

/** The message the runner gives a task it read from the cache instead of running. */
export const FROM_CACHE = 'from the cache';

/** A running task as a view shows it. */
export interface RunningTask {
  readonly key: string;
  readonly label: string;
  /** Seconds it has held a worker. */
  readonly seconds: number;
  readonly epoch?: number;
  readonly epochs?: number;
  readonly score?: number;
}

/** The run at one moment: what the summary line says. */
export interface ProgressSnapshot {
  readonly total: number;
  /** Finished fine, counting those from the cache. */
  readonly done: number;
  readonly cached: number;
  readonly failed: number;
  /** Running, oldest first. */
  readonly running: readonly RunningTask[];
  /** Handed to the pool, waiting for a worker. */
  readonly queued: number;
  /** The best score of a finished trial (higher is better). */
  readonly best?: number;
  readonly elapsedSeconds: number;
  readonly leftSeconds?: number;
  readonly budget?: BudgetUse;
}

/** Each event method returns the tasks it made known to be running (for a plain view's "start" lines). */
export interface ProgressState {
  planned(tasks: readonly { key: string; kind: TaskKind; label: string }[]): TaskState[];
  started(key: string): TaskState[];
  running(key: string): TaskState[];
  progress(p: TaskProgress): TaskState[];
  finished(key: string, outcome: { ok: boolean; message?: string; score?: number }): TaskState[];
  budget(use: BudgetUse): void;
  task(key: string): TaskState | undefined;
  snapshot(): ProgressSnapshot;
}

/** The progress of a run, fed the runner's events; `now` is a clock in milliseconds (tests pass a fake one). */
export function progressState(now: () => number): ProgressState {
  const startedAt = now();
  const tasks = new Map<string, TaskState>();
  const queue = poolQueue();
  let best: number | undefined;
  let budget: BudgetUse | undefined;

  // Events may name a task not planned (yet): it is kept under its key.
  const get = (key: string): TaskState => {
    let t = tasks.get(key);
    if (t == null) tasks.set(key, (t = { key, label: key, status: 'waiting' }));
    return t;
  };
  const enqueue = (t: TaskState): TaskState[] => {
    Object.assign(t, { runningSince: undefined, finishedAt: undefined, progress: undefined, message: undefined, score: undefined });
    return queue.add(t, now());
  };

  return {
    planned(list) {
      const added: TaskState[] = [];
      for (const { key, kind, label } of list) {
        const known = tasks.get(key);
        // A search plans a task again when a new configuration shares it: it is counted once.
        if (known?.kind != null) continue;
        // One heard of before it was planned keeps its object: the pool queue holds it.
        const t: TaskState = known ? Object.assign(known, { kind, label }) : { key, kind, label, status: 'waiting' };
        tasks.set(key, t);
        added.push(t);
      }
      return added;
    },
    started(key) {
      const t = get(key);
      return queue.has(t) ? [] : enqueue(t);
    },
    // The pool says when a worker takes a task: the surest evidence that it runs.
    running(key) {
      const t = get(key);
      if (!queue.has(t) && t.status !== 'waiting') return [];
      const newly = [...(queue.has(t) ? [] : enqueue(t)), ...queue.evidence(t, now())];
      // Told, not inferred: it started now (tasks queued before it may have started earlier).
      if (newly.includes(t)) t.runningSince = now();
      return newly;
    },
    progress(p) {
      const t = get(p.key);
      // A report after the end (it cannot come from the pool, which reports before it settles) changes nothing.
      if (!queue.has(t) && t.status !== 'waiting') return [];
      const newly = queue.has(t) ? [] : enqueue(t);
      t.progress = { epoch: p.epoch, epochs: p.epochs, ...(p.score == null ? {} : { score: p.score }), at: now() };
      return [...newly, ...queue.evidence(t, now())];
    },
    finished(key, outcome) {
      const t = get(key);
      const at = now();
      const dropped = !outcome.ok && outcome.message?.endsWith(NOT_STARTED) === true;
      // The pool turns tasks away once stopped: those still queued will not run.
      if (dropped) queue.stop();
      const newly = queue.has(t) ? queue.remove(t, at) : [];
      t.status = outcome.ok ? (t.runningSince == null && outcome.message === FROM_CACHE ? 'cached' : 'done') : dropped ? 'dropped' : 'failed';
      t.finishedAt = at;
      t.message = outcome.message;
      t.score = outcome.score;
      if (outcome.ok && outcome.score != null && Number.isFinite(outcome.score)) best = Math.max(best ?? -Infinity, outcome.score);
      return newly.filter((x) => x !== t);
    },
    budget(use) {
      budget = use;
    },
    task: (key) => tasks.get(key),
    snapshot() {
      const at = now();
      const all = [...tasks.values()];
      const count = (...statuses: TaskState['status'][]) => all.filter((t) => statuses.includes(t.status)).length;
      const running = queue.tasks.filter((t) => t.status === 'running').map((t) => ({
        key: t.key,
        label: t.label,
        seconds: Math.max(0, at - (t.runningSince ?? at)) / 1000,
        ...(t.progress ? { epoch: t.progress.epoch, epochs: t.progress.epochs } : {}),
        ...(t.progress?.score == null ? {} : { score: t.progress.score }),
      }));
      const left = secondsLeft({ tasks: all, workers: queue.workers, now: at, ...(budget ? { budget } : {}) });
      return {
        total: all.length,
        done: count('done', 'cached'),
        cached: count('cached'),
        failed: count('failed'),
        running,
        queued: count('queued'),
        ...(best == null ? {} : { best }),
        elapsedSeconds: (at - startedAt) / 1000,
        ...(left == null ? {} : { leftSeconds: left }),
        ...(budget ? { budget } : {}),
      };
    },
  };
}
