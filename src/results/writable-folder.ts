import { accessSync, constants, statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { osReason } from '../os-error.js';

/** The longest file or folder name, in bytes, that common file systems allow (ext4, XFS, Btrfs, APFS, NTFS). */
export const NAME_MAX = 255;
/** The longest path Linux takes (PATH_MAX less its terminating zero). */
export const PATH_MAX = 4095;

/** A folder that cannot be made or written, and why. */
export interface FolderProblem {
  /** The path at fault: `dir` itself or a folder above it. */
  readonly path: string;
  readonly problem: string;
}

/**
 * Why the folder `dir` (absolute) cannot be created or written, found without
 * writing anything, so a run can refuse before it starts: a name in it too long,
 * a file where a folder must be, a link loop, no permission. undefined when it can.
 */
export function folderProblem(dir: string): FolderProblem | undefined {
  const long = dir.split(sep).find((name) => Buffer.byteLength(name) > NAME_MAX);
  if (long != null) {
    return { path: dir, problem: `a name in it is ${Buffer.byteLength(long)} bytes ('${long.slice(0, 24)}...'), longer than file systems allow (${NAME_MAX})` };
  }
  if (Buffer.byteLength(dir) > PATH_MAX) return { path: dir, problem: `the path is ${Buffer.byteLength(dir)} bytes, longer than file systems allow (${PATH_MAX})` };
  for (let path = dir; ; path = dirname(path)) {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      // Not there yet (or a file above it): the nearest existing ancestor decides.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(path) !== path) continue;
      return { path, problem: osReason(error) };
    }
    if (!isFolder) return { path, problem: 'is a file, expected a folder' };
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      return { path, problem: `cannot write in it: ${osReason(error)}` };
    }
    return undefined;
  }
}
