import type { RunObserver, TaskKind } from '../../../src/execute/run-experiment.js';

/** A task of a simulated run: its length, and the epochs it reports (0: none, like a probe). */
export interface SimTask {
  readonly key: string;
  readonly kind: TaskKind;
  readonly seconds: number;
  readonly epochs: number;
  readonly ok?: boolean;
  readonly score?: number;
}

export interface SimEvent {
  /** Clock milliseconds. */
  readonly at: number;
  readonly key: string;
  send(observer: RunObserver): void;
}

/**
 * The events a pool of `workers` taking tasks first come first served would send,
 * every task handed to it at time 0 in the given order (as the runner hands it its
 * scratch baselines and probes): when each really starts and ends is returned too.
 */
export function simulatePool(tasks: readonly SimTask[], workers: number): {
  events: SimEvent[]; start: Map<string, number>; end: Map<string, number>; last: number;
  /** The task that held the worker before (none: a worker free from the start). */
  before: Map<string, string | undefined>;
} {
  const free = Array.from({ length: workers }, () => 0);
  const held: (string | undefined)[] = Array.from({ length: workers }, () => undefined);
  const [start, end] = [new Map<string, number>(), new Map<string, number>()];
  const before = new Map<string, string | undefined>();
  const timed: { event: SimEvent; order: number }[] = [];
  tasks.forEach((t, i) => timed.push({ order: i, event: { at: 0, key: t.key, send: (o) => o.started?.(t.key) } }));
  for (const t of tasks) {
    const w = free.indexOf(Math.min(...free));
    const from = free[w]!;
    const to = from + t.seconds * 1000;
    free[w] = to;
    before.set(t.key, held[w]);
    held[w] = t.key;
    start.set(t.key, from);
    end.set(t.key, to);
    for (let e = 1; e <= t.epochs; e++) {
      const at = from + (t.seconds * 1000 * e) / t.epochs;
      timed.push({ order: timed.length, event: { at, key: t.key, send: (o) => o.progress?.({ key: t.key, epoch: e, epochs: t.epochs }) } });
    }
    const outcome = { ok: t.ok ?? true, ...(t.score == null ? {} : { score: t.score }) };
    timed.push({ order: timed.length, event: { at: to, key: t.key, send: (o) => o.finished?.(t.key, outcome) } });
  }
  // At one instant a task's last epoch comes before its end, and ends before the next task's news.
  timed.sort((a, b) => a.event.at - b.event.at || a.order - b.order);
  return { events: timed.map((x) => x.event), start, end, before, last: Math.max(...end.values()) };
}
