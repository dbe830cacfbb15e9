import { describe, expect, it } from 'vitest';
import { FROM_CACHE, progressState } from '../../../src/cli/progress/progress-state.js';
import { NOT_STARTED } from '../../../src/execute/worker-pool.js';
import { rng, testSeed } from '../../support/random.js';
import { type SimTask, simulatePool } from './simulated-pool.js';

/** A clock the test moves. */
function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = start + ms), advance: (s: number) => (t += s * 1000) };
}

const task = (key: string, kind: 'pretrain' | 'scratch' | 'probe' | 'finetune' = 'finetune') => ({ key, kind, label: `${kind} ${key}` });

describe('counts', () => {
  it('planned again (a search adding a configuration): totals grow, a shared task is counted once', () => {
    const state = progressState(fakeClock().now);
    const first = [task('p', 'pretrain'), task('s1', 'scratch'), task('t1')];
    const second = [task('s1', 'scratch'), task('q2', 'probe'), task('t2')];
    expect(state.planned(first)).toHaveLength(first.length);
    expect(state.snapshot().total).toBe(first.length);
    const added = state.planned(second).map((t) => t.key);
    expect(added).toEqual(['q2', 't2']);
    expect(state.snapshot().total).toBe(new Set([...first, ...second].map((t) => t.key)).size);
  });

  it('cache hits count as done without running; failures apart; the best is the highest score of a trial that ended well', () => {
    const clock = fakeClock();
    const state = progressState(clock.now);
    const keys = ['s1', 's2', 't1', 't2', 't3', 't4', 't5'];
    state.planned(keys.map((k) => task(k, k.startsWith('s') ? 'scratch' : 'finetune')));
    state.finished('s1', { ok: true, message: FROM_CACHE });
    state.finished('s2', { ok: true, message: FROM_CACHE });
    const scores = { t1: 0.61, t2: 0.87, t3: 0.74 };
    for (const [key, score] of Object.entries(scores)) {
      state.started(key);
      clock.advance(3);
      state.finished(key, { ok: true, score });
    }
    state.started('t4');
    state.finished('t4', { ok: false, message: 'loss is NaN', score: 0.99 });
    // Interrupted before it started: neither done nor failed.
    state.started('t5');
    state.finished('t5', { ok: false, message: `t5 ${NOT_STARTED}` });
    const s = state.snapshot();
    expect(s).toMatchObject({ total: keys.length, done: 2 + Object.keys(scores).length, cached: 2, failed: 1, running: [], queued: 0 });
    expect(state.task('t5')?.status).toBe('dropped');
    expect(s.best).toBe(Math.max(...Object.values(scores)));
    expect(state.task('s1')?.status).toBe('cached');
    expect(state.task('t4')?.message).toBe('loss is NaN');
  });

  it('an event for a task not planned (yet) keeps it under its key, and a later plan names it', () => {
    const state = progressState(fakeClock().now);
    state.started('x');
    expect(state.snapshot().running.map((r) => r.label)).toEqual(['x']);
    state.planned([task('x')]);
    expect(state.snapshot()).toMatchObject({ total: 1, running: [{ key: 'x', label: 'finetune x' }] });
  });
});

describe('which tasks run: the pool says started when it queues a task', () => {
  it('one runs until another reports an epoch; the next takes the worker of one that ends', () => {
    const clock = fakeClock();
    const state = progressState(clock.now);
    state.planned(['a', 'b', 'c'].map((k) => task(k, 'scratch')));
    for (const k of ['a', 'b', 'c']) state.started(k);
    expect(state.snapshot().running.map((r) => r.key)).toEqual(['a']);
    expect(state.snapshot().queued).toBe(2);
    clock.advance(2);
    // b reporting an epoch shows a second worker: a and b run, c waits.
    expect(state.progress({ key: 'b', epoch: 1, epochs: 4 }).map((t) => t.key)).toEqual(['b']);
    expect(state.snapshot().running.map((r) => r.key)).toEqual(['a', 'b']);
    clock.advance(3);
    const at = clock.now();
    expect(state.finished('a', { ok: true }).map((t) => t.key)).toEqual(['c']);
    expect(state.task('c')?.runningSince).toBe(at);
    expect(state.snapshot().running.map((r) => r.key)).toEqual(['b', 'c']);
  });

  it('in a simulated pool, no task shown running is waiting, and once each has reported an epoch all running are shown', () => {
    const seed = testSeed();
    const next = rng(seed);
    const workers = 2 + Math.floor(next() * 4);
    const tasks: SimTask[] = Array.from({ length: 30 }, (_, i) => ({
      key: `k${i}`, kind: i % 3 === 0 ? 'probe' : 'scratch', seconds: 2 + next() * 10, epochs: i % 3 === 0 ? 0 : 1 + Math.floor(next() * 5),
    }));
    const sim = simulatePool(tasks, workers);
    const clock = fakeClock(0);
    const state = progressState(clock.now);
    state.planned(tasks.map((t) => task(t.key, t.kind)));
    const [reported, ended] = [new Set<string>(), new Set<string>()];
    // Running, in the pool's terms: not ended, and the task before it on its worker has.
    const running = (key: string) => !ended.has(key) && [undefined, ...ended].includes(sim.before.get(key));
    for (const e of sim.events) {
      clock.set(e.at);
      e.send(state);
      if (e.at === sim.end.get(e.key) && sim.events.findLast((x) => x.key === e.key) === e) ended.add(e.key);
      else if (e.at > 0) reported.add(e.key);
      const truly = tasks.map((t) => t.key).filter(running);
      const shown = state.snapshot().running.map((r) => r.key);
      expect(shown.filter((k) => !truly.includes(k)), `seed ${seed}`).toEqual([]);
      if (truly.every((k) => reported.has(k))) expect(shown.length, `seed ${seed}`).toBe(truly.length);
    }
    expect(state.snapshot()).toMatchObject({ done: tasks.length, running: [], queued: 0 });
  });
});

