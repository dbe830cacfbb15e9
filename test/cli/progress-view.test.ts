import { afterEach, expect, it, vi } from 'vitest';
import { progressView } from '../../src/cli/progress-view.js';
import { screen, shown } from './progress/screen.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A stand-in for stderr: what is written to it lands on a screen. */
function fakeStderr() {
  const term = screen();
  const stream = { write: (chunk: string | Uint8Array) => (term.write(String(chunk)), true) } as unknown as NodeJS.WriteStream;
  return { term, stream, original: stream.write };
}

const tasks = Array.from({ length: 4 }, (_, i) => ({ key: `t${i}`, kind: 'finetune' as const, label: `trial t${i}` }));

it('not a terminal: plain lines, no escape sequences, a summary at the end', async () => {
  let text = '';
  const view = progressView(false, (t) => (text += t), { now: () => 0 });
  view.observer.planned!(tasks);
  view.observer.started!('t0');
  view.observer.finished!('t0', { ok: true, score: 0.75 });
  await view.finish();
  expect(text).not.toMatch(/\x1b/);
  expect(text.split('\n').slice(0, 3)).toEqual([`${tasks.length} tasks to run`, 'start   trial t0', 'done    trial t0']);
  expect(text.trimEnd().split('\n').at(-1)).toBe(`1/${tasks.length} done, 0 failed, best 0.7500, 0s elapsed, ${tasks.length - 1} not run`);
});

it('a terminal, interrupted: the signal message (written to stderr by others) passes above the block; finish leaves the summary and gives stderr back', async () => {
  vi.useFakeTimers();
  let now = 0;
  const { term, stream, original } = fakeStderr();
  const view = progressView(true, (t) => stream.write(t), { now: () => now, capture: stream, size: () => ({ columns: 80, rows: 24 }), tickMs: 100 });
  expect(stream.write).not.toBe(original);
  view.observer.planned!(tasks);
  for (const t of tasks) view.observer.started!(t.key);
  now = 3000;
  view.observer.progress!({ key: 't1', epoch: 1, epochs: 9 });
  vi.advanceTimersByTime(300);
  expect(shown(term.lines).filter((l) => /trial t\d/.test(l))).toHaveLength(2);
  stream.write('\ntlx: SIGINT: no new trials will start; running ones may finish (again to quit now)\n');
  vi.advanceTimersByTime(300);
  const during = shown(term.lines);
  expect(during.slice(0, 2)).toEqual(['', 'tlx: SIGINT: no new trials will start; running ones may finish (again to quit now)']);
  expect(during.slice(2).filter((l) => /trial t\d/.test(l))).toHaveLength(2);
  // The run ends without the rows finishing (abandoned after the grace period).
  await view.finish();
  expect(stream.write).toBe(original);
  expect(shown(term.lines)).toEqual([...during.slice(0, 2), `0/${tasks.length} done, 0 failed, 3s elapsed, ${tasks.length} not run`]);
});
