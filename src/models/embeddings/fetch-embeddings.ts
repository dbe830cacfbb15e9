import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { download, downloadDeadline, DownloadError, type DownloadProgress, REFUSED } from '../../data/download.js';
import { DataError, UsageError } from '../../errors.js';
import { hashOf } from '../../plan/canonical-hash.js';
import { rememberHash, stampFile } from './file-hash.js';
import type { EmbeddingsUrl } from './types.js';

export interface FetchEmbeddingsOptions {
  readonly cacheDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The largest download accepted (default 8 GiB: word2vec's GoogleNews vectors are 1.6 GB gzipped). */
  readonly maxDownloadBytes?: number;
  readonly onDownload?: (p: DownloadProgress) => void;
}

const DEFAULT_MAX_BYTES = 8 * 2 ** 30;

/** Where a URL's file lives once downloaded: a folder per URL, the file keeping the URL's name (its extension says the format). */
export function cachedEmbeddingsFile(url: string, cacheDir: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  const name = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(last) ? last : 'embeddings';
  return join(cacheDir, 'embeddings', 'downloads', hashOf(url, 16), name);
}

/**
 * A word-vector file at a URL, downloaded once into the cache (https only, as
 * download() enforces; renamed into place only when complete and, with a sha256,
 * checked), then always used from there: a machine without network runs from its
 * copy. Resolves with the local path.
 */
export async function fetchEmbeddings(source: EmbeddingsUrl, options: FetchEmbeddingsOptions): Promise<string> {
  const expected = source.sha256?.toLowerCase();
  if (expected != null && !/^[0-9a-f]{64}$/.test(expected)) {
    throw new UsageError('E_EMBEDDINGS_SHA256', `the sha256 given for ${source.url} is not 64 hexadecimal digits`, 'copy the checksum as published, or leave it out');
  }
  const dest = cachedEmbeddingsFile(source.url, options.cacheDir);
  if (existsSync(dest)) return dest;
  const temp = `${dest}.${process.pid}.unchecked`;
  try {
    const sha256 = await download(source.url, temp, options.onDownload, {
      maxBytes: options.maxDownloadBytes ?? DEFAULT_MAX_BYTES, deadline: downloadDeadline(options.env ?? process.env),
    });
    if (expected != null && sha256 !== expected) {
      throw new DataError('E_EMBEDDINGS_SHA256', source.url, `the file downloaded has sha256 ${sha256}, expected ${expected}`,
        'the file at this URL changed, or the sha256 given is wrong');
    }
    renameSync(temp, dest);
    rememberHash(options.cacheDir, stampFile(dest), sha256);
    return dest;
  } catch (e) {
    rmSync(temp, { force: true });
    throw asDataError(e, source.url, dest);
  }
}

function asDataError(e: unknown, url: string, dest: string): unknown {
  if (!(e instanceof DownloadError)) return e;
  if (REFUSED.has(e.code)) return new DataError(e.code, url, `refused: ${e.message}`, 'give the https URL of the word vectors, or a local copy of the file');
  return new DataError(e.code === 'E_DOWNLOAD_TIMEOUT' ? e.code : 'E_EMBEDDINGS_DOWNLOAD', url, `cannot download: ${e.message}; no cached copy at ${dest}`,
    `${e.hint ? `${e.hint}; ` : ''}check the URL and the network; on a machine without access, copy the file to ${dest}, or give it as a local file`);
}
