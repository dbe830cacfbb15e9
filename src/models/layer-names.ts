import '@tensorflow/tfjs-backend-cpu';
import '../engine/quiet.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResolvedSource } from '../config/resolved.js';
import { DATASETS } from '../data/datasets.js';
import { ARCHITECTURES } from './architectures/index.js';

/**
 * Names of the source model's layers, in order, for checking `cut` and `freeze`
 * before anything trains. Undefined when they cannot be known offline (a URL).
 */
export function sourceLayerNames(source: ResolvedSource, baseDir: string): string[] | undefined {
  if (source.pretrain) {
    const { architecture, data } = source.pretrain;
    // Layer names do not depend on the input size or the class count; 32 px is the
    // smallest input every architecture takes.
    const model = ARCHITECTURES[architecture]({ inputShape: [32, 32, data.channels ?? 1], classes: data.classes?.length ?? DATASETS[data.dataset].classes ?? 2 });
    const names = model.layers.map((l) => l.name);
    model.dispose();
    return names;
  }
  if (source.model == null || /^https?:\/\//.test(source.model)) return undefined;
  try {
    const json = JSON.parse(readFileSync(resolve(baseDir, source.model), 'utf8')) as {
      modelTopology?: { config?: { layers?: { config?: { name?: string }; class_name?: string }[] }; model_config?: { config?: { layers?: { config?: { name?: string }; class_name?: string }[] } } };
    };
    const layers = json.modelTopology?.model_config?.config?.layers ?? json.modelTopology?.config?.layers ?? [];
    return layers.filter((l) => l.class_name !== 'InputLayer').map((l) => l.config?.name ?? '');
  } catch {
    return undefined;
  }
}
