import * as tf from '@tensorflow/tfjs-core';
import { BAND_GRAD } from '../kernels/gradient-kernels.js';
import { backendHas, routeLayerCall, singleInput } from './layer-class.js';

/**
 * ReLU with maxValue 6 (MobileNets' ReLU6) as the Relu6 op, whose gradient tlx
 * computes in one kernel; tfjs-layers applies relu then clipByValue, two passes
 * forward and six ops back. The values are the same, min(max(x, 0), 6), and so is
 * the gradient: dy where 0 < x <= 6.
 */
export function routeRelu6(): void {
  routeLayerCall('ReLU', (layer, inputs) => {
    const x = singleInput(inputs);
    if (layer.maxValue !== 6 || x == null || x.dtype !== 'float32' || !backendHas(BAND_GRAD)) return undefined;
    return tf.relu6(x);
  });
}
