import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { profileSteps } from '../../src/bench/profile.js';
import { wasmAndCpu } from '../support/backends.js';

beforeAll(wasmAndCpu);

describe('profileSteps', () => {
  it('counts each kernel call of a step and charges nested kernels once', async () => {
    await tf.setBackend('wasm');
    const a = tf.randomUniform([256, 256]);
    const small = tf.randomUniform([4]);
    const kernelsBefore = tf.getKernelsForBackend('wasm').map((k) => k.kernelFunc);
    const profile = await profileSteps(3, async () => {
      const out = tf.tidy(() => {
        tf.add(small, small);
        // tlx's Conv2DBackpropInput runs other kernels inside itself.
        const dy = tf.randomUniform([2, 8, 8, 4]);
        tf.conv2dTranspose(dy, tf.randomUniform([3, 3, 6, 4]), [2, 16, 16, 6], 2, 'same');
        return tf.matMul(a, a);
      });
      await out.data();
      out.dispose();
    });
    const share = (name: string) => profile.kernels.find((k) => k.kernel === name);
    expect(share('BatchMatMul')?.calls).toBe(1);
    expect(share('Conv2DBackpropInput')?.calls).toBe(1);
    // A 256^3 product takes longer than adding four numbers.
    expect(share('BatchMatMul')!.ms).toBeGreaterThan(share('Add')!.ms);
    // Exclusive times never add up to more than the wall time they happened in.
    expect(profile.kernelMs).toBeLessThanOrEqual(profile.stepMs);
    expect(profile.kernels.every((k) => k.ms >= 0)).toBe(true);
    expect(profile.calls).toBe(profile.kernels.reduce((s, k) => s + k.calls, 0));
    // Every kernel is put back as it was.
    expect(tf.getKernelsForBackend('wasm').map((k) => k.kernelFunc)).toEqual(kernelsBefore);
    tf.dispose([a, small]);
  });
});
