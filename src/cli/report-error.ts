import { ConfigError, type ConfigIssue, describePosition, TlxError, TrialError, UsageError } from '../errors.js';

/** `file:line:col: path: message` (or `--set path=value: ...`) and an indented hint, as compilers print. */
export function formatIssue(issue: ConfigIssue): string {
  const path = issue.path ? `${issue.path}: ` : '';
  return `${describePosition(issue.position)}: ${path}${issue.message}\n${issue.hint ? `  ${issue.hint}\n` : ''}`;
}

/**
 * The one place errors become text and exit codes: a user's mistake prints
 * compactly (no stack unless debugging), anything else as a bug with its stack.
 */
export function reportError(error: unknown, debug: boolean, write: (text: string) => void): number {
  if (error instanceof ConfigError) {
    for (const issue of error.issues) write(formatIssue(issue));
    write(`tlx: ${error.message}; nothing was run\n`);
    if (debug && error.stack) write(`${error.stack}\n`);
    return error.exitCode;
  }
  if (error instanceof UsageError) {
    const where = error.position ? `${describePosition(error.position)}: ` : '';
    write(`tlx: ${where}${error.message}\n`);
    if (error.hint) write(`  ${error.hint.replaceAll('\n', '\n  ')}\n`);
    if (debug && error.stack) write(`${error.stack}\n`);
    return error.exitCode;
  }
  if (error instanceof TrialError) {
    // Work every trial needs (the pretrained source) failed: the run cannot go on.
    write(`tlx: task ${error.taskId} failed: ${error.message}\n`);
    if (error.hint) write(`  ${error.hint.replaceAll('\n', '\n  ')}\n`);
    if (debug && error.causeStack) write(`${error.causeStack}\n`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? error.stack ?? error.message : String(error);
  write(`tlx: internal error (a bug in tlx; please report it with this output)\n${stack}\n`);
  return error instanceof TlxError ? error.exitCode : 70;
}
