import type { TaskKind } from '../../execute/run-experiment.js';

/**
 * Where a task stands. `queued`: handed to the worker pool, waiting for a worker;
 * `running`: holding one (see pool-queue.ts for how that is known); `dropped`: the
 * run was interrupted before it started.
 */
export type TaskStatus = 'waiting' | 'queued' | 'running' | 'done' | 'cached' | 'failed' | 'dropped';

/** The latest epoch a task reported, and when (clock milliseconds). */
export interface EpochReport {
  readonly epoch: number;
  readonly epochs: number;
  readonly score?: number;
  readonly at: number;
}

/** One task as the progress view knows it; times are clock milliseconds. */
export interface TaskState {
  readonly key: string;
  /** Absent for a task heard of before it was planned. */
  readonly kind?: TaskKind;
  readonly label: string;
  status: TaskStatus;
  queuedAt?: number;
  runningSince?: number;
  finishedAt?: number;
  progress?: EpochReport;
  message?: string;
  score?: number;
}

/** Seconds a finished task held a worker; undefined for one that never did (from the cache, never run). */
export function ranSeconds(t: TaskState): number | undefined {
  if (t.runningSince == null || t.finishedAt == null || (t.status !== 'done' && t.status !== 'failed')) return undefined;
  return Math.max(0, t.finishedAt - t.runningSince) / 1000;
}
