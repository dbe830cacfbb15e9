import type { ResolvedExperiment } from '../config/resolved.js';
import type { DownloadProgress } from '../data/download.js';
import { graphNodeShapes } from './graph-files.js';
import { fetchModel } from './model-url.js';
import { isUrl, type SourcePlaces, sourceModelJson } from './source-location.js';
import { disposeSource, loadSourceModel, sourceInputShape } from './source-model.js';

/**
 * For a `source.model`: downloads it (once) when it is a URL, checks its files (and
 * that a graph model runs), and returns the image shape it takes, which target
 * data is then read at. Pretrained sources are made by a task instead; their shape
 * is their data's.
 */
export async function prepareSourceModel(
  experiment: ResolvedExperiment,
  places: SourcePlaces,
  onProgress?: (p: DownloadProgress) => void,
): Promise<[number, number, number] | undefined> {
  const { model, sha256, maxDownloadMB } = experiment.source;
  if (model == null) return undefined;
  if (isUrl(model)) {
    await fetchModel(model, { env: places.env, maxBytes: (maxDownloadMB ?? 1024) * 2 ** 20, onProgress, ...(sha256 ? { sha256 } : {}) });
  }
  const loaded = await loadSourceModel(sourceModelJson(experiment, places));
  try {
    // A graph's ops are only known to run once they have run.
    if (loaded.kind === 'graph') graphNodeShapes(loaded.file, loaded, sourceInputShape(loaded));
    return sourceInputShape(loaded);
  } finally {
    disposeSource(loaded);
  }
}
