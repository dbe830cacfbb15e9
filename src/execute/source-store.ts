import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../results/atomic-write.js';

/**
 * Pretrained source models on disk (.tlx-cache/<key>/model.json + weights.bin, the
 * TensorFlow.js format), written and read without tfjs-node's file handlers, which
 * the wasm and cpu backends do not have.
 */
export async function saveModel(model: tfl.LayersModel, dir: string, meta: unknown): Promise<void> {
  const temp = `${dir}.${process.pid}.tmp`;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
    writeFileAtomic(join(temp, 'weights.bin'), weights);
    writeFileAtomic(join(temp, 'model.json'), JSON.stringify({
      format: 'layers-model',
      generatedBy: 'tlx',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    writeFileAtomic(join(temp, 'meta.json'), JSON.stringify(meta, null, 2));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
}

export function hasModel(dir: string): boolean {
  return existsSync(join(dir, 'meta.json'));
}

export function readMeta<T>(dir: string): T {
  return JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as T;
}

const loaded = new Map<string, tf.io.ModelArtifacts>();

/** A fresh model (its own weights) from a saved one; the bytes are read once per process. */
export async function loadModel(dir: string): Promise<tfl.LayersModel> {
  let artifacts = loaded.get(dir);
  if (!artifacts) {
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
    };
    const bytes = readFileSync(join(dir, 'weights.bin'));
    artifacts = {
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    };
    loaded.set(dir, artifacts);
  }
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}
