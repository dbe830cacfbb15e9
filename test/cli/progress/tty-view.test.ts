import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressState } from '../../../src/cli/progress/progress-state.js';
import { ttyView } from '../../../src/cli/progress/tty-view.js';
import { NOT_STARTED } from '../../../src/execute/worker-pool.js';
import { screen, shown } from './screen.js';

const SUMMARY = /^\d+\/\d+ done, \d+ failed, .*elapsed/;

function setup(options: { columns?: number; rows?: number; maxRows?: number; tickMs?: number } = {}) {
  let t = 0;
  const now = () => t;
  const term = screen();
  const writes: string[] = [];
  const view = ttyView({
    state: progressState(now),
    write: (text) => {
      writes.push(text);
      term.write(text);
    },
    now,
    size: () => ({ columns: options.columns ?? 100, rows: options.rows ?? 40 }),
    tickMs: options.tickMs ?? 0,
    ...(options.maxRows == null ? {} : { maxRows: options.maxRows }),
  });
  const o = view.observer;
  return { view, o, term, writes, advance: (s: number) => (t += s * 1000), lines: () => shown(term.lines) };
}

const plan = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, kind: 'finetune' as const, label: `trial ${prefix}${i}` }));

describe('the terminal block', () => {
  it('shows the running tasks with epoch and score, not the ones waiting for a worker, and one summary line', () => {
    const { view, o, lines, advance } = setup();
    const tasks = plan(6);
    o.planned!(tasks);
    for (const t of tasks) o.started!(t.key);
    advance(3);
    // Two workers: the first two report epochs, the other four wait in the pool.
    o.progress!({ key: 't0', epoch: 1, epochs: 5, score: 0.5 });
    o.progress!({ key: 't1', epoch: 2, epochs: 5 });
    view.render();
    const screenLines = lines();
    expect(screenLines).toHaveLength(3);
    expect(screenLines[0]).toMatch(/^\S trial t0 {2}epoch 1\/5 {2}val 0\.5000 {2}3s$/);
    expect(screenLines[1]).toMatch(/^\S trial t1 {2}epoch 2\/5 {2}3s$/);
    expect(screenLines[2]).toMatch(SUMMARY);
    expect(screenLines[2]).toContain(`0/${tasks.length} done`);
    for (const waiting of tasks.slice(2)) expect(screenLines.join('\n')).not.toContain(waiting.label);
  });

  it('redrawn in place: the screen holds one block however many redraws, and its counts move', () => {
    const { view, o, lines, advance } = setup();
    const tasks = plan(4);
    o.planned!(tasks);
    for (const t of tasks) {
      o.started!(t.key);
      advance(2);
      view.render();
      o.finished!(t.key, { ok: true, score: 0.25 });
      view.render();
      view.render();
    }
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(new RegExp(`^${tasks.length}/${tasks.length} done, 0 failed, best 0\\.2500, 8s elapsed$`));
  });

  it.each([
    ['many running: at most maxRows rows, the rest counted', 100, 40, 10, 25],
    ['a short terminal shows fewer', 100, 8, 10, 25],
    ['exactly as many as fit: no count line', 100, 40, 10, 10],
  ])('%s', (_, columns, rows, maxRows, running) => {
    const { view, o, lines } = setup({ columns, rows, maxRows });
    const tasks = plan(running + 5);
    o.planned!(tasks);
    for (const t of tasks) o.started!(t.key);
    // The last running one reporting shows that all before it hold workers.
    o.progress!({ key: `t${running - 1}`, epoch: 1, epochs: 3 });
    view.render();
    const room = Math.min(maxRows, rows - 3);
    const block = lines();
    const rowsShown = block.filter((l) => /trial t\d+/.test(l));
    expect(block.length).toBeLessThan(rows);
    if (running > room) {
      expect(rowsShown).toHaveLength(room - 1);
      expect(block).toContain(`  +${running - rowsShown.length} more running`);
    } else {
      expect(rowsShown).toHaveLength(running);
      expect(block.some((l) => l.includes('more running'))).toBe(false);
    }
    expect(block.at(-1)).toMatch(SUMMARY);
  });

  it('lines are cut to the terminal width (a wrapped line would break the redraw), control characters escaped', () => {
    const columns = 30;
    const { view, o, lines } = setup({ columns });
    o.planned!([{ key: 'long', kind: 'finetune', label: `trial long ${'{"x":1}'.repeat(20)}\nforged` }]);
    o.started!('long');
    view.render();
    view.render();
    expect(lines()).toHaveLength(2);
    for (const l of lines()) expect([...l].length).toBeLessThan(columns);
    expect(lines()[0]).toMatch(/…$/);
  });

  it('a failure is printed above the block and stays; other output passes above too', () => {
    const { view, o, lines, term } = setup();
    const tasks = plan(3);
    o.planned!(tasks);
    for (const t of tasks) o.started!(t.key);
    o.finished!('t0', { ok: false, message: 'loss is NaN' });
    view.interject('tlx: a note\n', () => term.write('tlx: a note\n'));
    // A note without its newline yet: the block waits below it.
    view.interject('downloading x: 5%', () => term.write('downloading x: 5%'));
    view.render();
    view.render();
    expect(lines()[0]).toBe('FAILED  trial t0: loss is NaN');
    expect(lines()[1]).toBe('tlx: a note');
    expect(lines()[2]).toBe('downloading x: 5%');
    expect(lines().slice(3).filter((l) => /trial t\d/.test(l))).toHaveLength(1);
    expect(lines().at(-1)).toMatch(/0\/3 done, 1 failed/);
  });
});

describe('finish', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('interrupted (tasks never finished): the block gives way to a final summary counting them, and redraws stop', async () => {
    vi.useFakeTimers();
    const tickMs = 50;
    const { view, o, lines, writes } = setup({ tickMs });
    const tasks = plan(5);
    o.planned!(tasks);
    for (const t of tasks.slice(0, 3)) o.started!(t.key);
    o.progress!({ key: 't1', epoch: 1, epochs: 4 });
    vi.advanceTimersByTime(tickMs * 4);
    const drawn = writes.length;
    expect(drawn).toBeGreaterThan(3);
    o.finished!('t0', { ok: true });
    // The pool turns away what it had not started: counted as not run, not listed as failures.
    o.finished!('t2', { ok: false, message: `t2 ${NOT_STARTED}` });
    await view.finish();
    expect(lines()).toEqual([`1/${tasks.length} done, 0 failed, 0s elapsed, ${tasks.length - 1} not run`]);
    const after = writes.length;
    vi.advanceTimersByTime(tickMs * 10);
    expect(writes.length).toBe(after);
  });

  it('before anything was planned (the run failed early): nothing written', async () => {
    const { view, writes } = setup();
    await view.finish();
    expect(writes).toEqual([]);
  });
});
