import { routeBatchNormalization } from './batch-normalization.js';

/**
 * Routes tfjs-layers layers to tlx's fused kernels where the active backend has
 * them (tlx registers them on wasm); elsewhere every layer runs its own code, so
 * the cpu backend stays the untouched reference. Idempotent.
 */
export function routeFusedLayers(): void {
  routeBatchNormalization();
}
