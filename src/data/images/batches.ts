import * as tf from '@tensorflow/tfjs-core';
import type { Augment, InputScale } from '../../config/resolved.js';
import { type ImageSet, imageSize } from './image-set.js';

/** value = byte * factor[c] + offset[c], per channel c. */
export interface PixelScale {
  readonly factor: readonly number[];
  readonly offset: readonly number[];
}

export function pixelScale(scale: InputScale, channels: number): PixelScale {
  const each = (v: readonly number[]) => Array.from({ length: channels }, (_, c) => v[c] ?? v[0]!);
  if (scale === '0..1') return { factor: each([1 / 255]), offset: each([0]) };
  if (scale === '-1..1') return { factor: each([1 / 127.5]), offset: each([-1]) };
  const [mean, std] = [each(scale.mean), each(scale.std)];
  return { factor: std.map((s) => 1 / (255 * s)), offset: mean.map((m, c) => -m / std[c]!) };
}

/** Float pixels, scaled, for the examples at `indices`; augmented in place when asked. */
export function imageBatch(set: ImageSet, indices: ArrayLike<number>, scale: PixelScale, augment?: Augment): tf.Tensor4D {
  const size = imageSize(set);
  const channels = set.shape[2];
  const values = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]! * size;
    const to = i * size;
    for (let k = 0; k < size; k += channels) {
      for (let c = 0; c < channels; c++) values[to + k + c] = set.pixels[from + k + c]! * scale.factor[c]! + scale.offset[c]!;
    }
    if (augment) augmentImage(values.subarray(to, to + size), set.shape, augment);
  }
  return tf.tensor4d(values, [indices.length, ...set.shape]);
}

/**
 * A random horizontal flip and shift of one image (Math.random, seeded per task),
 * the uncovered border filled with 0.
 */
export function augmentImage(image: Float32Array, [h, w, c]: readonly [number, number, number], augment: Augment): void {
  const flip = augment.flip === true && Math.random() < 0.5;
  const maxShift = augment.shift ?? 0;
  const dy = Math.round((Math.random() * 2 - 1) * maxShift * h);
  const dx = Math.round((Math.random() * 2 - 1) * maxShift * w);
  if (!flip && dy === 0 && dx === 0) return;
  const source = image.slice();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sy = y - dy;
      const sx0 = x - dx;
      const sx = flip ? w - 1 - sx0 : sx0;
      const inside = sy >= 0 && sy < h && sx0 >= 0 && sx0 < w;
      for (let k = 0; k < c; k++) image[(y * w + x) * c + k] = inside ? source[(sy * w + sx) * c + k]! : 0;
    }
  }
}
