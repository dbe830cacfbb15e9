import { ConfigError, type ConfigIssue, describePosition, type SourcePosition, TlxError, TrialError, UsageError } from '../errors.js';
import { printable, shorten } from '../quote.js';

/** The longest line of a message tlx prints; longer ones (a value echoed whole) are shortened. */
export const MESSAGE_LINE_MAX = 500;

// Every printed line goes through these: what a user wrote (a file name, a value)
// cannot put a control character on the terminal or start a line of its own.
const line = (text: string): string => shorten(printable(text), MESSAGE_LINE_MAX);
const lines = (text: string, indent: string): string => text.split('\n').map(line).join(`\n${indent}`);
// An override is quoted as typed, shortened like any quoted value.
const place = (position: SourcePosition): string =>
  line('override' in position ? describePosition({ override: shorten(position.override) }) : describePosition(position));

/** `file:line:col: path: message` (or `--set path=value: ...`) on one line and an indented hint, as compilers print. */
export function formatIssue(issue: ConfigIssue): string {
  const path = issue.path ? `${line(issue.path)}: ` : '';
  return `${place(issue.position)}: ${path}${line(issue.message)}\n${issue.hint ? `  ${lines(issue.hint, '  ')}\n` : ''}`;
}

/**
 * The one place errors become text and exit codes: a user's mistake prints
 * compactly (no stack unless debugging), anything else as a bug with its stack.
 * Every line is escaped and shortened, so no message can forge a line of output.
 */
export function reportError(error: unknown, debug: boolean, write: (text: string) => void): number {
  const stack = (text: string | undefined) => { if (text) write(`${lines(text, '')}\n`); };
  if (error instanceof ConfigError) {
    for (const issue of error.issues) write(formatIssue(issue));
    write(`tlx: ${line(error.message)}; nothing was run\n`);
    if (debug) stack(error.stack);
    return error.exitCode;
  }
  if (error instanceof UsageError) {
    const where = error.position ? `${place(error.position)}: ` : '';
    write(`tlx: ${where}${lines(error.message, '  ')}\n`);
    if (error.hint) write(`  ${lines(error.hint, '  ')}\n`);
    if (debug) stack(error.stack);
    return error.exitCode;
  }
  if (error instanceof TrialError) {
    // Work every trial needs (the pretrained source) failed: the run cannot go on.
    write(`tlx: task ${line(error.taskId)} failed: ${lines(error.message, '  ')}\n`);
    if (error.hint) write(`  ${lines(error.hint, '  ')}\n`);
    if (debug) stack(error.causeStack);
    return error.exitCode;
  }
  write('tlx: internal error (a bug in tlx; please report it with this output)\n');
  stack(error instanceof Error ? error.stack ?? error.message : String(error));
  return error instanceof TlxError ? error.exitCode : 70;
}
