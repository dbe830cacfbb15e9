import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Floating-point operations of one forward pass for one example (a multiply-add
 * counts 2), from the layers that dominate: convolutions and dense layers.
 * Elementwise layers are left out, as the usual FLOP counts of these nets do.
 */
export function forwardFlops(model: tfl.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const config = layer.getConfig();
    const out = layer.outputShape as (number | null)[];
    const inputs = layer.input;
    const input = (Array.isArray(inputs) ? inputs[0]! : inputs).shape;
    const spatial = (out[1] ?? 1) * (out[2] ?? 1);
    const kernel = config.kernelSize as number[] | undefined;
    const taps = kernel ? (kernel[0] ?? 1) * (kernel[1] ?? 1) : 1;
    const inChannels = input[input.length - 1] ?? 0;
    switch (layer.getClassName()) {
      case 'Conv2D':
        flops += 2 * spatial * taps * inChannels * (config.filters as number);
        break;
      case 'Conv1D':
        // [batch, steps, filters]: out[2] is the filters, not a second spatial axis.
        flops += 2 * (out[1] ?? 1) * (kernel?.[0] ?? 1) * inChannels * (config.filters as number);
        break;
      case 'DepthwiseConv2D':
        flops += 2 * spatial * taps * inChannels * ((config.depthMultiplier as number | undefined) ?? 1);
        break;
      case 'Dense':
        flops += 2 * inChannels * (config.units as number);
        break;
    }
  }
  return flops;
}

/** Training is counted as 3 forward passes: forward, input gradient, weight gradient. */
export const TRAIN_FLOPS_PER_FORWARD = 3;
