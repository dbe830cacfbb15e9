import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { chooseBackend, initBackend, startBackend } from '../../src/engine/init-backend.js';
import { importOptional, type OptionalImport } from '../../src/engine/optional-module.js';
import { InternalError, UsageError } from '../../src/errors.js';
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

describe('which tfjs-node package (a fake optional-module importer)', () => {
  // Each fake package, once imported, registers a 'tensorflow' backend (the cpu
  // kernels' class) whose binding says whether TensorFlow found a GPU.
  const fake = (packages: Record<string, { gpu: boolean } | 'absent'>) => {
    const imported: string[] = [];
    const importer = async (specifier: string): Promise<OptionalImport> => {
      imported.push(specifier);
      const found = packages[specifier];
      if (found == null || found === 'absent') return { status: 'absent' };
      if (tf.findBackend('tensorflow') != null) tf.removeBackend('tensorflow');
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { binding: { isUsingGpuDevice: () => found.gpu } }));
      return { status: 'loaded', module: {} };
    };
    return { imported, importer };
  };
  const GPU_PKG = '@tensorflow/tfjs-node-gpu';
  const CPU_PKG = '@tensorflow/tfjs-node';

  it.each([
    { name: 'GPU package and a GPU: the GPU package', packages: { [GPU_PKG]: { gpu: true }, [CPU_PKG]: { gpu: false } }, expected: GPU_PKG, gpu: true },
    { name: 'GPU package without a GPU: tfjs-node', packages: { [GPU_PKG]: { gpu: false }, [CPU_PKG]: { gpu: false } }, expected: CPU_PKG, gpu: false },
    { name: 'only tfjs-node', packages: { [GPU_PKG]: 'absent' as const, [CPU_PKG]: { gpu: false } }, expected: CPU_PKG, gpu: false },
  ])('auto chooses: $name; a worker given that package loads it and nothing else', async ({ packages, expected, gpu }) => {
    const parent = fake(packages);
    const chosen = await startBackend('auto', { importer: parent.importer });
    expect(chosen).toMatchObject({ name: 'tensorflow', package: expected, gpu });
    const worker = fake(packages);
    const started = await startBackend(chosen.name, { package: chosen.package, importer: worker.importer });
    expect(started).toMatchObject({ name: 'tensorflow', package: expected, gpu });
    expect(worker.imported).toEqual([expected]);
  });

  it('the package a worker was given, missing there, is named alone (no fallback to the other)', async () => {
    const { importer } = fake({ [GPU_PKG]: { gpu: false }, [CPU_PKG]: 'absent' });
    const error = await startBackend('tensorflow', { package: CPU_PKG, importer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`backend 'tensorflow' is not available (${CPU_PKG}: not installed)`);
  });

  it('a package that does not provide the backend asked for is refused', async () => {
    const error = await startBackend('cpu', { package: '@tensorflow/tfjs-backend-wasm' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toContain('@tensorflow/tfjs-backend-wasm');
  });

  it('the started backend carries its package version', async () => {
    const info = await startBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});
