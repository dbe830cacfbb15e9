import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '../../src/engine/init-backend.js';

/** Starts wasm with tlx's kernels and keeps cpu registered as the reference. */
export async function wasmAndCpu(): Promise<void> {
  await initBackend('wasm');
}

/** Runs `f` on a backend and returns plain arrays, so results can cross backends. */
export async function on<T>(backend: 'wasm' | 'cpu', f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}
