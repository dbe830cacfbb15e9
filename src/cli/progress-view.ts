import { Listr, type ListrTaskWrapper } from 'listr2';
import type { RunObserver, TaskKind } from '../execute/run-experiment.js';

interface Row {
  readonly label: string;
  task?: ListrTaskWrapper<unknown, never, never>;
  /** Settles the row; cleared once called. */
  done?: (outcome: { ok: boolean; message?: string }) => void;
}

/**
 * The run's progress: on a terminal, listr2 with one row per task (epoch and
 * validation score as they come); elsewhere (CI, pipes) one plain line per event.
 */
export function progressView(tty: boolean, write: (text: string) => void): { observer: RunObserver; finish(): Promise<void> } {
  const rows = new Map<string, Row>();
  let listr: Promise<unknown> = Promise.resolve();
  const plain: RunObserver = {
    planned: (tasks) => {
      for (const t of tasks) rows.set(t.key, { label: t.label });
      write(`${tasks.length} tasks to run\n`);
    },
    started: (key) => write(`start   ${rows.get(key)?.label ?? key}\n`),
    progress: (p) => write(`        ${rows.get(p.key)?.label ?? p.key}: epoch ${epochText(p.epoch)}/${p.epochs}${p.score == null ? '' : `, validation ${p.score.toFixed(4)}`}\n`),
    finished: (key, o) => write(`${o.ok ? 'done  ' : 'FAILED'}  ${rows.get(key)?.label ?? key}${o.message ? `: ${o.message}` : ''}\n`),
  };
  if (!tty) return { observer: plain, finish: async () => undefined };
  const observer: RunObserver = {
    planned: (tasks: readonly { key: string; kind: TaskKind; label: string }[]) => {
      for (const t of tasks) rows.set(t.key, { label: t.label });
      listr = new Listr(tasks.map((t) => ({
        title: t.label,
        task: (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) => new Promise<void>((resolve, reject) => {
          const row = rows.get(t.key)!;
          row.task = task;
          row.done = (o) => {
            row.done = undefined;
            if (o.ok) resolve();
            else reject(new Error(o.message ?? 'failed'));
          };
        }),
      })), { concurrent: true, exitOnError: false }).run().catch(() => undefined);
    },
    progress: (p) => {
      const row = rows.get(p.key);
      if (row?.task) row.task.title = `${row.label}  epoch ${epochText(p.epoch)}/${p.epochs}${p.score == null ? '' : `  val ${p.score.toFixed(4)}`}`;
    },
    finished: (key, o) => rows.get(key)?.done?.(o),
  };
  // Rows of tasks that never ran (an interrupted run) are closed so listr ends.
  const finish = async () => {
    for (const row of rows.values()) row.done?.({ ok: false, message: 'not run' });
    await listr;
  };
  return { observer, finish };
}

// Validation within an epoch (train.validateEvery) puts points at fractions of one: 1/3 reads 0.33.
function epochText(epoch: number): string {
  return String(Number(epoch.toFixed(2)));
}
