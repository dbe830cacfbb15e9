import type { RunObserver } from '../../execute/run-experiment.js';
import { epochText, summaryLine } from './format.js';
import type { ProgressState } from './progress-state.js';
import type { TaskState } from './task-state.js';

export interface PlainViewOptions {
  readonly state: ProgressState;
  readonly write: (text: string) => void;
  readonly now: () => number;
  /** Seconds between summary lines at the least, unless a tenth of the tasks finished since (default 60). */
  readonly summaryEvery?: number;
}

// Tasks run between two summary lines at the least, unless `summaryEvery` seconds passed.
const MIN_STEP = 5;

/**
 * Progress for logs and CI: one line per event; after a task finishes, a summary
 * line when a tenth of the tasks (five at the least) ran or `summaryEvery` seconds
 * passed since the last one: about ten in a quick sweep, one a minute in a slow
 * one; a last one at the end.
 */
export function plainView({ state, write, now, summaryEvery = 60 }: PlainViewOptions): { observer: RunObserver; finish(): Promise<void> } {
  let lastAt = now();
  let lastRan = 0;
  let planned = false;
  const starts = (tasks: readonly TaskState[]) => {
    for (const t of tasks) write(`start   ${t.label}\n`);
  };
  const maybeSummary = () => {
    const s = state.snapshot();
    // Cache hits come in bursts and take no time: they do not call for a summary.
    const ran = s.done - s.cached + s.failed;
    const step = Math.max(MIN_STEP, Math.ceil(s.total / 10));
    // The last task's is the one finish() writes.
    const due = s.done + s.failed < s.total && (ran - lastRan >= step || now() - lastAt >= summaryEvery * 1000);
    if (!due) return;
    write(`${summaryLine(s)}\n`);
    [lastAt, lastRan] = [now(), ran];
  };
  const observer: RunObserver = {
    planned: (tasks) => {
      const added = state.planned(tasks).length;
      if (!planned) write(`${added} tasks to run\n`);
      else if (added > 0) write(`${added} more tasks planned (${state.snapshot().total} in all)\n`);
      planned = true;
    },
    started: (key) => starts(state.started(key)),
    running: (key) => starts(state.running(key)),
    progress: (p) => {
      starts(state.progress(p));
      write(`        ${state.task(p.key)?.label ?? p.key}: epoch ${epochText(p.epoch)}/${p.epochs}${p.score == null ? '' : `, validation ${p.score.toFixed(4)}`}\n`);
    },
    finished: (key, o) => {
      const newly = state.finished(key, o);
      const status = state.task(key)?.status;
      const word = o.ok ? 'done' : status === 'dropped' ? 'not run' : 'FAILED';
      write(`${word.padEnd(8)}${state.task(key)?.label ?? key}${o.message ? `: ${o.message}` : ''}\n`);
      starts(newly);
      maybeSummary();
    },
    budget: (use) => state.budget(use),
  };
  const finish = async () => {
    if (planned) write(`${summaryLine(state.snapshot(), true)}\n`);
  };
  return { observer, finish };
}
