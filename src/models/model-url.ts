import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { download, downloadDeadline, DownloadError, type DownloadProgress, REFUSED } from '../data/download.js';
import { hashOf } from '../plan/canonical-hash.js';
import { MAX_MODEL_JSON_BYTES, ModelError, readModelArtifacts, readModelJson } from './model-files.js';

/** tlx's download cache for models. */
export function modelCache(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tlx', 'models');
}

/** Where a URL's model lives once downloaded. */
export function cachedModelJson(url: string, env: Readonly<Record<string, string | undefined>>): string {
  return join(modelCache(env), hashOf(url, 16), 'model.json');
}

export interface FetchOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sha256?: string;
  readonly maxBytes: number;
  readonly onProgress?: (p: DownloadProgress) => void;
}

/**
 * A model.json URL and its weight shards, downloaded once into the cache (a
 * folder per URL, moved into place only when complete and checked), then always
 * used from there: a machine without network runs from its cached copy. The
 * model.json is checked before any shard is fetched (its weight paths must stay in
 * its folder), and the whole download has one deadline (TLX_DOWNLOAD_TIMEOUT_S).
 */
export async function fetchModel(url: string, options: FetchOptions): Promise<string> {
  const target = cachedModelJson(url, options.env);
  if (existsSync(target)) return target;
  const folder = join(target, '..');
  const temp = `${folder}.${process.pid}.part`;
  rmSync(temp, { recursive: true, force: true });
  const deadline = downloadDeadline(options.env);
  let budget = options.maxBytes;
  try {
    await download(url, join(temp, 'model.json'), options.onProgress, { maxBytes: Math.min(budget, MAX_MODEL_JSON_BYTES), deadline }).catch((e: unknown) => {
      if (!(e instanceof DownloadError && e.code === 'E_DOWNLOAD_TOO_LARGE' && budget > MAX_MODEL_JSON_BYTES)) throw e;
      throw new ModelError('E_MODEL_TOO_LARGE', url, `is over ${MAX_MODEL_JSON_BYTES / 2 ** 20} MiB, the most a model.json may be (it lists the weights, it does not hold them)`,
        'give the URL of the model.json of a TensorFlow.js LayersModel');
    });
    const text = readFileSync(join(temp, 'model.json'));
    budget -= text.length;
    const sha = createHash('sha256').update(text).digest('hex');
    if (options.sha256 && sha !== options.sha256) {
      throw new ModelError('E_MODEL_SHA256', url, `model.json has sha256 ${sha}, the config expects ${options.sha256}`,
        'the model at this URL changed, or the sha256 in the experiment is wrong');
    }
    const manifest = readModelJson(join(temp, 'model.json')).weightsManifest ?? [];
    for (const path of manifest.flatMap((g) => g.paths)) {
      await download(new URL(path, url).toString(), join(temp, path), options.onProgress, { maxBytes: budget, deadline });
      budget -= readFileSync(join(temp, path)).length;
    }
    readModelArtifacts(join(temp, 'model.json'));
    rmSync(folder, { recursive: true, force: true });
    renameSync(temp, folder);
    return target;
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw asModelError(e, url, folder);
  }
}

/** A download's failure said about the model: refused (no retry helps) or not reachable (a cached copy would). */
function asModelError(e: unknown, url: string, folder: string): ModelError {
  if (e instanceof ModelError) {
    // A problem of the downloaded model.json: name the URL, not the temp folder it sat in.
    return e.file === url ? e : new ModelError(e.code, url, e.message.slice(e.file.length + 2), e.hint);
  }
  const message = (e as Error).message;
  if (e instanceof DownloadError && REFUSED.has(e.code)) {
    return new ModelError(e.code, url, `refused: ${message}`,
      'give the https URL of the model, or a local copy: --set source.model=path/to/model.json (source.maxDownloadMB raises the size limit)');
  }
  return new ModelError(e instanceof DownloadError && e.code === 'E_DOWNLOAD_TIMEOUT' ? e.code : 'E_MODEL_DOWNLOAD', url,
    `cannot download: ${message}; no cached copy in ${folder}`,
    `${e instanceof DownloadError && e.hint ? `${e.hint}; ` : ''}check the URL and the network; on a machine without access, copy model.json and its weight files into ${folder}, ` +
    'or give a local copy as source.model (--set source.model=path/to/model.json)');
}
