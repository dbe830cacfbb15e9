import type { RunObserver } from '../execute/run-experiment.js';
import { interceptWrites } from './progress/intercept-writes.js';
import { plainView } from './progress/plain-view.js';
import { progressState } from './progress/progress-state.js';
import { ttyView } from './progress/tty-view.js';

export interface ProgressViewOptions {
  /** Milliseconds (default Date.now); tests pass a fake clock. */
  readonly now?: () => number;
  /** The terminal's size (default: stderr's, else 80 x 24). */
  readonly size?: () => { columns: number; rows: number };
  /**
   * The stream the terminal view draws on, whose other writers' lines are passed
   * above the block rather than drawn over (default process.stderr; null: none).
   */
  readonly capture?: NodeJS.WriteStream | null;
  /** Milliseconds between terminal redraws (0: none but on events that need one). */
  readonly tickMs?: number;
}

/**
 * The run's progress: on a terminal, a block of the running tasks and a summary
 * line (counts, best score, time elapsed and left) redrawn in place; elsewhere
 * (CI, pipes) one plain line per event and a summary line now and then.
 */
export function progressView(
  tty: boolean, write: (text: string) => void, options: ProgressViewOptions = {},
): { observer: RunObserver; finish(): Promise<void> } {
  const now = options.now ?? Date.now;
  const state = progressState(now);
  if (!tty) return plainView({ state, write, now });
  const capture = options.capture === undefined ? process.stderr : options.capture;
  const hook = capture ? interceptWrites(capture, write, (text, passOn) => view.interject(text, passOn)) : undefined;
  const view = ttyView({
    state,
    write: hook ? hook.own : write,
    now,
    size: options.size ?? (() => ({ columns: process.stderr.columns || 80, rows: process.stderr.rows || 24 })),
    ...(options.tickMs == null ? {} : { tickMs: options.tickMs }),
  });
  return {
    observer: view.observer,
    finish: async () => {
      await view.finish();
      hook?.restore();
    },
  };
}
