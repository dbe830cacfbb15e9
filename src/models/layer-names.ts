import '@tensorflow/tfjs-backend-cpu';
import '../engine/quiet.js';
import { resolve } from 'node:path';
import type { ResolvedSource } from '../config/resolved.js';
import { DATASETS } from '../data/datasets.js';
import { ARCHITECTURES } from './architectures/index.js';
import { ModelError, modelJsonLayerNames } from './model-files.js';
import { cachedModelJson } from './model-url.js';
import { isUrl } from './source-location.js';
import { layerNames } from './surgery.js';

/**
 * Names of the source model's layers, in order, for checking `cut` and `freeze`
 * before anything trains. Undefined when they cannot be known offline (a URL not
 * downloaded yet) or the file is missing or unusable (the run reports that, with
 * the file named).
 */
export function sourceLayerNames(source: ResolvedSource, baseDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string[] | undefined {
  if (source.pretrain) {
    const { architecture, data } = source.pretrain;
    // Layer names do not depend on the input size or the class count; 32 px is the
    // smallest input every architecture takes.
    const model = ARCHITECTURES[architecture]({ inputShape: [32, 32, data.channels ?? 1], classes: data.classes?.length ?? DATASETS[data.dataset].classes ?? 2 });
    const names = layerNames(model);
    model.dispose();
    return names;
  }
  if (source.model == null) return undefined;
  try {
    return modelJsonLayerNames(isUrl(source.model) ? cachedModelJson(source.model, env) : resolve(baseDir, source.model));
  } catch (e) {
    if (e instanceof ModelError) return undefined;
    throw e;
  }
}
