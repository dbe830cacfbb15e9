import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, type BigIntStats } from 'node:fs';
import { join, resolve } from 'node:path';
import { hashOf } from '../../plan/canonical-hash.js';
import { writeFileAtomic } from '../../results/atomic-write.js';

/** What identifies a file's version without reading it, as make and rsync judge it. */
interface FileStamp {
  readonly path: string;
  readonly size: string;
  readonly mtimeNs: string;
  readonly ino: string;
}

function stampOf(file: string, stats: BigIntStats): FileStamp {
  return { path: resolve(file), size: String(stats.size), mtimeNs: String(stats.mtimeNs), ino: String(stats.ino) };
}

function recordPath(cacheDir: string, file: string): string {
  return join(cacheDir, 'embeddings', 'files', `${hashOf(resolve(file), 16)}.json`);
}

/** The file's stamp now, for knownHash and rememberHash. */
export function stampFile(file: string): FileStamp {
  return stampOf(file, statSync(file, { bigint: true }));
}

/**
 * The sha256 of a file's content computed before, while its path, size,
 * modification time and inode are unchanged: a 307 MB file is not rehashed on
 * every run. A file rewritten in place with the same size within the same
 * nanosecond would fool it, as it fools make.
 */
export function knownHash(cacheDir: string, stamp: FileStamp): string | undefined {
  const path = recordPath(cacheDir, stamp.path);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as FileStamp & { sha256?: unknown };
    const same = record.path === stamp.path && record.size === stamp.size && record.mtimeNs === stamp.mtimeNs && record.ino === stamp.ino;
    return same && typeof record.sha256 === 'string' && /^[0-9a-f]{64}$/.test(record.sha256) ? record.sha256 : undefined;
  } catch {
    return undefined;
  }
}

/** Records a file's sha256 under its stamp (see knownHash). */
export function rememberHash(cacheDir: string, stamp: FileStamp, sha256: string): void {
  writeFileAtomic(recordPath(cacheDir, stamp.path), `${JSON.stringify({ ...stamp, sha256 }, null, 2)}\n`);
}

export type { FileStamp };

/** A file's sha256: remembered (see knownHash), or computed by streaming it once and remembered. */
export async function fileSha256(cacheDir: string, file: string): Promise<string> {
  const stamp = stampFile(file);
  const known = knownHash(cacheDir, stamp);
  if (known != null) return known;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  rememberHash(cacheDir, stamp, sha256);
  return sha256;
}
