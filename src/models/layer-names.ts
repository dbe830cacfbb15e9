import '@tensorflow/tfjs-backend-cpu';
import '../engine/quiet.js';
import { resolve } from 'node:path';
import type { ResolvedSource } from '../config/resolved.js';
import { DATASETS } from '../data/datasets.js';
import { insecureUrl } from '../data/download.js';
import { ARCHITECTURES, EMBEDDING_LAYER, sampleOptions } from './architectures/index.js';
import { graphNodes } from './graph-source.js';
import { ModelError, modelJsonLayerNames } from './model-files.js';
import { cachedModelJson } from './model-url.js';
import { isUrl } from './source-location.js';
import { readSourceModelJson } from './source-model.js';
import { layerNames } from './surgery.js';

/** What a cut and freeze rule can name in a source: its layers, or a graph model's nodes. */
export interface SourceLayers {
  readonly kind: 'layers' | 'graph';
  readonly names: string[];
  /** Per layer name, whether it has weights (what gradual unfreezing counts); known for LayersModels. */
  readonly weighted?: readonly boolean[];
}

/**
 * Names of the source model's layers (or a graph model's nodes), in order, for checking `cut` and `freeze`
 * before anything trains; or why the source model cannot be used, found without
 * training or downloading (a URL tlx will not fetch, a model.json TensorFlow.js
 * cannot load), so validate refuses it too. Undefined when the names cannot be
 * known offline (a URL not downloaded yet) or the file is missing (presence.ts says so).
 */
export function sourceLayerNames(
  source: ResolvedSource, baseDir: string, env: Readonly<Record<string, string | undefined>> = process.env,
): SourceLayers | ModelError | undefined {
  if (source.pretrain) {
    const { architecture, data } = source.pretrain;
    // Layer names do not depend on the input size or the class count; 32 px is the
    // smallest input every architecture takes.
    const model = ARCHITECTURES[architecture](sampleOptions(architecture, [32, 32, data.channels ?? 1], data.classes?.length ?? DATASETS[data.dataset].classes ?? 2));
    const names = layerNames(model);
    const weighted = names.map((name) => model.getLayer(name).weights.length > 0);
    model.dispose();
    return { kind: 'layers', names, weighted };
  }
  // Word vectors become one embedding layer (execute/embeddings-sources.ts).
  if (source.embeddings) return { kind: 'layers', names: [EMBEDDING_LAYER], weighted: [true] };
  if (source.model == null) return undefined;
  const refused = isUrl(source.model) ? insecureUrl(source.model) : undefined;
  if (refused) return new ModelError('E_DOWNLOAD_INSECURE', source.model, refused, 'give the https URL of the model, or a local copy: --set source.model=path/to/model.json');
  const file = isUrl(source.model) ? cachedModelJson(source.model, env) : resolve(baseDir, source.model);
  try {
    const read = readSourceModelJson(file);
    if (read.kind === 'layers') {
      const names = modelJsonLayerNames(file);
      // A weight is named <layer>/<weight> (under any enclosing model's name).
      const owners = new Set((read.json.weightsManifest ?? []).flatMap((g) => g.weights.flatMap((w) => w.name.split('/'))));
      return { kind: 'layers', names, weighted: names.map((name) => owners.has(name)) };
    }
    return { kind: 'graph', names: graphNodes(read.json).map((n) => n.name) };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    return e.code === 'E_MODEL_MISSING' && e.file === file ? undefined : e;
  }
}
