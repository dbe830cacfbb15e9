/**
 * Errors are values with stable codes; only the CLI turns them into messages and
 * exit codes.
 */

/** A position in a user's file, 1-based like editors show it. */
export interface FilePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A value given on the command line (`--set path=value`) rather than in the file. */
export interface OverridePosition {
  /** The override as typed, `path=value`. */
  readonly override: string;
}

/** Where a value of the experiment came from. */
export type SourcePosition = FilePosition | OverridePosition;

/** `file:line:col`, or `--set path=value`, as compilers and CLIs name a place. */
export function describePosition(position: SourcePosition): string {
  return 'override' in position ? `--set ${position.override}` : `${position.file}:${position.line}:${position.col}`;
}

export abstract class TlxError extends Error {
  abstract readonly code: string;
  /** Process exit code the CLI uses for this kind of error. */
  abstract readonly exitCode: number;
}

/** Something the user can fix: a bad file, flag or environment. Printed without a stack. */
export class UsageError extends TlxError {
  override readonly name: string = 'UsageError';
  readonly exitCode = 2;
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly position?: SourcePosition,
  ) {
    super(message);
  }
}

/** A bug in tlx: printed with its stack and where to report it. */
export class InternalError extends TlxError {
  override readonly name = 'InternalError';
  readonly code = 'E_INTERNAL';
  readonly exitCode = 70;
}

/** One problem in an experiment file, at a position, as the CLI prints it. */
export interface ConfigIssue {
  readonly code: string;
  readonly position: SourcePosition;
  /** Dotted path of the field, e.g. `source.cut`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
  /** The likely fix ("did you mean 'flatten'?"). */
  readonly hint?: string;
}

/** Every problem found in an experiment file at once; nothing runs. */
export class ConfigError extends UsageError {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super('E_CONFIG', `${issues.length} problem${issues.length === 1 ? '' : 's'} in ${where(issues)}`);
  }
}

/** Work not done because the run was interrupted (Ctrl-C, SIGTERM); it runs on resume. */
export class InterruptedError extends TlxError {
  override readonly name = 'InterruptedError';
  readonly code = 'E_INTERRUPTED';
  readonly exitCode = 130;
}

function where(issues: readonly ConfigIssue[]): string {
  const files = issues.flatMap((i) => ('file' in i.position ? [i.position.file] : []));
  return files[0] ?? (issues.length > 0 ? 'the --set overrides' : 'the experiment file');
}

/** What a task's failure keeps across the worker boundary. */
export interface TaskFailure {
  /** The cause's own code (`E_DATA_EMPTY`, `ENOENT`, ...); E_TRIAL when it had none. */
  readonly code?: string;
  readonly causeStack?: string;
  readonly hint?: string;
}

/** A task or trial that failed; recorded with its id and its cause's code, and the sweep goes on. */
export class TrialError extends TlxError {
  override readonly name = 'TrialError';
  readonly code: string;
  readonly exitCode = 1;
  readonly causeStack?: string;
  readonly hint?: string;
  constructor(readonly taskId: string, message: string, failure: TaskFailure = {}) {
    super(message);
    this.code = failure.code ?? 'E_TRIAL';
    if (failure.causeStack != null) this.causeStack = failure.causeStack;
    if (failure.hint != null) this.hint = failure.hint;
  }
}

/** A file the user named that cannot be used; the message starts with the file. */
export abstract class FileError extends UsageError {
  constructor(code: string, readonly file: string, message: string, hint?: string) {
    super(code, `${file}: ${message}`, hint);
  }
}

/** A dataset that cannot be read: missing, truncated, corrupt. */
export class DataError extends FileError {
  override readonly name = 'DataError';
}
