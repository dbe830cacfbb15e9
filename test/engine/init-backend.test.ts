import { describe, expect, it } from 'vitest';
import { chooseBackend, initBackend } from '../../src/engine/init-backend.js';
import { importOptional } from '../../src/engine/optional-module.js';
import { UsageError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';

const tfjsNode = await importOptional('@tensorflow/tfjs-node');
const tfjsNodeGpu = await importOptional('@tensorflow/tfjs-node-gpu');
const haveTensorflow = tfjsNode.status === 'loaded' || tfjsNodeGpu.status === 'loaded';
const NO_TFJS_NODE = 'needs @tensorflow/tfjs-node(-gpu), whose install downloads libtensorflow (not reachable here)';

describe('chooseBackend', () => {
  it.each([
    { name: 'flag wins', sources: { flag: 'cpu', env: 'wasm', config: 'tensorflow' as const }, expected: 'cpu' },
    { name: 'then TLX_BACKEND', sources: { env: 'wasm', config: 'cpu' as const }, expected: 'wasm' },
    { name: 'then the config', sources: { config: 'cpu' as const }, expected: 'cpu' },
    { name: 'empty env ignored', sources: { env: '', config: 'wasm' as const }, expected: 'wasm' },
    { name: 'default auto', sources: {}, expected: 'auto' },
  ])('$name', ({ sources, expected }) => {
    expect(chooseBackend(sources)).toBe(expected);
  });

  it.each([['--backend', { flag: 'gpu' }], ['TLX_BACKEND', { env: 'wasmm' }]] as const)(
    'an unknown name from %s is a usage error naming it', (origin, sources) => {
      const error = thrown(() => chooseBackend(sources));
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('E_BACKEND_UNKNOWN');
      expect((error as UsageError).message).toContain(origin);
      expect((error as UsageError).hint).toContain('auto, tensorflow, wasm, cpu');
    });
});

describe('initBackend', () => {
  it.runIf(!haveTensorflow)('tensorflow without tfjs-node says why and what to install', async () => {
    const error = await initBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('E_BACKEND_UNAVAILABLE');
    expect((error as UsageError).message).toContain('@tensorflow/tfjs-node: not installed');
    expect((error as UsageError).hint).toContain('npm install @tensorflow/tfjs-node');
    expect((error as UsageError).exitCode).toBe(2);
  });

  it.runIf(!haveTensorflow)('auto falls back to wasm with the training kernels', async () => {
    const info = await initBackend('auto');
    expect(info.name).toBe('wasm');
    expect(info.kernelsAdded).toContain('Conv2DBackpropFilter');
    expect(info.kernelsAdded).toContain('DepthwiseConv2dNativeBackpropInput');
  });

  it.skipIf(!haveTensorflow)(`tensorflow loads and auto prefers it (${NO_TFJS_NODE})`, async () => {
    const info = await initBackend('auto');
    expect(info.name).toBe('tensorflow');
  });
});
