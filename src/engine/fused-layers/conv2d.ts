import * as tf from '@tensorflow/tfjs-core';
import { backendHas, routeLayerCall, singleInput } from './layer-class.js';

/** tfjs-layers' LayerVariable and Activation, as Conv2D holds them. */
interface LayerVariable {
  read(): tf.Tensor;
}
interface Activation {
  getClassName(): string;
}

/**
 * Conv2D without activation, while gradients are recorded, as the plain conv2d op
 * (and a bias add). tfjs-layers calls fused.conv2d, whose custom gradient computes
 * the input's gradient whether or not anything needs it: for the first layer (its
 * input is the images) and the first trainable layer after a frozen prefix, that is
 * a whole transposed convolution per step for nothing. The registered gradients of
 * conv2d and add are pruned by the tape to the paths that lead to trainable weights.
 * Outside gradient recording (inference, frozen features) tfjs-layers' fused kernel
 * runs unchanged. With a ReLU activation tfjs-core already takes the unfused path.
 */
export function routeConv2d(marker: string): void {
  routeLayerCall('Conv2D', (layer, inputs) => {
    const x = singleInput(inputs);
    if (x == null || x.rank !== 4 || layer.rank !== 2 || layer.dataFormat !== 'channelsLast') return undefined;
    if ((layer.activation as Activation | null)?.getClassName() !== 'linear' || layer.padding === 'causal') return undefined;
    if (!recordingGradients() || !backendHas(marker)) return undefined;
    return tf.tidy(() => {
      const y = tf.conv2d(x as tf.Tensor4D, (layer.kernel as LayerVariable).read() as tf.Tensor4D,
        layer.strides as [number, number], layer.padding as 'same' | 'valid', 'NHWC', layer.dilationRate as [number, number]);
      const bias = layer.bias as LayerVariable | null;
      return bias == null ? y : tf.add(y, bias.read());
    });
  });
}

/** Whether ops are being recorded for gradients: what tfjs-core's fused ops decide by (shouldFuse). */
function recordingGradients(): boolean {
  return (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
}
