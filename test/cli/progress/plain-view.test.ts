import { expect, it } from 'vitest';
import { plainView } from '../../../src/cli/progress/plain-view.js';
import { FROM_CACHE, progressState } from '../../../src/cli/progress/progress-state.js';
import { NOT_STARTED } from '../../../src/execute/worker-pool.js';
import { type SimTask, simulatePool } from './simulated-pool.js';

const SUMMARY = /^\d+\/\d+ done(?: \(\d+ from the cache\))?, \d+ failed(?:, best \d\.\d{4})?, \S+ elapsed(?:, (?:~|<)\S+ left)?(?:, \d+ not run)?$/;

function setup(summaryEvery?: number) {
  let t = 0;
  const now = () => t;
  const lines: string[] = [];
  let buffer = '';
  const view = plainView({
    state: progressState(now), now, ...(summaryEvery == null ? {} : { summaryEvery }),
    write: (text) => {
      buffer += text;
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
    },
  });
  return { view, o: view.observer, lines, set: (ms: number) => (t = ms), partial: () => buffer };
}

it('one whole line per event; a task is said to start when it takes a worker, not when it is queued', () => {
  const every = 10;
  const { o, lines, partial, set } = setup(every);
  o.planned!([{ key: 'a', kind: 'scratch', label: 'scratch a' }, { key: 'b', kind: 'scratch', label: 'scratch b' }, { key: 'c', kind: 'probe', label: 'probe c' }, { key: 'd', kind: 'scratch', label: 'scratch d' }, { key: 'e', kind: 'scratch', label: 'scratch e' }]);
  o.finished!('c', { ok: true, message: FROM_CACHE });
  for (const k of ['a', 'b', 'd', 'e']) o.started!(k);
  set(1000);
  o.progress!({ key: 'a', epoch: 1 / 3, epochs: 2, score: 0.5 });
  set(11_000);
  o.finished!('a', { ok: false, message: 'loss is NaN' });
  set(15_000);
  o.finished!('b', { ok: true });
  // Interrupted: the pool turns away what it had queued, taking each as a worker comes free.
  o.finished!('d', { ok: false, message: `d ${NOT_STARTED}` });
  o.finished!('e', { ok: false, message: `e ${NOT_STARTED}` });
  expect(lines.filter((l) => !SUMMARY.test(l))).toEqual([
    '5 tasks to run',
    'done    probe c: from the cache',
    'start   scratch a',
    '        scratch a: epoch 0.33/2, validation 0.5000',
    'FAILED  scratch a: loss is NaN',
    'start   scratch b',
    'done    scratch b',
    'start   scratch d',
    `not run scratch d: d ${NOT_STARTED}`,
    `not run scratch e: e ${NOT_STARTED}`,
  ]);
  expect(partial()).toBe('');
  // Few tasks: a summary once `every` seconds passed (at 11s, not at 15s). One worker: when a failed
  // after 11s, b, d and e are each expected to take as long.
  expect(lines.filter((l) => SUMMARY.test(l))).toEqual(['1/5 done (1 from the cache), 1 failed, 11s elapsed, ~35s left']);
});

it('a search planning more: the new tasks are announced with the total, a shared one is not counted again', () => {
  const { o, lines } = setup();
  o.planned!([{ key: 's', kind: 'scratch', label: 'scratch s' }, { key: 't1', kind: 'finetune', label: 'trial t1' }]);
  o.planned!([{ key: 's', kind: 'scratch', label: 'scratch s' }, { key: 't2', kind: 'finetune', label: 'trial t2' }]);
  o.planned!([{ key: 's', kind: 'scratch', label: 'scratch s' }]);
  expect(lines).toEqual(['2 tasks to run', '1 more tasks planned (3 in all)']);
});

it('a long sweep: summary lines about every tenth of the tasks (or minute), not one per task, and a last one', async () => {
  const count = 200;
  const tasks: SimTask[] = Array.from({ length: count }, (_, i) => ({ key: `t${i}`, kind: 'finetune', seconds: 1, epochs: 1, score: (i % 7) / 10 }));
  const sim = simulatePool(tasks, 4);
  const { view, o, lines, set } = setup(3600);
  o.planned!(tasks.map((t) => ({ key: t.key, kind: t.kind, label: `trial ${t.key}` })));
  for (const e of sim.events) {
    set(e.at);
    e.send(o);
  }
  await view.finish();
  const summaries = lines.filter((l) => SUMMARY.test(l));
  expect(summaries.length).toBeGreaterThanOrEqual(10);
  expect(summaries.length).toBeLessThanOrEqual(12);
  // Each says more done than the one before; the last, everything, with the best score.
  const done = summaries.map((l) => Number(/^(\d+)\//.exec(l)![1]));
  expect(done).toEqual([...done].sort((a, b) => a - b));
  expect(summaries.at(-1)).toBe(`${count}/${count} done, 0 failed, best ${Math.max(...tasks.map((t) => t.score!)).toFixed(4)}, ${sim.last / 1000}s elapsed`);
  // Every task as long on as many workers: the estimate is the truth (to its rounding).
  for (const l of summaries.slice(0, -1)) {
    const [, elapsed, left] = /, (\d+)s elapsed, ~(\d+)s left$/.exec(l) ?? [];
    expect(Math.abs(Number(left) - (sim.last / 1000 - Number(elapsed))), l).toBeLessThanOrEqual(2.5);
  }
});

it('slow tasks: a summary after a finish once `summaryEvery` seconds have passed', () => {
  const every = 60;
  const { o, lines, set } = setup(every);
  const tasks = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, kind: 'finetune' as const, label: `trial t${i}` }));
  o.planned!(tasks);
  const finishes = [10, 30, 70, 80, 200].map((s) => s * 1000);
  finishes.forEach((at, i) => {
    set(at - 1000);
    o.started!(`t${i}`);
    set(at);
    o.finished!(`t${i}`, { ok: true });
  });
  const summaryAt = lines.filter((l) => SUMMARY.test(l)).map((l) => Number(/^(\d+)\//.exec(l)![1]));
  // After 70s (first past 60s) and after 200s (60s past that); not at 10, 30 or 80.
  expect(summaryAt).toEqual([finishes.indexOf(70_000) + 1, finishes.indexOf(200_000) + 1]);
});

it('nothing planned (the run failed before its tasks): finish writes nothing', async () => {
  const { view, lines, partial } = setup();
  await view.finish();
  expect([...lines, partial()]).toEqual(['']);
});

it('a resumed sweep: a burst of cache hits writes no summary lines of its own', () => {
  const { o, lines } = setup(60);
  const [count, cached] = [110, 90];
  const step = Math.ceil(count / 10);
  const tasks = Array.from({ length: count }, (_, i) => ({ key: `s${i}`, kind: 'scratch' as const, label: `scratch s${i}` }));
  o.planned!(tasks);
  for (const t of tasks.slice(0, cached)) o.finished!(t.key, { ok: true, message: FROM_CACHE });
  expect(lines.filter((l) => SUMMARY.test(l))).toEqual([]);
  // A tenth of the tasks (rounded up) run: one summary, after the last of them.
  for (const t of tasks.slice(cached, cached + step)) {
    expect(lines.filter((l) => SUMMARY.test(l))).toEqual([]);
    o.started!(t.key);
    o.finished!(t.key, { ok: true });
  }
  expect(lines.filter((l) => SUMMARY.test(l))).toEqual([expect.stringMatching(new RegExp(`^${cached + step}/${count} done \\(${cached} from the cache\\), 0 failed`))]);
});
