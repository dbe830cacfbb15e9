import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { download, type DownloadProgress } from '../data/download.js';
import { hashOf } from '../plan/canonical-hash.js';
import { ModelError, readModelArtifacts } from './model-files.js';

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
 * used from there: a machine without network runs from its cached copy.
 */
export async function fetchModel(url: string, options: FetchOptions): Promise<string> {
  const target = cachedModelJson(url, options.env);
  if (existsSync(target)) return target;
  const folder = join(target, '..');
  const temp = `${folder}.${process.pid}.part`;
  rmSync(temp, { recursive: true, force: true });
  let budget = options.maxBytes;
  try {
    await download(url, join(temp, 'model.json'), options.onProgress, budget);
    const text = readFileSync(join(temp, 'model.json'));
    budget -= text.length;
    const sha = createHash('sha256').update(text).digest('hex');
    if (options.sha256 && sha !== options.sha256) throw new Error(`model.json has sha256 ${sha}, the config expects ${options.sha256}`);
    const manifest = (JSON.parse(text.toString('utf8')) as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? [];
    for (const path of manifest.flatMap((g) => g.paths)) {
      await download(new URL(path, url).toString(), join(temp, path), options.onProgress, budget);
      budget -= readFileSync(join(temp, path)).length;
    }
    readModelArtifacts(join(temp, 'model.json'));
    rmSync(folder, { recursive: true, force: true });
    renameSync(temp, folder);
    return target;
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    if (e instanceof ModelError) throw e;
    throw new ModelError('E_MODEL_DOWNLOAD', url, `cannot download: ${(e as Error).message}; no cached copy in ${folder}`,
      `check the URL and the network; on a machine without access, copy model.json and its weight files into ${folder}, ` +
      'or give a local copy as source.model (--set source.model=path/to/model.json)');
  }
}