describe('time left', () => {
  it('is unknown before anything is measured, exact when every task of a kind takes as long', () => {
    const [workers, seconds] = [2, 10];
    const tasks: SimTask[] = Array.from({ length: 8 }, (_, i) => ({ key: `s${i}`, kind: 'scratch', seconds, epochs: 5 }));
    const sim = simulatePool(tasks, workers);
    const clock = fakeClock(0);
    const state = progressState(clock.now);
    state.planned(tasks.map((t) => task(t.key, t.kind)));
    for (const e of sim.events) {
      clock.set(e.at);
      e.send(state);
      const { leftSeconds, running } = state.snapshot();
      if (e.at === 0) expect(leftSeconds).toBeUndefined();
      // Exact once as many workers as there are have each reported (the pool's size is learned, not told).
      else if (running.length === workers) expect(leftSeconds).toBeCloseTo((sim.last - e.at) / 1000, 6);
    }
    expect(state.snapshot().leftSeconds).toBe(0);
  });

  it('from tasks of random lengths: near the truth between a quarter and three quarters done', () => {
    const seed = testSeed();
    const next = rng(seed);
    const workers = 3;
    const kinds = { scratch: 4 + next() * 4, probe: 1 + next(), finetune: 8 + next() * 8 } as const;
    const tasks: SimTask[] = Array.from({ length: 60 }, (_, i) => {
      const kind = (['scratch', 'probe', 'finetune'] as const)[i % 3]!;
      return { key: `k${i}`, kind, seconds: kinds[kind] * (0.8 + 0.4 * next()), epochs: kind === 'probe' ? 0 : 4 };
    });
    const sim = simulatePool(tasks, workers);
    const clock = fakeClock(0);
    const state = progressState(clock.now);
    state.planned(tasks.map((t) => task(t.key, t.kind)));
    const errors: number[] = [];
    for (const e of sim.events) {
      clock.set(e.at);
      e.send(state);
      const s = state.snapshot();
      if (s.done < tasks.length / 4 || s.done > (tasks.length * 3) / 4) continue;
      const truth = (sim.last - e.at) / 1000;
      errors.push(Math.abs(s.leftSeconds! - truth) / truth);
    }
    const worst = Math.max(...errors);
    // Tasks vary by ±20% around their kind's length; over seeds 1..500 the worst was 0.27.
    expect(worst, `seed ${seed}`).toBeLessThan(0.35);
  });

  it('an epoch budget: measured seconds per epoch times the epochs left', () => {
    const clock = fakeClock(0);
    const state = progressState(clock.now);
    const [total, epochs, perEpoch] = [40, 5, 2];
    let used = 0;
    for (let k = 0; used < total; k++) {
      const key = `t${k}`;
      state.planned([task(key)]);
      state.started(key);
      for (let e = 1; e <= epochs; e++) {
        clock.advance(perEpoch);
        state.progress({ key, epoch: e, epochs });
        const truth = (total - used - e) * perEpoch;
        // Measured from the first epoch on (the search has not reported its budget before its first result).
        if (k > 0) expect(state.snapshot().leftSeconds).toBeCloseTo(truth, 6);
      }
      state.finished(key, { ok: true, score: 0.5 });
      used += epochs;
      state.budget({ unit: 'epochs', total, used });
      expect(state.snapshot().leftSeconds).toBeCloseTo((total - used) * perEpoch, 6);
      expect(state.snapshot().budget).toEqual({ unit: 'epochs', total, used });
    }
    expect(state.snapshot().leftSeconds).toBe(0);
  });

  it('a trial budget: measured seconds per trial (its shared tasks included) times the trials left, over the workers', () => {
    const clock = fakeClock(0);
    const state = progressState(clock.now);
    const [total, scratch, finetune] = [6, 3, 7];
    state.planned([task('p', 'pretrain')]);
    state.started('p');
    clock.advance(50);
    state.finished('p', { ok: true });
    for (let k = 0; k < total; k++) {
      state.planned([task(`s${k}`, 'scratch'), task(`t${k}`)]);
      state.started(`s${k}`);
      clock.advance(scratch);
      state.finished(`s${k}`, { ok: true });
      state.started(`t${k}`);
      clock.advance(finetune);
      state.finished(`t${k}`, { ok: true, score: 0.5 });
      state.budget({ unit: 'trials', total, used: k + 1 });
      // The pretrained source, trained once, is not a cost per trial.
      expect(state.snapshot().leftSeconds).toBeCloseTo((total - k - 1) * (scratch + finetune), 6);
    }
  });
});

describe('the pool\'s running event', () => {
  it('a task a worker takes runs from that moment; tasks only handed to the pool wait, however many', () => {
    const clock = fakeClock();
    const state = progressState(clock.now);
    const keys = ['a', 'b', 'c', 'd'];
    state.planned(keys.map((k) => task(k)));
    for (const k of keys) state.started(k);
    const running = () => state.snapshot().running.map((r) => r.key).sort();
    // Handed over, nothing heard from a worker: one is assumed to run (the pool has at least one worker).
    expect(running()).toEqual(['a']);
    clock.advance(2);
    expect(state.running('b').map((t) => t.key)).toEqual(['b']);
    expect(running()).toEqual(['a', 'b']);
    expect(state.snapshot().queued).toBe(2);
    // b's worker took it just now, not when it was handed over.
    expect(state.task('b')!.runningSince).toBe(clock.now());
    state.finished('a', { ok: true, score: 0.5 });
    state.running('c');
    expect(running()).toEqual(['b', 'c']);
  });
});
