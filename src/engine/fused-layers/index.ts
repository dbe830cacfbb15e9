import { BAND_GRAD } from '../kernels/gradient-kernels.js';
import { routeBatchNormalization } from './batch-normalization.js';
import { routeConv2d } from './conv2d.js';
import { routeRelu6 } from './relu6.js';

/**
 * Routes tfjs-layers layers to tlx's fused kernels where the active backend has
 * them (tlx registers them on wasm); elsewhere every layer runs its own code, so
 * the cpu backend stays the untouched reference. Idempotent.
 */
export function routeFusedLayers(): void {
  routeBatchNormalization();
  routeRelu6();
  // Conv2D's route needs no kernel of its own: any of tlx's marks a backend tlx trains on.
  routeConv2d(BAND_GRAD);
}
