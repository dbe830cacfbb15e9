import { TlxError, UsageError } from '../errors.js';

/**
 * The one place errors become text and exit codes: a user's mistake prints
 * compactly (no stack unless debugging), anything else as a bug with its stack.
 */
export function reportError(error: unknown, debug: boolean, write: (text: string) => void): number {
  if (error instanceof UsageError) {
    const where = error.position ? `${error.position.file}:${error.position.line}:${error.position.col}: ` : '';
    write(`tlx: ${where}${error.message}\n`);
    if (error.hint) write(`  ${error.hint.replaceAll('\n', '\n  ')}\n`);
    if (debug && error.stack) write(`${error.stack}\n`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? error.stack ?? error.message : String(error);
  write(`tlx: internal error (a bug in tlx; please report it with this output)\n${stack}\n`);
  return error instanceof TlxError ? error.exitCode : 70;
}
