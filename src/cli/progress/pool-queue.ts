import type { TaskState } from './task-state.js';

/**
 * Which queued tasks hold a worker. The runner says `started` when it hands a task
 * to the pool, which may hold it until a worker is free, and the pool's size is not
 * reported. The pool takes tasks first come first served, so the running ones are
 * the oldest unfinished ones; how many is learned from evidence: a task that reports
 * an epoch or finishes is running, and so is every task queued before it.
 */
export interface PoolQueue {
  /** Workers known to exist: the most tasks seen running at once. */
  readonly workers: number;
  /** Unfinished tasks in the order they were handed to the pool. */
  readonly tasks: readonly TaskState[];
  add(task: TaskState, now: number): TaskState[];
  /** The task was seen running (it reported an epoch); returns the tasks newly known to run. */
  evidence(task: TaskState, now: number): TaskState[];
  /** The task left the pool (done or failed); returns the tasks that took its worker. */
  remove(task: TaskState, now: number): TaskState[];
  has(task: TaskState): boolean;
  /** The pool takes no more tasks (the run was interrupted): none is promoted after. */
  stop(): void;
}

/** A pool queue, empty, with one worker known (anything queued means one runs). */
export function poolQueue(): PoolQueue {
  const queue: TaskState[] = [];
  let workers = 1;
  let lastFreedAt = -Infinity;
  let stopped = false;

  // A task found running late started at the latest when a worker last came free or it was queued.
  const promote = (): TaskState[] => {
    const newly: TaskState[] = [];
    if (stopped) return newly;
    for (const t of queue.slice(0, workers)) {
      if (t.status !== 'queued') continue;
      t.status = 'running';
      t.runningSince = Math.max(t.queuedAt ?? lastFreedAt, lastFreedAt);
      newly.push(t);
    }
    return newly;
  };
  const witness = (task: TaskState) => {
    const at = queue.indexOf(task);
    if (at >= 0) workers = Math.max(workers, at + 1);
  };

  return {
    get workers() {
      return workers;
    },
    tasks: queue,
    add(task, now) {
      task.status = 'queued';
      task.queuedAt = now;
      queue.push(task);
      return promote();
    },
    evidence(task) {
      witness(task);
      return promote();
    },
    remove(task, now) {
      witness(task);
      const newly = promote().filter((t) => t !== task);
      queue.splice(queue.indexOf(task), 1);
      lastFreedAt = now;
      return [...newly, ...promote()];
    },
    has: (task) => queue.includes(task),
    stop() {
      stopped = true;
    },
  };
}
