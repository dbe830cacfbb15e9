import type { RunObserver } from '../../execute/run-experiment.js';
import { printable } from '../../quote.js';
import { runningText, summaryLine } from './format.js';
import type { ProgressState } from './progress-state.js';

export interface TtyViewOptions {
  readonly state: ProgressState;
  readonly write: (text: string) => void;
  readonly now: () => number;
  /** The terminal's size, asked at each redraw (it may be resized). */
  readonly size: () => { columns: number; rows: number };
  /** Milliseconds between redraws; 0: only when `render()` is called (tests). */
  readonly tickMs?: number;
  /** Running rows shown at most (fewer on a short terminal); the rest are counted. */
  readonly maxRows?: number;
}

/** A terminal view: a block redrawn in place, and a way for other output to pass above it. */
export interface TtyView {
  readonly observer: RunObserver;
  render(): void;
  /** Other output for the terminal: the block is cleared, `passOn` writes it, the block is drawn again below. */
  interject(text: string, passOn: () => void): void;
  finish(): Promise<void>;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const UP_AND_CLEAR = (lines: number) => (lines > 0 ? `\x1b[${lines}A\r\x1b[J` : '');

/**
 * Progress on a terminal: a block of the running tasks (each with its epoch and
 * validation score) and one summary line, redrawn in place. Waiting tasks are not
 * shown; failures are printed above the block, where they stay.
 */
export function ttyView({ state, write, now, size, tickMs = 200, maxRows = 10 }: TtyViewOptions): TtyView {
  let drawn = 0;
  let active = false;
  // Other output that did not end its line: the next block starts on a line of its own.
  let openLine = false;
  let timer: NodeJS.Timeout | undefined;

  const frame = (): string[] => {
    const { columns, rows } = size();
    const snapshot = state.snapshot();
    const room = Math.max(1, Math.min(maxRows, rows - 3));
    const spin = SPINNER[Math.abs(Math.floor(now() / 100)) % SPINNER.length];
    const shown = snapshot.running.length > room ? snapshot.running.slice(0, room - 1) : snapshot.running;
    const lines = shown.map((t) => `${spin} ${runningText(t)}`);
    if (shown.length < snapshot.running.length) lines.push(`  +${snapshot.running.length - shown.length} more running`);
    lines.push(summaryLine(snapshot));
    // A line as wide as the terminal (or one with a newline) would throw off the count of lines to redraw.
    return lines.map((l) => fit(printable(l), columns - 1));
  };
  const render = () => {
    if (!active) return;
    const lines = frame();
    write(`${openLine ? '\n' : ''}${UP_AND_CLEAR(openLine ? 0 : drawn)}${lines.map((l) => `${l}\n`).join('')}`);
    [drawn, openLine] = [lines.length, false];
  };
  const above = (text: string) => interject(text, () => write(text));
  const interject = (text: string, passOn: () => void) => {
    if (drawn > 0 && !openLine) write(UP_AND_CLEAR(drawn));
    drawn = 0;
    passOn();
    if (text.length > 0) openLine = !text.endsWith('\n');
    if (!openLine) render();
  };
  const observer: RunObserver = {
    planned: (tasks) => {
      state.planned(tasks);
      if (!active && tickMs > 0) timer = setInterval(render, tickMs).unref();
      active = true;
      render();
    },
    started: (key) => void state.started(key),
    running: (key) => void state.running(key),
    progress: (p) => void state.progress(p),
    finished: (key, o) => {
      state.finished(key, o);
      // Tasks an interruption kept from starting are counted, not listed: there may be hundreds.
      if (state.task(key)?.status === 'failed') above(`FAILED  ${printable(`${state.task(key)?.label ?? key}${o.message ? `: ${o.message}` : ''}`)}\n`);
    },
    budget: (use) => state.budget(use),
  };
  // The block gives way to the final summary, which stays.
  const finish = async () => {
    clearInterval(timer);
    if (!active) return;
    active = false;
    write(`${openLine ? '\n' : UP_AND_CLEAR(drawn)}${summaryLine(state.snapshot(), true)}\n`);
    [drawn, openLine] = [0, false];
  };
  return { observer, render, interject, finish };
}

/** The line cut to `width` characters, an ellipsis marking the cut. */
function fit(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= Math.max(1, width) ? line : `${chars.slice(0, Math.max(1, width) - 1).join('')}…`;
}
