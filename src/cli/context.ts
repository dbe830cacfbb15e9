/** What a command may touch of the outside world; tests pass their own. */
export interface CommandContext {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether progress may redraw (a terminal) or must be plain lines. */
  readonly isTTY?: boolean;
}

export function processContext(): CommandContext {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stderr.isTTY === true,
  };
}

/** Where `tlx run` and `tlx lr-find` keep pretrained sources, task results and word vectors unless --cache says otherwise. */
export const DEFAULT_CACHE_DIR = '.tlx-cache';
