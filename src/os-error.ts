// Operating-system errors (ENOENT, ELOOP, ...) carry a code and the path; the user
// can fix them, so they become messages in words rather than stack traces.

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a file is in the way where a folder was expected',
  EISDIR: 'is a folder, expected a file',
  ELOOP: 'a loop of symbolic links',
  ENAMETOOLONG: 'the name is too long for the file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
};

/** Whether an error was raised by the operating system about a file (it has an E... code). */
export function isOsError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!) && 'syscall' in error;
}

/** What an operating-system error means, in words, with its code: "permission denied (EACCES)". */
export function osReason(error: unknown): string {
  if (!isOsError(error)) return error instanceof Error ? error.message : String(error);
  return `${REASONS[error.code] ?? error.message.split(',')[0]!} (${error.code})`;
}
